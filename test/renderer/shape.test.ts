import { describe, expect, it } from 'vitest'
import {
  lttbIndices,
  MAX_POINTS,
  shapeMemory,
  shapeStatuses,
  shapeTopIps,
  shapeTraffic,
  statusClass,
} from '../../src/renderer/src/charts/shape'
import { mergeMemory } from '../../src/renderer/src/state/live'

describe('downsampling', () => {
  it('keeps everything below the threshold', () => {
    expect(
      lttbIndices(
        5,
        10,
        (i) => i,
        (i) => i,
      ),
    ).toEqual([0, 1, 2, 3, 4])
  })

  it('keeps first, last and the peak, in order, within the budget', () => {
    const n = 100_000
    const y = (i: number) => (i === 54_321 ? 1e6 : Math.sin(i / 100))
    const idx = lttbIndices(n, 1500, (i) => i, y)
    expect(idx.length).toBe(1500)
    expect(idx[0]).toBe(0)
    expect(idx[idx.length - 1]).toBe(n - 1)
    expect(idx).toContain(54_321)
    for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!)
  })
})

describe('traffic', () => {
  it('splits exact and estimated UV and joins them where they meet', () => {
    const s = shapeTraffic({
      bucket: 'hour',
      points: [
        { t: 0, pv: 5, uv: 2, uvExact: true, bytes: 0 },
        { t: 1, pv: 9, uv: 4, uvExact: false, bytes: 0 },
        { t: 2, pv: 3, uv: 1, uvExact: false, bytes: 0 },
      ],
    })
    expect(s.hasEstimate).toBe(true)
    expect(s.peak).toEqual({ t: 1, pv: 9 })
    expect(s.rows[0]).toMatchObject({ uv: 2, uvEst: 2 })
    expect(s.rows[1]).toMatchObject({ uv: null, uvEst: 4 })
  })

  it('handles no series', () => {
    expect(shapeTraffic(null).rows).toEqual([])
  })

  it('caps a long series', () => {
    const points = Array.from({ length: 50_000 }, (_, i) => ({
      t: i * 60_000,
      pv: i % 13,
      uv: 1,
      uvExact: true,
      bytes: 0,
    }))
    expect(shapeTraffic({ bucket: 'minute', points }).rows.length).toBeLessThanOrEqual(MAX_POINTS)
  })
})

describe('memory, top IPs, statuses', () => {
  it('finds the peak', () => {
    const m = shapeMemory([
      { t: 0, rss: 10, heapUsed: 1 },
      { t: 250, rss: 30, heapUsed: 2 },
      { t: 500, rss: 20, heapUsed: 3 },
    ])
    expect(m.peakRss).toBe(30)
    expect(m.duration).toBe(500)
  })

  it('sorts top IPs', () => {
    expect(
      shapeTopIps([
        { ip: 'b', pv: 1 },
        { ip: 'a', pv: 5 },
      ]).map((r) => r.key),
    ).toEqual(['a', 'b'])
  })

  it('classifies statuses', () => {
    expect(statusClass(204)).toBe('2xx')
    expect(statusClass(999)).toBe('other')
    const rows = shapeStatuses([
      { status: 404, count: 1 },
      { status: 200, count: 3 },
    ])
    expect(rows[0]).toMatchObject({ status: 200, share: 0.75, cls: '2xx' })
  })
})

describe('live memory curve', () => {
  it('extends partial samples with progress samples and replaces overlaps', () => {
    let m = mergeMemory([], null, { t: 100, rss: 1, heapUsed: 1 })
    m = mergeMemory(m, null, { t: 350, rss: 2, heapUsed: 1 })
    m = mergeMemory(m, null, { t: 300, rss: 9, heapUsed: 9 }) // out of order: ignored
    expect(m.map((s) => s.t)).toEqual([100, 350])
    m = mergeMemory(
      m,
      [
        { t: 0, rss: 0, heapUsed: 0 },
        { t: 250, rss: 3, heapUsed: 1 },
      ],
      null,
    )
    expect(m.map((s) => s.t)).toEqual([0, 250, 350])
  })
})
