// Writing an export: to a temporary name in the destination folder, renamed over the final name
// only once everything is written and flushed, removed on any failure. A reader never sees a
// half-written report under the name the user chose, and a failed export leaves nothing behind.
// File-system errors become one sentence with code EXPORT_FAILED (reason in params).
import { randomBytes } from 'node:crypto'
import * as fsp from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { ErrorInfo } from '../../shared/types'
import { writeFailure } from '../../shared/write-failure'

/** An error meant for the user (the service and the CLI read `info`). */
export class ReportError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message)
  }
}

export type ExportFailure =
  | 'not_writable'
  | 'disk_full'
  | 'no_folder'
  | 'is_folder'
  | 'write_failed'
  | 'render_failed'
  | 'still_running'

export function exportFailed(
  reason: ExportFailure,
  message: string,
  params: Record<string, string | number> = {},
): ReportError {
  return new ReportError({ code: 'EXPORT_FAILED', message, params: { reason, ...params } })
}

/** A file-system error while exporting to `path`, as the sentence the user reads. */
export function writeError(e: unknown, path: string): ReportError {
  if (e instanceof ReportError) return e
  const why = writeFailure((e as { code?: string })?.code)
  const detail = (e as Error)?.message ?? String(e)
  const folder = dirname(path)
  const params = { path, folder, detail }
  if (why === 'denied' || why === 'read_only')
    return exportFailed(
      'not_writable',
      `LogLens cannot write to the folder ${folder} (permission denied). Choose another folder.`,
      params,
    )
  if (why === 'full')
    return exportFailed(
      'disk_full',
      `The disk is full: the export to ${folder} was not saved. Free some space and try again.`,
      params,
    )
  if (why === 'no_folder')
    return exportFailed('no_folder', `The folder ${folder} does not exist.`, params)
  if (why === 'is_folder')
    return exportFailed('is_folder', `${path} is a folder; choose a file name.`, params)
  return exportFailed(
    'write_failed',
    `The export could not be written to ${path}: ${detail}`,
    params,
  )
}

export interface OutputHandle {
  write(data: Uint8Array | string): Promise<unknown>
  sync(): Promise<void>
  close(): Promise<void>
}

/** The file-system calls an export makes (tests put a failing disk here). */
export interface OutputFs {
  stat(path: string): Promise<{ isDirectory(): boolean }>
  open(path: string, flags: string): Promise<OutputHandle>
  rename(from: string, to: string): Promise<void>
  rm(path: string, opts: { force: boolean }): Promise<void>
}

export const nodeOutputFs: OutputFs = {
  stat: (p) => fsp.stat(p),
  open: (p, flags) => fsp.open(p, flags, 0o644),
  rename: (a, b) => fsp.rename(a, b),
  rm: (p, o) => fsp.rm(p, o),
}

/** What a producer writes to: text (UTF-8) or bytes, buffered into large writes. */
export interface OutputSink {
  write(data: string | Uint8Array): Promise<void>
}

const FLUSH_AT = 1 << 20

/**
 * Run `produce` against a temporary file next to `finalPath`, then rename it into place.
 * Returns the number of bytes written.
 */
export async function writeAtomically(
  finalPath: string,
  produce: (out: OutputSink) => Promise<void>,
  fs: OutputFs = nodeOutputFs,
): Promise<number> {
  const folder = dirname(finalPath)
  try {
    const st = await fs.stat(finalPath).catch((e: { code?: string }) => {
      if (e?.code === 'ENOENT') return null
      throw e
    })
    if (st?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    if (!(await fs.stat(folder)).isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' })
  } catch (e) {
    throw writeError(e, finalPath)
  }
  const temp = join(folder, `.${basename(finalPath)}.${randomBytes(4).toString('hex')}.part`)
  let handle: OutputHandle | null = null
  let bytes = 0
  // Text is gathered as strings and handed to the file as one string per flush (Node encodes it
  // outside the JS heap): no Buffer per chunk for the garbage collector to chase.
  let pending: string[] = []
  let pendingChars = 0
  const flush = async (): Promise<void> => {
    if (pendingChars === 0) return
    const text = pending.length === 1 ? pending[0]! : pending.join('')
    pending = []
    pendingChars = 0
    await handle!.write(text)
  }
  try {
    handle = await fs.open(temp, 'wx')
    await produce({
      async write(data) {
        if (typeof data === 'string') {
          bytes += Buffer.byteLength(data, 'utf8')
          pending.push(data)
          pendingChars += data.length
          if (pendingChars >= FLUSH_AT) await flush()
        } else {
          await flush()
          bytes += data.byteLength
          await handle!.write(data)
        }
      },
    })
    await flush()
    await handle.sync()
    await handle.close()
    handle = null
    await fs.rename(temp, finalPath)
    return bytes
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined)
    await fs.rm(temp, { force: true }).catch(() => undefined)
    throw writeError(e, finalPath)
  }
}
