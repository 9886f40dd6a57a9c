// PV, UV and bytes per time bucket. Buckets start at minute resolution (or at the level a span
// the logs are known to cover calls for: span-hint.ts) and roll up to hours, days, calendar
// months and years as the span seen grows (or as UV sketches outgrow their memory cap), so
// memory stays bounded for any log. Bucket edges are aligned in the log's own UTC offset
// (days start at the log's midnight, months on its 1st). Partial series from several threads
// merge at the coarsest level among them.
import type { BucketSize, Series, SeriesPoint } from '../../shared/types'
import { UvSketch, type UvSketchData } from './uv-sketch'

export const LEVELS: readonly BucketSize[] = ['minute', 'hour', 'day', 'month', 'year']
/**
 * 1991-01-01T00:00:00Z, the web's first year. A request dated before it is counted (PV, UV, its
 * client) but left out of the series and the time range: a device whose clock was not set logs
 * 1970, and one such line would stretch the chart over decades (the dashboard says how many).
 */
export const EARLIEST_SEC = Date.UTC(1991, 0, 1) / 1000
const MONTH = 3
const YEAR = 4
/** Seconds per bucket of the fixed-width levels (months and years: see bucketStart). */
const UNIT_SEC = [60, 3600, 86400]
/**
 * Span (seconds) beyond which a level rolls up: 6 h of minutes, 30 days of hours, 3 years of
 * days, 50 years of months.
 */
const MAX_SPAN_SEC = [6 * 3600, 30 * 86400, 3 * 366 * 86400, 50 * 366 * 86400, Infinity]
/**
 * Per thread: past this, buckets roll up early (busy sites: many distinct clients per bucket).
 * A busy bucket's sketch is 16 KB: a year of busy days (~6 MB a thread) is shown by month. The
 * last level, years, is bounded by the log's span itself.
 */
const SKETCH_BYTES_CAP = 1024 * 1024

/** The level of buckets a span of `span` seconds is shown in, from `from` up (see MAX_SPAN_SEC). */
export function levelForSpan(span: number, from = 0): number {
  let level = from
  while (level < YEAR && span > MAX_SPAN_SEC[level]!) level++
  return level
}

/** Start (epoch sec) of the bucket holding `t` at `level`, in a log `off` seconds east of UTC. */
export function bucketStart(t: number, level: number, off: number): number {
  if (level < MONTH) {
    const u = UNIT_SEC[level]!
    return Math.floor((t + off) / u) * u - off
  }
  const d = new Date((t + off) * 1000)
  const y = d.getUTCFullYear()
  return Date.UTC(y, level === MONTH ? d.getUTCMonth() : 0, 1) / 1000 - off
}

/** Start of the bucket after the one starting at `key`. */
function bucketEnd(key: number, level: number, off: number): number {
  if (level < MONTH) return key + UNIT_SEC[level]!
  const d = new Date((key + off) * 1000)
  const y = d.getUTCFullYear()
  const next = level === MONTH ? Date.UTC(y, d.getUTCMonth() + 1, 1) : Date.UTC(y + 1, 0, 1)
  return next / 1000 - off
}

export interface BucketData {
  t: number
  pv: number
  bytes: number
  uv: UvSketchData
}

export interface SeriesData {
  level: number
  offsetSec: number
  buckets: BucketData[]
}

export class TimeSeries {
  level: number
  private keys: number[] = []
  private pv: number[] = []
  private bytes: number[] = []
  private sketches: UvSketch[] = []
  private index = new Map<number, number>()
  private lastKey = NaN
  /** Where the last line's bucket ends: lines in [lastKey, lastEnd) need no lookup. */
  private lastEnd = NaN
  private lastIdx = -1
  private minT = Infinity
  private maxT = -Infinity
  private lines = 0

  constructor(
    /**
     * The log's UTC offset in seconds (bucket alignment): the job's, given, or the first line's.
     * Threads of one job are given the same, so their buckets line up.
     */
    public offsetSec: number | null = null,
    /**
     * The level to start at: minutes, or the level a span the logs are known to cover calls for
     * (span-hint.ts). Never coarser than the whole log's: the figures are the same either way,
     * without counting the first hours' lines into minute buckets only to roll them up.
     */
    startLevel = 0,
  ) {
    this.level = startLevel
  }

  /** Start (epoch sec) of the bucket holding `t` at `level`. */
  private keyOf(t: number, level: number): number {
    return bucketStart(t, level, this.offsetSec ?? 0)
  }

