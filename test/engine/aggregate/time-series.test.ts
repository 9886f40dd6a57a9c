// Per-bucket figures of the time series: every line lands in the bucket that holds its time, in
// the log's own UTC offset, whether it follows a line of the same bucket or not, and across the
// roll-up from minutes to hours.
import { describe, expect, it } from 'vitest'
import { TimeSeries } from '../../../src/engine/aggregate/time-series'

type Line = { t: number; bytes: number; client: number }

/** Reference: PV, bytes and distinct clients per bucket, computed directly. */
function reference(lines: Line[], unit: number, offsetSec: number) {
  const m = new Map<number, { pv: number; bytes: number; clients: Set<number> }>()
  for (const l of lines) {
    const key = Math.floor((l.t + offsetSec) / unit) * unit - offsetSec
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
    const s = new TimeSeries()
    for (const l of lines) s.add(l.t, offsetMin, l.client * 2654435761, l.bytes)
    const want = reference(lines, 60, offsetMin * 60)
    const got = figures(s)
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [k, b] of want) {
      expect(got.get(k), `bucket ${k}`).toEqual({ pv: b.pv, bytes: b.bytes, uv: b.clients.size })
    }
  })

  it('rolls up to hours in the log offset when the span passes six hours', () => {
    const lines: Line[] = []
    for (let i = 0; i < 4000; i++) {
      // 4000 lines over ~8 h, in runs that go back and forth in time
      const t = t0 + ((i * 7919) % 29_000)
      lines.push({ t, bytes: i, client: i % 37 })
    }
    const s = new TimeSeries()
    for (const l of lines) s.add(l.t, offsetMin, l.client * 2654435761, l.bytes)
    s.settle()
    expect(s.toSeries().bucket).toBe('hour')
    const want = reference(lines, 3600, offsetMin * 60)
    const got = figures(s)
    expect(got.size).toBe(want.size)
    for (const [k, b] of want) {
      expect(got.get(k), `bucket ${k}`).toEqual({ pv: b.pv, bytes: b.bytes, uv: b.clients.size })
    }
  })
})
