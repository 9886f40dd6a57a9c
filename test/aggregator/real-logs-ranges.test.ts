// The real public logs (../shared/testdata/real-logs) through the three ways the aggregator can
// count clients: the table alone (it never fills), key ranges on disk (a table of a few hundred
// clients that fills at once) and SQLite spills (the same, without a spill directory). Every
// summary figure and every client row must be the same.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runJob } from '../../src/aggregator/job'
import type { JobSpec } from '../../src/aggregator/protocol'
import { openDatabase } from '../../src/engine/store/db'
import { createAnalysis, getAnalysisDetail } from '../../src/engine/store/queries'
import { WORKER_ENTRY, requireBuild } from '../support/build'
import { allIpRows } from '../support/ips'

const REAL =
  process.env.LOGLENS_REAL_LOGS ??
  resolve(__dirname, '..', '..', '..', 'shared', 'testdata', 'real-logs')
const logs = readdirSync(REAL).filter((n) => n.endsWith('.gz'))
const dir = mkdtempSync(join(tmpdir(), 'loglens-real-ranges-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(() => requireBuild())

/** The two logs no preset fits, with their own formats (as in test/engine/parser/real-logs). */
const FORMATS: Record<string, string> = {
  'hanXen_honeypot_log__access.log.1.gz': `$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $server_port`,
  'WeirdIdea_OTUS_01__nginx-access-ui.log-20170630.gz': `$remote_addr  $remote_user $http_x_real_ip [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for" "$http_X_REQUEST_ID" "$http_X_RB_USER" $request_time`,
}

let n = 0
async function analyze(file: string, opts: Partial<JobSpec>) {
  const dbPath = join(dir, `${++n}.db`)
  const db = openDatabase(dbPath)
  const id = createAnalysis(db, { name: file, files: [], formatRequest: 'auto' })
  const logLines: string[] = []
  const path = join(REAL, file)
  const done = await runJob(
    {
      analysisId: id,
      dbPath,
      inputs: [{ path, name: file, size: statSync(path).size }],
      format: FORMATS[file] ?? 'auto',
      jobs: 1,
      ...opts,
    },
    (m) => {
      if (m.type === 'log') logLines.push(m.message)
    },
    { cancelled: false },
    WORKER_ENTRY,
  )
  expect(done.status).toBe('complete')
  const s = getAnalysisDetail(db, id)!.summary
  const rows = allIpRows(db, id)
  db.close()
  return {
    figures: { pv: s.pv, uv: s.uv, invalid: s.invalid, bodyBytes: s.bodyBytes },
    rows,
    ranges: logLines.some((l) => /key ranges on disk/.test(l)),
  }
}

const withRanges: string[] = []

describe('real logs: key ranges and SQLite spills count as the table alone does', () => {
  it('has real logs to read', () => {
    expect(logs.length).toBeGreaterThan(5)
  })

  for (const file of logs) {
    it(file, async () => {
      const table = await analyze(file, {})
      expect(table.ranges).toBe(false)
      const small = { ipTableSlots: 512, jobs: 2, inlineBelowBytes: 0 }
      const ranges = await analyze(file, small)
      const spills = await analyze(file, { ...small, partitionSpill: false })
      expect(spills.ranges).toBe(false)
      if (ranges.ranges) withRanges.push(file)
      for (const other of [ranges, spills]) {
        expect(other.figures).toEqual(table.figures)
        expect(other.rows).toEqual(table.rows)
      }
    })
  }

  it('several of them have more clients than the small table holds (key ranges were used)', () => {
    expect(withRanges.length, withRanges.join(', ')).toBeGreaterThanOrEqual(2)
  })
})
