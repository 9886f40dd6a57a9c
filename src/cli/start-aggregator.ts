// `loglens analyze` starts its aggregator process first, before its own service and SQLite
// modules load: only light modules here.
import { statSync } from 'node:fs'
import { INLINE_BELOW_BYTES, STANDBY_WORKERS_ENV } from '../aggregator/protocol'
import { heldChannel, nodeLauncher, type HeldChannel } from '../service/launcher'

/**
 * Whether the job will surely parse on the aggregator's own thread alone: `--jobs 1`, or only
 * files (no folders), together smaller than INLINE_BELOW_BYTES. Then no parse worker need boot
 * ahead of it (~40 ms of a small log's ~0.42 s, on two cores).
 */
export function parsesInline(paths: string[], jobs: number): boolean {
  if (jobs === 1) return true
  let total = 0
  for (const p of paths) {
    try {
      const st = statSync(p)
      if (!st.isFile()) return false
      total += st.size
    } catch {
      return false
    }
  }
  return total < INLINE_BELOW_BYTES
}

/**
 * The aggregator for a job over `paths`, started now (AnalysisService.prewarm takes it), or
 * undefined when it cannot start (the job then starts one itself, and says what goes wrong).
 */
export function startAggregator(
  entry: string,
  paths: string[],
  jobs: number,
): HeldChannel | undefined {
  try {
    const env = parsesInline(paths, jobs) ? { [STANDBY_WORKERS_ENV]: '0' } : {}
    return heldChannel(nodeLauncher(entry, env))
  } catch {
    return undefined
  }
}
