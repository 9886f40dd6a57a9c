// Files the user chose: registered under opaque ids, so the renderer never hands the service a
// raw path to open. Folders expand to the log files inside them; what is clearly not a log
// (binary, image, archive other than gzip, empty) is skipped with a reason.
import { randomUUID } from 'node:crypto'
import { readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { inspectFile, notTextError } from '../engine/aggregate/inspect'
import { fileError } from '../engine/aggregate/reader'
import { ERROR_LOG, type ErrorInfo, type FileSelection, type InputFileInfo } from '../shared/types'

export interface RegisteredInput extends InputFileInfo {
  path: string
  /** The file itself (device and inode): the same file chosen twice is read once. */
  identity: string
}

/** Device and inode where the file system gives them, else the path. */
function identityOf(st: { dev: number; ino: number }, path: string): string {
  return st.ino > 0 ? `${st.dev}:${st.ino}` : path
}

const MAX_FOLDER_FILES = 10_000
const MAX_DEPTH = 3
const LOG_NAME = /(\.log|_log|access|\.gz$|\.txt$)/i
const ERROR_LOG_NAME = /(^|[._-])error([._-]|$)/i

/** Orders rotated sets naturally: access.log.10 after access.log.9. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' })
}

export class InputRegistry {
  private readonly inputs = new Map<string, RegisteredInput>()

  get(id: string): RegisteredInput | undefined {
    return this.inputs.get(id)
  }

  /** Register files and folders the user chose (dialog, drop, command line, sample, upload). */
  async register(paths: string[], source: InputFileInfo['source']): Promise<FileSelection> {
    const selection: FileSelection = { files: [], skipped: [] }
    // Files already in this selection: given twice (a folder and a file in it, the same file
    // twice), a file gets one entry and is read once.
    const seen = new Set<string>()
    for (const p of paths) {
      let st
      try {
        st = await stat(p)
      } catch (e) {
        selection.skipped.push({ name: basename(p), error: fileError(e, basename(p)) })
        continue
      }
      if (st.isDirectory()) {
        const before = selection.files.length
        await this.expandFolder(p, selection, seen, 0)
        if (selection.files.length === before) {
          selection.skipped.push({
            name: basename(p),
            error: {
              code: 'NOT_A_LOG',
              message: `The folder ${basename(p)} has no access log files in it.`,
              params: { file: basename(p) },
            },
          })
        }
      } else await this.addFile(p, basename(p), st, source, selection, seen)
    }
    return selection
  }

  private async expandFolder(
    dir: string,
    sel: FileSelection,
    seen: Set<string>,
    depth: number,
  ): Promise<void> {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (e) {
      sel.skipped.push({ name: basename(dir), error: fileError(e, basename(dir)) })
      return
    }
    entries.sort((a, b) => naturalCompare(a.name, b.name))
    for (const ent of entries) {
      if (sel.files.length + sel.skipped.length >= MAX_FOLDER_FILES) return
      if (ent.name.startsWith('.')) continue
      const full = join(dir, ent.name)
      if (ent.isDirectory()) {
        if (depth < MAX_DEPTH) await this.expandFolder(full, sel, seen, depth + 1)
        continue
      }
      if (!ent.isFile()) continue
      if (!LOG_NAME.test(ent.name)) continue
      if (ERROR_LOG_NAME.test(ent.name)) {
        sel.skipped.push({
          name: ent.name,
          error: {
            code: 'NOT_A_LOG',
            message: `${ent.name} looks like an error log, not an access log; it was left out.`,
            params: { file: ent.name, kind: ERROR_LOG },
          },
        })
        continue
      }
      try {
        const st = await stat(full)
        await this.addFile(full, ent.name, st, 'path', sel, seen)
      } catch (e) {
        sel.skipped.push({ name: ent.name, error: fileError(e, ent.name) })
      }
    }
  }

  private async addFile(
    path: string,
    name: string,
    st: { size: number; dev: number; ino: number },
    source: InputFileInfo['source'],
    sel: FileSelection,
    seen: Set<string>,
  ): Promise<void> {
    const skip = (error: ErrorInfo): void => {
      sel.skipped.push({ name, error })
    }
    const size = st.size
    const identity = identityOf(st, path)
    if (seen.has(identity)) return
    seen.add(identity)
    if (size === 0) {
      skip({ code: 'EMPTY_INPUT', message: `${name} is empty.`, params: { file: name } })
      return
    }
    let compressed: boolean
    try {
      const ins = await inspectFile(path)
      if (ins.notText) {
        skip(notTextError(name, ins.notText))
        return
      }
      compressed = ins.gzip
    } catch (e) {
      skip(fileError(e, name))
      return
    }
    const id = randomUUID()
    const input: RegisteredInput = { id, name, size, compressed, source, path, identity }
    this.inputs.set(id, input)
    sel.files.push({ id, name, size, compressed, source })
  }
}
