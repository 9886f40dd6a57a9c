// Exporting a 1 M-row per-IP table to CSV streams it: the exporting process (the CLI, in a child)
// stays within a fixed memory bound, far below what holding the rows would take. The table is
// built directly in SQLite for speed.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/engine/store/db'
import { requireBuild } from '../support/build'
import { buildIpAnalysis, runCli } from '../engine/report/fixtures'

const ROWS = 1_000_000
const SMALL = 100_000
/** Node, better-sqlite3 and the CLI alone sit near 60 MB; holding the rows would take 300 MB+. */
const PEAK_RSS_BOUND_MB = 100

const dir = mkdtempSync(join(tmpdir(), 'loglens-csv-1m-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const dbPath = join(dir, 'million.db')
const ids: Record<number, number> = {}

beforeAll(() => {
  requireBuild()
  const db = openDatabase(dbPath)
  ids[ROWS] = buildIpAnalysis(db, ROWS)
  ids[SMALL] = buildIpAnalysis(db, SMALL)
  db.close()
}, 300_000)

function exportCsv(rows: number): { seconds: number; peakMb: number; out: string; stderr: string } {
  const out = join(dir, `rows-${rows}.csv`)
  const started = Date.now()
  const r = runCli(
    ['report', '--db', dbPath, '--analysis', String(ids[rows]), '--format', 'csv', '--out', out],
    { LANG: 'en_US.UTF-8' },
    ['-r', join(__dirname, 'support', 'peak-rss.cjs')],
  )
  const seconds = (Date.now() - started) / 1000
  expect(r.code, r.stderr).toBe(0)
  const peakMb = Number(/PEAK_RSS_KB=(\d+)/.exec(r.stderr)![1]) / 1024
  return { seconds, peakMb, out, stderr: r.stderr }
}

async function countLines(file: string): Promise<number> {
  let n = 0
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>)
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++
  return n
}

describe('CSV of 1 M per-IP rows', () => {
  it(`streams within ${PEAK_RSS_BOUND_MB} MB peak RSS, no more than for 100 k rows`, async () => {
    const small = exportCsv(SMALL)
    // The 100 k export's own peak varies by ~10 MB from run to run (74-86 MB seen, a run that
    // peaked low failed the growth check below once): its higher of two runs is the baseline.
    const smallAgain = exportCsv(SMALL)
    const baseline = Math.max(small.peakMb, smallAgain.peakMb)
    const big = exportCsv(ROWS)
    const bytes = statSync(big.out).size
    console.log(
      `1 M-row CSV: ${big.seconds.toFixed(1)} s, peak RSS ${big.peakMb.toFixed(1)} MB, ` +
        `${(bytes / 1e6).toFixed(1)} MB written (100 k rows: ${small.seconds.toFixed(1)} s, ` +
        `${small.peakMb.toFixed(1)} and ${smallAgain.peakMb.toFixed(1)} MB)`,
    )
    expect(big.stderr).toMatch(/\[程序员晚枫\] Exported 1\.0 M rows, memory [\d.]+ MB/)
    expect(big.peakMb).toBeLessThan(PEAK_RSS_BOUND_MB)
    // Ten times the rows, (almost) the same memory: nothing grows with the table (holding the
    // rows would add 200 MB+). Fresh-clone CI on 2026-12-06 saw 74.3 and 75.2 MB for 100 k rows
    // and 88.6 for 1 M: the 100 k peak alone swings by 10 MB, so the margin is 20.
    expect(big.peakMb - baseline).toBeLessThan(20)
    expect(await countLines(big.out)).toBe(ROWS + 1)
    expect(await countLines(small.out)).toBe(SMALL + 1)
  }, 240_000)
})
