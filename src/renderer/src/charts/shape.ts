// Chart data is shaped here, outside the chart components: pure functions, downsampled to a few
// hundred points, so the chart components only draw.
import type { BucketSize, MemorySample, Series, StatusCount } from '../../../shared/types'
import { withEmptyBuckets } from '../../../shared/series'

/** Points per drawn series: about one per pixel pair of a wide chart. */
export const MAX_POINTS = 400

/**
 * Largest-Triangle-Three-Buckets: indices of at most `threshold` points that keep the visual
 * shape of y over x. Always keeps the first and the last point.
 */
export function lttbIndices(
  n: number,
  threshold: number,
  x: (i: number) => number,
  y: (i: number) => number,
): number[] {
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, i) => i)
  const out: number[] = [0]
  const every = (n - 2) / (threshold - 2)
  let a = 0
  for (let i = 0; i < threshold - 2; i++) {
    const avgStart = Math.floor((i + 1) * every) + 1
    const avgEnd = Math.min(Math.floor((i + 2) * every) + 1, n)
    let avgX = 0
    let avgY = 0
    for (let j = avgStart; j < avgEnd; j++) {
      avgX += x(j)
      avgY += y(j)
    }
    const len = Math.max(avgEnd - avgStart, 1)
    avgX /= len
    avgY /= len
    const rangeStart = Math.floor(i * every) + 1
    const rangeEnd = Math.floor((i + 1) * every) + 1
    const ax = x(a)
    const ay = y(a)
    let maxArea = -1
    let next = rangeStart
    for (let j = rangeStart; j < rangeEnd; j++) {
      const area = Math.abs((ax - avgX) * (y(j) - ay) - (ax - x(j)) * (avgY - ay))
      if (area > maxArea) {
        maxArea = area
        next = j
      }
    }
    out.push(next)
    a = next
  }
  out.push(n - 1)
  return out
}

export interface TrafficRow {
  /** Bucket start, epoch ms (UTC); the axis formats it in the chosen zone. */
  t: number
  pv: number
  /** Exact per-bucket UV, or null when this bucket's UV is an estimate. */
  uv: number | null
  /** Estimated per-bucket UV, or null when exact. Drawn dashed and marked ≈. */
  uvEst: number | null
}

export interface TrafficShape {
  bucket: BucketSize
  rows: TrafficRow[]
  hasEstimate: boolean
  /** Some bucket has an exact UV (the solid UV line has something to draw). */
  hasExact: boolean
  peak: { t: number; pv: number } | null
  from: number | null
  to: number | null
  totalPoints: number
}

export function shapeTraffic(series: Series | null | undefined, max = MAX_POINTS): TrafficShape {
  const bucket = series?.bucket ?? 'minute'
  // Empty buckets drawn as zero, not as a line across the gap (shared/series.ts).
  const pts = withEmptyBuckets(series?.points ?? [], bucket)
  let peak: TrafficShape['peak'] = null
  let hasEstimate = false
  let hasExact = false
  for (const p of pts) {
    if (!peak || p.pv > peak.pv) peak = { t: p.t, pv: p.pv }
    if (p.uvExact) hasExact = true
    else hasEstimate = true
  }
  const idx = lttbIndices(
    pts.length,
    max,
    (i) => pts[i]!.t,
    (i) => pts[i]!.pv,
  )
  const rows: TrafficRow[] = idx.map((i) => {
    const p = pts[i]!
    return { t: p.t, pv: p.pv, uv: p.uvExact ? p.uv : null, uvEst: p.uvExact ? null : p.uv }
  })
  // Join the exact and estimated UV lines where they meet, so neither has a gap.
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1]!
    const cur = rows[i]!
    if (prev.uv !== null && cur.uvEst !== null) prev.uvEst = prev.uv
    if (prev.uvEst !== null && cur.uv !== null) cur.uvEst = cur.uv
  }
  return {
    bucket,
    rows,
    hasEstimate,
    hasExact,
    peak,
    from: pts.length ? pts[0]!.t : null,
    to: pts.length ? pts[pts.length - 1]!.t : null,
    totalPoints: pts.length,
  }
}

export interface MemoryRow {
  /** Ms since the analysis started. */
  t: number
  rss: number
  heap: number
}

export interface MemoryShape {
  rows: MemoryRow[]
  peakRss: number
  duration: number
}

export function shapeMemory(
  samples: MemorySample[] | null | undefined,
  max = MAX_POINTS,
): MemoryShape {
  const s = samples ?? []
  let peakRss = 0
  for (const m of s) if (m.rss > peakRss) peakRss = m.rss
  const idx = lttbIndices(
    s.length,
    max,
    (i) => s[i]!.t,
    (i) => s[i]!.rss,
  )
  return {
    rows: idx.map((i) => ({ t: s[i]!.t, rss: s[i]!.rss, heap: s[i]!.heapUsed })),
    peakRss,
    duration: s.length ? s[s.length - 1]!.t : 0,
  }
}

export interface BarRow {
  key: string
  value: number
}

export function shapeTopIps(
  rows: { ip: string; pv: number }[] | null | undefined,
  n = 10,
): BarRow[] {
  return [...(rows ?? [])]
    .sort((a, b) => b.pv - a.pv || a.ip.localeCompare(b.ip))
    .slice(0, n)
    .map((r) => ({ key: r.ip, value: r.pv }))
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'other'

export interface StatusRow {
  status: number
  count: number
  cls: StatusClass
  share: number
}

export function statusClass(status: number): StatusClass {
  if (status >= 100 && status < 600) return `${Math.floor(status / 100)}xx` as StatusClass
  return 'other'
}

export function shapeStatuses(statuses: StatusCount[] | null | undefined, n = 12): StatusRow[] {
  const list = [...(statuses ?? [])].sort((a, b) => b.count - a.count || a.status - b.status)
  const total = list.reduce((s, x) => s + x.count, 0) || 1
  return list.slice(0, n).map((s) => ({
    status: s.status,
    count: s.count,
    cls: statusClass(s.status),
    share: s.count / total,
  }))
}

/** First and last bucket of a series, when there is no summary yet (live view). */
export function seriesRange(
  series: Series | null | undefined,
): { from: number; to: number } | null {
  const pts = series?.points
  if (!pts || pts.length === 0) return null
  return { from: pts[0]!.t, to: pts[pts.length - 1]!.t }
}
