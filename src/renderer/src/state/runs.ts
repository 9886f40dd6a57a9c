// Which registered files each analysis of this session was started from, so "re-run with
// another format" can call startAnalysis on the same files. Kept in sessionStorage so a reload
// keeps it; analyses from earlier sessions fall back to retryAnalysis.
const KEY = 'loglens.runs.v1'
const MAX = 50

function read(): Record<string, string[]> {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, string[]>
  } catch {
    return {}
  }
}

export function rememberRun(analysisId: number, fileIds: string[]): void {
  try {
    const all = read()
    all[String(analysisId)] = fileIds
    const keys = Object.keys(all)
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX))) delete all[k]
    sessionStorage.setItem(KEY, JSON.stringify(all))
  } catch {
    // Storage unavailable: re-run with another format falls back to retry.
  }
}

export function fileIdsFor(analysisId: number): string[] | null {
  return read()[String(analysisId)] ?? null
}
