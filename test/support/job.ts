// One analysis run in this process by the aggregator's job (runJob), into a fresh database: what
// the tests of whole jobs share. The parse workers are the built ones (requireBuild first).
import { statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { runJob } from '../../src/aggregator/job'
import type { JobSpec } from '../../src/aggregator/protocol'
import { StandbyWorkers } from '../../src/aggregator/standby'
import { openDatabase } from '../../src/engine/store/db'
import { createAnalysis, getAnalysisDetail } from '../../src/engine/store/queries'
import { WORKER_ENTRY } from './build'
import { allIpRows } from './ips'

let n = 0

/**
 * Analyse `paths` (named by their base names) with `opts` over one thread and detection.
 * `bootWorker`: a parse worker booted ahead, as the aggregator process starts one, so that both
 * threads start together and each reads its own part from the first task on.
 */
export async function analyseInProcess(
  dir: string,
  paths: string[],
  opts: Partial<JobSpec> = {},
  bootWorker = false,
) {
  const dbPath = join(dir, `job-${++n}.db`)
  const db = openDatabase(dbPath)
  const id = createAnalysis(db, { name: 'test', files: [], formatRequest: opts.format ?? 'auto' })
  let standby: StandbyWorkers | undefined
  if (bootWorker) {
    standby = new StandbyWorkers(WORKER_ENTRY, 1)
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  const done = await runJob(
    {
      analysisId: id,
      dbPath,
      inputs: paths.map((path) => ({ path, name: basename(path), size: statSync(path).size })),
      format: 'auto',
      jobs: 1,
      ...opts,
    },
    () => undefined,
    { cancelled: false },
    WORKER_ENTRY,
    undefined,
    standby,
  )
  const detail = getAnalysisDetail(db, id)!
  const rows = allIpRows(db, id)
  db.close()
  return { done, detail, rows }
}