  add(timeSec: number, offsetMin: number, clientHash: number, bytes: number): void {
    if (this.offsetSec === null) this.offsetSec = offsetMin * 60
    let idx: number
    // Consecutive lines nearly always fall in the last line's bucket: no division for them.
    if (timeSec >= this.lastKey && timeSec < this.lastEnd) idx = this.lastIdx
    else {
      if (timeSec < EARLIEST_SEC) return
      const key = bucketStart(timeSec, this.level, this.offsetSec)
      const found = this.index.get(key)
      if (found === undefined) {
        idx = this.keys.length
        this.keys.push(key)
        this.pv.push(0)
        this.bytes.push(0)
        this.sketches.push(new UvSketch())
        this.index.set(key, idx)
      } else idx = found
      this.lastKey = key
      this.lastEnd = bucketEnd(key, this.level, this.offsetSec)
      this.lastIdx = idx
      if (timeSec < this.minT) this.minT = timeSec
      if (timeSec > this.maxT) this.maxT = timeSec
      if (this.maxT - this.minT > MAX_SPAN_SEC[this.level]!) {
        this.rollUp(this.levelForSpan(this.maxT - this.minT))
        this.add(timeSec, offsetMin, clientHash, bytes)
        return
      }
    }
    this.pv[idx]!++
    this.bytes[idx]! += bytes
    this.sketches[idx]!.add(clientHash)
    if ((++this.lines & 0x3fff) === 0 && this.level < YEAR && this.sketchBytes() > SKETCH_BYTES_CAP)
      this.rollUp(this.level + 1)
  }

  private levelForSpan(span: number): number {
    return levelForSpan(span, this.level)
  }

  private sketchBytes(): number {
    let n = 0
    for (const s of this.sketches) n += s.byteSize
    return n
  }

  /** Merge buckets into the coarser `level`. */
  rollUp(level: number): void {
    if (level <= this.level) return
    const keys = this.keys
    const pv = this.pv
    const bytes = this.bytes
    const sketches = this.sketches
    this.level = level
    this.keys = []
    this.pv = []
    this.bytes = []
    this.sketches = []
    this.index = new Map()
    this.lastKey = NaN
    this.lastEnd = NaN
    this.lastIdx = -1
    for (let i = 0; i < keys.length; i++) {
      this.mergeBucket(this.keyOf(keys[i]!, level), pv[i]!, bytes[i]!, sketches[i]!)
    }
  }

  private mergeBucket(key: number, pv: number, bytes: number, sketch: UvSketch): void {
    const found = this.index.get(key)
    if (found === undefined) {
      this.index.set(key, this.keys.length)
      this.keys.push(key)
      this.pv.push(pv)
      this.bytes.push(bytes)
      this.sketches.push(sketch)
    } else {
      this.pv[found]! += pv
      this.bytes[found]! += bytes
      this.sketches[found]!.merge(sketch)
    }
  }

  /** Fold in another thread's series (its data is consumed). */
  mergeData(d: SeriesData): void {
    if (d.buckets.length === 0) return
    if (this.offsetSec === null) this.offsetSec = d.offsetSec
    if (d.level > this.level) this.rollUp(d.level)
    for (const b of d.buckets) {
      if (b.t < this.minT) this.minT = b.t
      if (b.t > this.maxT) this.maxT = b.t
      this.mergeBucket(this.keyOf(b.t, this.level), b.pv, b.bytes, UvSketch.fromData(b.uv))
    }
  }

  /** Roll up to the level the whole span calls for (after merging every thread). */
  settle(): void {
    if (this.keys.length > 0) this.rollUp(this.levelForSpan(this.maxT - this.minT))
  }

  toData(): SeriesData {
    return {
      level: this.level,
      offsetSec: this.offsetSec ?? 0,
      buckets: this.keys.map((t, i) => ({
        t,
        pv: this.pv[i]!,
        bytes: this.bytes[i]!,
        uv: this.sketches[i]!.toData(),
      })),
    }
  }

  toSeries(): Series {
    const points: SeriesPoint[] = this.keys.map((t, i) => {
      const s = this.sketches[i]!
      return {
        t: t * 1000,
        pv: this.pv[i]!,
        uv: s.estimate(),
        uvExact: s.exact,
        bytes: this.bytes[i]!,
      }
    })
    points.sort((a, b) => a.t - b.t)
    return { bucket: LEVELS[this.level]!, points }
  }

  /** Figures per bucket without the sketches (cheap to send while the log is read). */
  live(): { level: number; points: { t: number; pv: number; uv: number; bytes: number }[] } {
    return {
      level: this.level,
      points: this.keys.map((t, i) => ({
        t,
        pv: this.pv[i]!,
        uv: this.sketches[i]!.estimate(),
        bytes: this.bytes[i]!,
      })),
    }
  }
}
