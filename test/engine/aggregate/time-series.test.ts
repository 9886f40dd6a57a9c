// Per-bucket figures of the time series: every line lands in the bucket that holds its time, in
// the log's own UTC offset, whether it follows a line of the same bucket or not, and across the
// roll-ups from minutes to hours, and from days to calendar months and years.
import { describe, expect, it } from 'vitest'
import { levelForSpan, TimeSeries } from '../../../src/engine/aggregate/time-series'

type Line = { t: number; bytes: number; client: number }

/**
 * Reference: PV, bytes and distinct clients per bucket, computed directly. `unit` is a bucket's
 * seconds, or a calendar month or year of the log's clock (`offsetSec` east of UTC).
 */
function reference(lines: Line[], unit: number | 'month' | 'year', offsetSec: number) {
  const keyOf = (t: number): number => {
    if (typeof unit === 'number') return Math.floor((t + offsetSec) / unit) * unit - offsetSec
    const d = new Date((t + offsetSec) * 1000)
    const month = unit === 'month' ? d.getUTCMonth() : 0
    return Date.UTC(d.getUTCFullYear(), month, 1) / 1000 - offsetSec
  }
  const m = new Map<number, { pv: number; bytes: number; clients: Set<number> }>()
  for (const l of lines) {
    const key = keyOf(l.t)
    let b = m.get(key)
    if (!b) m.set(key, (b = { pv: 0, bytes: 0, clients: new Set() }))
    b.pv++
    b.bytes += l.bytes
    b.clients.add(l.client)
  }
  return m
}

function figures(s: TimeSeries) {
  return new Map(
    s.toSeries().points.map((p) => [p.t / 1000, { pv: p.pv, bytes: p.bytes, uv: p.uv }]),
  )
}

/** The lines through a series (logged at `offsetMin`), settled as at the end of a job. */
function counted(lines: Line[], offsetMin: number): TimeSeries {
  const s = new TimeSeries()
  for (const l of lines) s.add(l.t, offsetMin, l.client * 2654435761, l.bytes)
  s.settle()
  return s
}

/** Every bucket of the reference, with the same figures, and no other. */
function expectFigures(s: TimeSeries, want: ReturnType<typeof reference>): void {
  const got = figures(s)
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
  for (const [k, b] of want) {
    expect(got.get(k), `bucket ${k}`).toEqual({ pv: b.pv, bytes: b.bytes, uv: b.clients.size })
  }
}

describe('time series buckets', () => {
  // +0800: minute buckets are the same, hour and day buckets start at the log's local hour.
  const offsetMin = 480
  const t0 = 1_700_000_000 - (1_700_000_000 % 60)

  it('counts each line in its minute, at the edges and after jumps back and forth', () => {
    const lines: Line[] = []
    // Runs inside a minute, the last second of a minute, the first of the next, and lines that
    // go back to an earlier minute (logs from several servers are not in time order).
    const secs = [0, 1, 59, 60, 61, 119, 120, 59, 0, 179, 180, 30, 240, 239, 300, 299, 301]
    secs.forEach((s, i) => lines.push({ t: t0 + s, bytes: 100 + i, client: i % 5 }))
    const s = counted(lines, offsetMin)
    expectFigures(s, reference(lines, 60, offsetMin * 60))
  })

  it('rolls up to hours in the log offset when the span passes six hours', () => {
    const lines: Line[] = []
    for (let i = 0; i < 4000; i++) {
      // 4000 lines over ~8 h, in runs that go back and forth in time
      const t = t0 + ((i * 7919) % 29_000)
      lines.push({ t, bytes: i, client: i % 37 })
    }
    const s = counted(lines, offsetMin)
    expect(s.toSeries().bucket).toBe('hour')
    expectFigures(s, reference(lines, 3600, offsetMin * 60))
  })
})

