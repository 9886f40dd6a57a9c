// Files of one analysis written in different time zones (servers in two regions): the analysis
// has one zone, its first file's, whichever parse thread reads which file, and every time bucket
// is aligned to it. Before, the zone was the first line of whichever thread had the earliest
// time, and flipped between runs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateLogFile } from '../../src/engine/generate/generator'
import { requireBuild } from '../support/build'
import { analyseInProcess } from '../support/job'

const dir = mkdtempSync(join(tmpdir(), 'loglens-zones-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
/** New York (-04:00) and Shanghai (+08:00): 40 days each, so the buckets are days. */
const west = join(dir, 'west.log')
const east = join(dir, 'east.log')
const START = Date.UTC(2024, 5, 1) / 1000

beforeAll(() => {
  requireBuild()
  const common = { clients: 3000, spanSeconds: 40 * 86400, start: START }
  // One read task (under 8 MB) and two: with a worker booted ahead, the threads start together,
  // and with the small file first, each thread's first lines are a different file's.
  generateLogFile(west, { ...common, bytes: 4 << 20, seed: 1, tzOffsetMinutes: -240 })
  // East's lines begin earlier in UTC than west's: the earliest instant is not the first file's.
  generateLogFile(east, {
    ...common,
    bytes: 12 << 20,
    seed: 2,
    tzOffsetMinutes: 480,
    start: START - 3600,
  })
})

async function zoneOf(paths: string[]) {
  // Both threads parse (which reads what varies from run to run).
  const { detail: d } = await analyseInProcess(dir, paths, { jobs: 2, inlineBelowBytes: 0 }, true)
  return { zone: d.summary.tzOffsetMinutes, bucket: d.series.bucket, points: d.series.points }
}

describe('files in different time zones', () => {
  it("take the first file's zone, every run, with buckets at its midnight", async () => {
    for (const [paths, zone] of [
      [[west, east], -240],
      [[east, west], 480],
      [[west, east], -240],
      [[east, west], 480],
    ] as const) {
      const r = await zoneOf([...paths])
      expect(r.zone).toBe(zone)
      expect(r.bucket).toBe('day')
      for (const p of r.points) expect((p.t / 1000 + zone * 60) % 86400).toBe(0)
    }
  })
})
