// Empty buckets of a traffic series are drawn as zero (dashboard and reports), at the same bucket
// starts the engine gives (checked against its bucketStart, in several zones).
import { describe, expect, it } from 'vitest'
import { bucketStart, LEVELS } from '../../src/engine/aggregate/time-series'
import { MAX_FILLED_POINTS, nextBucketStart, withEmptyBuckets } from '../../src/shared/series'
import type { BucketSize, SeriesPoint } from '../../src/shared/types'
import { shapeTraffic } from '../../src/renderer/src/charts/shape'

const point = (t: number, pv: number): SeriesPoint => ({ t, pv, uv: 1, uvExact: true, bytes: 9 })

/** The engine's key (epoch ms) of the bucket holding `sec`, in a log `offMin` minutes east of UTC. */
const key = (sec: number, bucket: BucketSize, offMin: number): number =>
  bucketStart(sec, LEVELS.indexOf(bucket), offMin * 60) * 1000

describe('empty buckets of a traffic series', () => {
  const zones = [0, 480, -300, 345, -720, 840]

  it('steps from one engine bucket to the next, in every zone and across month ends', () => {
    for (const bucket of LEVELS) {
      for (const off of zones) {
        // From 2023-12-30 on, a few hundred steps: leap day, year ends, 31- and 30-day months.
        let t = key(Date.UTC(2023, 11, 30, 13, 7) / 1000, bucket, off)
        for (let k = 0; k < 400; k++) {
          const next = nextBucketStart(t, bucket)
          expect(next, `${bucket} ${off}`).toBeGreaterThan(t)
          // The engine puts the last second of this bucket here, the first of the next there.
          expect(key(next / 1000 - 1, bucket, off)).toBe(t)
          expect(key(next / 1000, bucket, off)).toBe(next)
          t = next
        }
      }
    }
  })

  it('adds a zero point for each empty day between two stored ones, and keeps the stored ones', () => {
    const day = 86_400_000
    const t0 = key(Date.UTC(2024, 2, 1, 12) / 1000, 'day', 480)
    const stored = [point(t0, 5), point(t0 + day, 7), point(t0 + 5 * day, 3)]
    const filled = withEmptyBuckets(stored, 'day')
    expect(filled.map((p) => (p.t - t0) / day)).toEqual([0, 1, 2, 3, 4, 5])
    expect(filled.map((p) => p.pv)).toEqual([5, 7, 0, 0, 0, 3])
    expect(filled[2]).toEqual({ t: t0 + 2 * day, pv: 0, uv: 0, uvExact: true, bytes: 0 })
    expect(filled[5]).toBe(stored[2])
  })

  it('fills months at the log zone’s month starts (February, a year end)', () => {
    const off = -300
    const nov = key(Date.UTC(2023, 10, 15) / 1000, 'month', off)
    const mar = key(Date.UTC(2024, 2, 15) / 1000, 'month', off)
    const filled = withEmptyBuckets([point(nov, 1), point(mar, 2)], 'month')
    const local = filled.map((p) => new Date(p.t + off * 60_000).toISOString().slice(0, 16))
    expect(local).toEqual([
      '2023-11-01T00:00',
      '2023-12-01T00:00',
      '2024-01-01T00:00',
      '2024-02-01T00:00',
      '2024-03-01T00:00',
    ])
    expect(filled.map((p) => p.pv)).toEqual([1, 0, 0, 0, 2])
  })

  it('returns the same array when no bucket is missing', () => {
    const t0 = key(Date.UTC(2024, 0, 1) / 1000, 'hour', 0)
    const stored = [point(t0, 1), point(t0 + 3_600_000, 2), point(t0 + 7_200_000, 3)]
    expect(withEmptyBuckets(stored, 'hour')).toBe(stored)
    expect(withEmptyBuckets([], 'hour')).toEqual([])
  })

  it('never lays a zero bucket over a point keyed in another zone', () => {
    // Two files, UTC and UTC+08:00: their day buckets start 8 hours apart.
    const a = key(Date.UTC(2024, 0, 1, 12) / 1000, 'day', 0)
    const b = key(Date.UTC(2024, 0, 2, 12) / 1000, 'day', 480)
    const c = key(Date.UTC(2024, 0, 5, 12) / 1000, 'day', 0)
    const filled = withEmptyBuckets([point(a, 1), point(b, 1), point(c, 1)], 'day')
    // None between a and b (a's day ends after b's starts); between b and c, the UTC+08:00 days
    // after b's that end before c starts: January 3 and 4, local.
    const zeros = filled.filter((p) => p.pv === 0)
    expect(zeros.map((p) => new Date(p.t + 480 * 60_000).toISOString().slice(0, 10))).toEqual([
      '2024-01-03',
      '2024-01-04',
    ])
    for (let i = 0; i + 1 < filled.length; i++)
      if (filled[i]!.pv === 0)
        expect(nextBucketStart(filled[i]!.t, 'day')).toBeLessThanOrEqual(filled[i + 1]!.t)
  })

  it('leaves a series alone past MAX_FILLED_POINTS (stored points drawn as before)', () => {
    const t0 = key(Date.UTC(2024, 0, 1) / 1000, 'minute', 0)
    const stored = [point(t0, 1), point(t0 + (MAX_FILLED_POINTS + 10) * 60_000, 1)]
    expect(withEmptyBuckets(stored, 'minute')).toBe(stored)
  })

  it('the dashboard draws the gap at zero', () => {
    const day = 86_400_000
    const t0 = key(Date.UTC(2024, 5, 1) / 1000, 'day', 0)
    const shape = shapeTraffic({ bucket: 'day', points: [point(t0, 40), point(t0 + 4 * day, 50)] })
    expect(shape.rows.map((r) => r.pv)).toEqual([40, 0, 0, 0, 50])
    expect(shape.peak).toEqual({ t: t0 + 4 * day, pv: 50 })
  })
})