describe('time series over months and years', () => {
  const offsetMin = 480
  // 2019-12-31 23:00 UTC is already 2020-01-01 in the +0800 log.
  const t0 = Date.UTC(2019, 11, 31, 23, 0, 0) / 1000

  it('counts calendar months of the log clock once days span more than three years', () => {
    const lines: Line[] = []
    for (let i = 0; i < 20_000; i++) {
      // ~5 years, back and forth, many lines at month edges (every 30.44 days ± a second)
      const t = t0 + ((i * 7919) % 60) * Math.round(30.44 * 86400) + ((i % 3) - 1)
      lines.push({ t, bytes: i, client: i % 211 })
    }
    const s = counted(lines, offsetMin)
    expect(s.toSeries().bucket).toBe('month')
    expectFigures(s, reference(lines, 'month', offsetMin * 60))
  })

  it('counts years when the log spans decades', () => {
    const lines: Line[] = []
    for (let i = 0; i < 5000; i++) {
      const t = t0 + ((i * 7919) % 5000) * 378_432 // 60 years in 5,000 steps, shuffled
      lines.push({ t, bytes: 1, client: i % 97 })
    }
    const s = counted(lines, offsetMin)
    expect(s.toSeries().bucket).toBe('year')
    expectFigures(s, reference(lines, 'year', offsetMin * 60))
  })

  it('keeps its sketches within ~1 MB however long a busy log runs: busy days roll up', () => {
    // 400 days with 4,000 distinct clients each: a dense 16 KB sketch per day would be 6.4 MB.
    const s = new TimeSeries()
    const day0 = Date.UTC(2024, 0, 1) / 1000
    for (let d = 0; d < 400; d++)
      for (let c = 0; c < 4000; c++) s.add(day0 + d * 86400 + c, 0, (d * 4000 + c) * 2654435761, 1)
    s.settle()
    const data = s.toData()
    const bytes = data.buckets.reduce((n, b) => n + b.uv.data.byteLength, 0)
    expect(bytes).toBeLessThanOrEqual(1.1 * 1024 * 1024)
    expect(['month', 'year']).toContain(s.toSeries().bucket)
    expect(s.toSeries().points.reduce((n, p) => n + p.pv, 0)).toBe(400 * 4000)
  })
})

describe('a series started at a coarser level (span-hint.ts)', () => {
  /** The same lines through a series started at `level`, settled; its data, sketches included. */
  function run(lines: Line[], level: number) {
    const s = new TimeSeries(null, level)
    let early = -1
    for (const [i, l] of lines.entries()) {
      s.add(l.t, 60, l.client * 2654435761, l.bytes)
      if (i === 10) early = s.live().level
    }
    s.settle()
    return { series: s.toSeries(), level: s.level, early }
  }

  it.each([
    ['a day, busy (dense sketches)', 86_400, 60_000, 9_000],
    ['five days, quiet (exact sets)', 5 * 86_400, 6_000, 300],
    ['40 days', 40 * 86_400, 20_000, 2_000],
  ])('%s: the same buckets and figures as from minutes', (_, span, n, clients) => {
    const t0 = Date.UTC(2026, 10, 20) / 1000 + 17
    const lines: Line[] = []
    for (let i = 0; i < n; i++) {
      // In time order with jitter (lines of several servers), the first and last at the ends.
      const t = i === 0 ? t0 : i === n - 1 ? t0 + span : t0 + Math.floor((i / n) * span) + (i % 7)
      lines.push({ t, bytes: i % 1000, client: (i * 7919) % clients })
    }
    const hinted = levelForSpan(span)
    expect(hinted).toBeGreaterThan(0)
    const fromMinutes = run(lines, 0)
    const fromHint = run(lines, hinted)
    // Its first lines went straight into the coarser buckets, not minutes.
    expect(fromMinutes.early).toBe(0)
    expect(fromHint.early).toBe(hinted)
    expect(fromHint.level).toBe(fromMinutes.level)
    expect(fromHint.series).toEqual(fromMinutes.series)
  })
})
