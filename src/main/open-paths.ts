// Paths that reach main without the renderer asking: the command line, a second launch, macOS
// "open-file", File → Open Folder…. They become one analysis; files that cannot be analysed are
// reported, and nothing starts when none can.
import type { FileSelection } from '../shared/types'

export interface OpenPathsDeps {
  registerPaths(paths: string[], source: 'path'): Promise<FileSelection>
  startAnalysis(args: { fileIds: string[] }): Promise<{ analysisId: number }>
  /** Tell the user which files were left out, and why (nothing to say when none were). */
  reportSkipped(selection: FileSelection): void
}

export async function openUserPaths(
  paths: string[],
  deps: OpenPathsDeps,
): Promise<{ analysisId: number | null; selection: FileSelection | null }> {
  if (paths.length === 0) return { analysisId: null, selection: null }
  return startFromSelection(await deps.registerPaths(paths, 'path'), deps)
}

/** Start one analysis over the usable files of a selection (e.g. the sample), reporting the rest. */
export async function startFromSelection(
  selection: FileSelection,
  deps: Pick<OpenPathsDeps, 'startAnalysis' | 'reportSkipped'>,
): Promise<{ analysisId: number | null; selection: FileSelection }> {
  if (selection.skipped.length > 0 || selection.files.length === 0) deps.reportSkipped(selection)
  if (selection.files.length === 0) return { analysisId: null, selection }
  const { analysisId } = await deps.startAnalysis({ fileIds: selection.files.map((f) => f.id) })
  return { analysisId, selection }
}

/**
 * Collects paths until the app can handle them (macOS sends open-file before `ready`), and
 * batches paths that arrive together (one open-file event per file) into one delivery.
 */
export function createPathInbox(batchMs = 150): {
  push(paths: string[]): void
  /** Start delivering; anything collected so far goes first. */
  ready(deliver: (paths: string[]) => void): void
} {
  let pending: string[] = []
  let deliver: ((paths: string[]) => void) | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = (): void => {
    timer = null
    if (!deliver || pending.length === 0) return
    const batch = [...new Set(pending)]
    pending = []
    deliver(batch)
  }
  return {
    push(paths) {
      if (paths.length === 0) return
      pending.push(...paths)
      if (deliver && !timer) timer = setTimeout(flush, batchMs)
    },
    ready(d) {
      deliver = d
      if (pending.length > 0 && !timer) timer = setTimeout(flush, 0)
    },
  }
}
