// The aggregator's memory budget where it is tightest: more distinct clients than its table holds
// (it fills and goes on in key ranges on disk) while both parse threads are running. The process reports its own
// peak RSS (the kernel's high-water mark); the figures must still be exact.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateLogFile } from '../../src/engine/generate/generator'
import { requireBuild } from '../support/build'
import { runCli } from '../engine/report/fixtures'

/** The product budget: 100 MB (MiB, as the app and the bench report memory). */
const BUDGET_BYTES = 100 * 1048576

const dir = mkdtempSync(join(tmpdir(), 'loglens-budget-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const log = join(dir, 'many-clients.log')
let expected = { pv: 0, uv: 0 }

beforeAll(() => {
  requireBuild()
  // 700k clients in 140 MB: the table (~515k) fills early, with both threads at work.
  const fig = generateLogFile(log, { bytes: 140e6, clients: 700_000, ipv6Share: 0.2, seed: 3 })
  expected = { pv: fig.pv, uv: fig.uv }
}, 120_000)

describe('aggregator memory budget', () => {
  it('stays within 100 MB peak RSS when the client table fills, with exact figures', () => {
    const r = runCli(['analyze', log, '--db', join(dir, 'a.db'), '--jobs', '2', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const s = JSON.parse(r.stdout) as { pv: number; uv: number; peakRssBytes: number }
    console.log(
      `700k clients, 140 MB, 2 threads: peak RSS ${(s.peakRssBytes / 1048576).toFixed(1)} MiB`,
    )
    expect(s.pv).toBe(expected.pv)
    expect(s.uv).toBe(expected.uv)
    expect(s.peakRssBytes).toBeLessThanOrEqual(BUDGET_BYTES)
  }, 120_000)
})
