// Merging what the threads found: counts add, time buckets and sketches union, top-k summaries
// merge with their error bounds. Also the live (partial) view while threads still run.
import {
  INVALID_REASONS,
  type InvalidSummary,
  type PartialEvent,
  type Series,
  type StatusCount,
  type TopItem,
  type TopKind,
} from '../../shared/types'
import {
  emptyCounters,
  SAMPLES_PER_REASON,
  type Counters,
  type ThreadResult,
  type ThreadSnapshot,
} from './accumulator'
import { TimeSeries, LEVELS } from './time-series'
import { UvSketch } from './uv-sketch'
import { mergeTopK } from './top-k'

export const TOP_ITEMS_KEPT = 100

const BOT_PATTERN =
  /bot\b|bot\/|crawl|spider|slurp|bingpreview|facebookexternalhit|mediapartners|curl\/|wget\/|python-requests|python-urllib|go-http-client|java\/|okhttp|libwww|httpclient|zgrab|masscan|nmap|scanner|headless|phantomjs|lighthouse|pingdom|uptimerobot|monitor/i

export function isBot(agent: string): boolean {
  return BOT_PATTERN.test(agent)
}

export function sumCounters(list: Counters[]): Counters {
  const out = emptyCounters()
  for (const c of list) {
    out.lines += c.lines
    out.pv += c.pv
    out.invalid += c.invalid
    out.bodyBytes += c.bodyBytes
    if (c.firstTime < out.firstTime) {
      out.firstTime = c.firstTime
      out.tzOffsetMin = c.tzOffsetMin
    }
    if (c.lastTime > out.lastTime) out.lastTime = c.lastTime
    if (out.tzOffsetMin === null) out.tzOffsetMin = c.tzOffsetMin
  }
  return out
}

export function statusList(statuses: Float64Array[]): StatusCount[] {
  const total = new Float64Array(statuses[0]?.length ?? 0)
  for (const s of statuses) for (let i = 0; i < s.length; i++) total[i]! += s[i]!
  const out: StatusCount[] = []
  for (let i = 0; i < total.length; i++)
    if (total[i]! > 0) out.push({ status: i, count: total[i]! })
  return out.sort((a, b) => b.count - a.count || a.status - b.status)
}

export interface MergedResult {
  counters: Counters
  statuses: StatusCount[]
  series: Series
  top: Record<TopKind, TopItem[]>
  invalid: InvalidSummary[]
}

/**
 * Everything but the per-IP rows (those are merged straight into SQLite by the writer).
 * `fileNames`: the job's files by FileTask.fileIndex, to say where each invalid-line sample is from.
 */
export function mergeResults(
  results: ThreadResult[],
  fileNames: readonly string[] = [],
): MergedResult {
  const series = new TimeSeries()
  for (const r of results) series.mergeData(r.series)
  series.settle()
  const top = {} as Record<TopKind, TopItem[]>
  for (const kind of ['path', 'agent', 'referrer'] as TopKind[]) {
    const { entries } = mergeTopK(
      results.map((r) => r.top[kind]),
      TOP_ITEMS_KEPT,
    )
    top[kind] = entries.map((e) =>
      kind === 'agent'
        ? { ...e, bot: isBot(e.key) }
        : { key: e.key, count: e.count, error: e.error },
    )
  }
  const invalid: InvalidSummary[] = []
  INVALID_REASONS.forEach((reason, i) => {
    const count = results.reduce((s, r) => s + r.invalidCounts[i]!, 0)
    if (count === 0) return
    // The first samples in the files' order (each thread kept its first ones).
    const kept = results
      .flatMap((r) =>
        r.invalidSamples[i]!.map((line, k) => {
          const key = r.invalidSampleKeys[i]!
          return { line, file: key[3 * k]!, start: key[3 * k + 1]!, rank: key[3 * k + 2]! }
        }),
      )
      .sort((a, b) => a.file - b.file || a.start - b.start || a.rank - b.rank)
      .slice(0, SAMPLES_PER_REASON)
    invalid.push({
      reason,
      count,
      samples: kept.map((s) => s.line),
      sampleFiles: kept.map((s) => fileNames[s.file] ?? ''),
    })
  })
  invalid.sort((a, b) => b.count - a.count)
  return {
    counters: sumCounters(results.map((r) => r.counters)),
    statuses: statusList(results.map((r) => r.statuses)),
    series: series.toSeries(),
    top,
    invalid,
  }
}

/** The live view: sums of thread snapshots (UV and per-bucket UV are estimates). */
export function mergeSnapshots(
  analysisId: number,
  snaps: ThreadSnapshot[],
  extra: {
    format: string
    memory: PartialEvent['memory']
    topIps: { ip: string; pv: number }[]
    /** Distinct IP clients so far (exact until the table first spills, then an upper bound). */
    ipClients: number
  },
): PartialEvent {
  const counters = sumCounters(snaps.map((s) => s.counters))
  const ipMap = new Map<string, number>()
  for (const t of extra.topIps) ipMap.set(t.ip, t.pv)
  for (const s of snaps) for (const t of s.topIps) ipMap.set(t.ip, (ipMap.get(t.ip) ?? 0) + t.pv)
  const topIps = [...ipMap.entries()]
    .map(([ip, pv]) => ({ ip, pv }))
    .sort((a, b) => b.pv - a.pv)
    .slice(0, 10)
  const level = Math.max(0, ...snaps.map((s) => s.series.level))
  const unit = [60, 3600, 86400][level]!
  const off = (counters.tzOffsetMin ?? 0) * 60
  const buckets = new Map<number, { t: number; pv: number; uv: number; bytes: number }>()
  for (const s of snaps) {
    for (const p of s.series.points) {
      const key = Math.floor((p.t + off) / unit) * unit - off
      const b = buckets.get(key)
      if (b) {
        b.pv += p.pv
        b.bytes += p.bytes
        b.uv = Math.max(b.uv, p.uv)
      } else buckets.set(key, { t: key, pv: p.pv, uv: p.uv, bytes: p.bytes })
    }
  }
  const points = [...buckets.values()]
    .sort((a, b) => a.t - b.t)
    .map((b) => ({ t: b.t * 1000, pv: b.pv, uv: b.uv, uvExact: false, bytes: b.bytes }))
  // Once the table has filled (lines go to key ranges), the threads' sketches of the clients
  // seen since, the table's clients then included, estimate the IP clients so far.
  let ipClients = extra.ipClients
  const sketches = snaps.flatMap((s) => (s.ipSketch ? [s.ipSketch] : []))
  if (sketches.length > 0) {
    const all = new UvSketch()
    for (const d of sketches) all.merge(UvSketch.fromData(d))
    ipClients = Math.max(ipClients, all.estimate())
  }
  return {
    analysisId,
    pv: counters.pv,
    uv: ipClients + snaps.reduce((n, s) => n + s.hostClients, 0),
    invalid: counters.invalid,
    bodyBytes: counters.bodyBytes,
    topIps,
    statuses: statusList(snaps.map((s) => s.statuses)),
    series: { bucket: LEVELS[level]!, points },
    // Exact, unlike the buckets' starts: an hour's bucket would say the log so far spans 0 s.
    firstTime: Number.isFinite(counters.firstTime) ? counters.firstTime * 1000 : null,
    lastTime: Number.isFinite(counters.lastTime) ? counters.lastTime * 1000 : null,
    memory: extra.memory,
    format: extra.format,
  }
}
