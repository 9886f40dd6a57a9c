// Empty buckets of a traffic series, for the charts of the dashboard and the reports. The engine
// stores only the buckets that have requests, so a gap in the log (a day the site was down, logs
// of two different months) would be drawn as a straight line across it, as if there had been
// traffic all along. Pure: no DOM, no Node.
import type { BucketSize, SeriesPoint } from './types'

const FIXED_MS: Partial<Record<BucketSize, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
}
/** How far a log's zone can be from UTC. */
const MAX_OFFSET_MS = 14 * 3_600_000
/** Most points a filled series may have; past it the stored points are drawn as they are. */
export const MAX_FILLED_POINTS = 5_000

/** Start (epoch ms) of the bucket after the one starting at `t`. */
export function nextBucketStart(t: number, bucket: BucketSize): number {
  const fixed = FIXED_MS[bucket]
  if (fixed !== undefined) return t + fixed
  // A month (year) starts at midnight on the 1st in the log's zone, and `t` is that instant in
  // UTC: whatever the zone, t + 14 h falls in the same calendar month (year) at UTC.
  const d = new Date(t + MAX_OFFSET_MS)
  const y = d.getUTCFullYear()
  if (bucket === 'month') {
    const m = d.getUTCMonth()
    return Date.UTC(y, m + 1, 1) - (Date.UTC(y, m, 1) - t)
  }
  return Date.UTC(y + 1, 0, 1) - (Date.UTC(y, 0, 1) - t)
}

/**
 * The points, with a zero point for every empty bucket between two stored ones. A bucket is added
 * only when it ends at or before the next stored point starts, so buckets keyed in another zone
 * (files with different offsets) are never overlapped. The same array when nothing is missing.
 */
export function withEmptyBuckets(points: SeriesPoint[], bucket: BucketSize): SeriesPoint[] {
  let out: SeriesPoint[] | null = null
  for (let i = 0; i + 1 < points.length; i++) {
    const next = points[i + 1]!.t
    let z = nextBucketStart(points[i]!.t, bucket)
    for (let end = nextBucketStart(z, bucket); end <= next; end = nextBucketStart(z, bucket)) {
      out ??= points.slice(0, i + 1)
      out.push({ t: z, pv: 0, uv: 0, uvExact: true, bytes: 0 })
      if (out.length > MAX_FILLED_POINTS) return points
      z = end
    }
    out?.push(points[i + 1]!)
  }
  return out ?? points
}
