// The report's data, shaped once from an AnalysisDetail: every figure formatted, every series
// decimated and every axis tick chosen here, so the chart components only draw and the HTML,
// PDF and PNG exports all show the same numbers. Pure: no DOM, no React.
import type { Locale } from '../../shared/contract'
import {
  analysisErrors,
  countedNothing,
  MEMORY_BUDGET_BYTES,
  onlyFilesLeftOut,
  undatedRequests,
  type AnalysisDetail,
  type BucketSize,
  type IpRow,
  type TopItem,
  type TopKind,
} from '../../shared/types'
import { CHART_IDS, isChartId, type ChartId } from '../../shared/export-parts'
import { withEmptyBuckets } from '../../shared/series'
import { monthStarts } from '../../shared/ticks'
import { createReportFormat, type ReportFormat, type TimePrecision } from './format'
import { reasonKey, reportStrings, statusKey, type ReportKey, type ReportT } from './strings'
import { errorText } from '../../renderer/src/i18n/error-text'

/** What a page shows: the full document, the dashboard-like view (PNG), or one chart (PNG). */
export type ReportVariant = 'document' | 'view' | 'chart'

// The chart ids are shared with the renderer's Export menu (one list for both).
export { CHART_IDS, isChartId, type ChartId }

export const COLORS = {
  pv: '#2563eb',
  uv: '#0d9488',
  rss: '#7c3aed',
  heap: '#0891b2',
  budget: '#dc2626',
  s2xx: '#16a34a',
  s3xx: '#2563eb',
  s4xx: '#d97706',
  s5xx: '#dc2626',
  other: '#6b7280',
  bar: '#2563eb',
} as const

export interface LegendItem {
  label: string
  color: string
  mark: 'line' | 'dash' | 'bar'
}

export interface Size {
  width: number
  height: number
}

export interface TrafficShape {
  points: { t: number; pv: number; uv: number }[]
  domain: [number, number]
  ticks: number[]
  valueTicks: number[]
  tickLabel: (t: number) => string
  valueLabel: (n: number) => string
  legend: LegendItem[]
  size: Size
}

export interface MemoryShape {
  /** t in seconds since the start; rss and heap in MiB. */
  points: { t: number; rss: number; heap: number }[]
  domain: [number, number]
  ticks: number[]
  tickLabel: (t: number) => string
  valueTicks: number[]
  budgetMb: number
  budgetLabel: string
  legend: LegendItem[]
  size: Size
}

export interface BarShape {
  bars: { label: string; value: number; color: string }[]
  valueTicks: number[]
  valueLabel: (n: number) => string
  /** The exact figure written at the end of each bar. */
  barLabel: (n: number) => string
  legend: LegendItem[]
  size: Size
  /** Width of the category axis (horizontal bars). */
  categoryWidth: number
}

export interface Figure<S> {
  id: ChartId
  title: string
  sub: string
  note: string | null
  /** Null when there is nothing to draw. */
  shape: S | null
}

export interface Kpi {
  id: string
  label: string
  value: string
  sub: string
}

export interface TableShape {
  head: { label: string; numeric?: boolean }[]
  rows: {
    cells: {
      text: string
      numeric?: boolean
      tag?: string
      mono?: boolean
      /** An IP address: broken only after an IPv6 colon, never inside a number. */
      ip?: boolean
      /** Broken only between words (a date and its time), never inside one. */
      whole?: boolean
    }[]
  }[]
}

export interface TopListShape {
  kind: TopKind
  title: string
  sub: string
  table: TableShape
  approx: boolean
}

export interface InvalidShape {
  table: TableShape
  /** Each sample with its file's name when the analysis read more than one file. */
  samples: { reason: string; lines: { text: string; file?: string }[] }[]
}

export interface ReportModel {
  locale: Locale
  variant: ReportVariant
  t: ReportT
  fmt: ReportFormat
  docTitle: string
  name: string
  meta: { label: string; value: string }[]
  generated: string
  madeWith: string
  /** `reasons`: what went wrong, a sentence per error (a file left out, a file gone…). */
  partial: { title: string; text: string; reasons: string[] } | null
  kpis: Kpi[]
  traffic: Figure<TrafficShape>
  memory: Figure<MemoryShape>
  topIps: Figure<BarShape>
  statuses: Figure<BarShape>
  topIpTable: TableShape
  statusTable: TableShape
  topLists: TopListShape[]
  invalid: InvalidShape | null
}

export interface ModelOptions {
  locale: Locale
  variant: ReportVariant
  version: string
  /** Epoch ms; tests pass a fixed time. */
  generatedAt: number
}

const BUCKET_MS: Record<BucketSize, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
}

const TIME_STEPS = [
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000,
  21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000, 1_209_600_000, 2_592_000_000,
  7_776_000_000, 15_552_000_000, 31_536_000_000,
]
const SECOND_STEPS = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
  14_400, 21_600, 43_200, 86_400,
]
const MAX_TICKS = 7
const MAX_MEMORY_POINTS = 600
const MIB = 1024 * 1024

/** Evenly spaced, round ticks inside [min, max], aligned to `step` in the shifted clock. */
export function niceTicks(
  min: number,
  max: number,
  steps: number[],
  shift = 0,
  maxTicks = MAX_TICKS,
): number[] {
  const span = Math.max(max - min, Number.EPSILON)
  const step = steps.find((s) => span / s <= maxTicks) ?? steps[steps.length - 1]!
  const first = Math.ceil((min + shift) / step - 1e-9) * step - shift
  const ticks: number[] = []
  for (let i = 0; i < 50; i++) {
    const v = first + i * step
    if (v > max + step * 1e-9) break
    ticks.push(v)
  }
  return ticks.length > 0 ? ticks : [min]
}

/** Ticks on the first of a month inside [min, max], in the log's clock (`shift` ms east of UTC). */
export function monthTicks(min: number, max: number, shift = 0, maxTicks = MAX_TICKS): number[] {
  const ticks = monthStarts(min, max, () => shift, maxTicks)
  return ticks.length > 0 ? ticks : [min]
}

/** How many time labels fit along an axis `width` px wide. */
function ticksThatFit(width: number, precision: TimePrecision): number {
  const labelPx =
    precision === 'hour' ? 120 : precision === 'day' || precision === 'month' ? 80 : 64
  return Math.max(2, Math.min(MAX_TICKS, Math.floor((width - 100) / labelPx)))
}

/** Round ticks from 0 to at least `max` (steps of 1, 2, 2.5 or 5 × 10^k; whole numbers). */
export function niceScale(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  // 2.5 × 10^k only where it is whole (25, 250…): these axes count requests.
  const steps = [1, 2, 2.5, 5, 10].map((m) => m * mag).filter((x) => Number.isInteger(x))
  const step = Math.max(1, steps.find((x) => x >= raw) ?? raw)
  const ticks: number[] = []
  for (let v = 0; v < max + step; v += step) ticks.push(v)
  return ticks
}

/** At most `max` points: per time bin the sample with the highest RSS (peaks survive). */
export function decimateMemory<T extends { t: number; rss: number; heapUsed: number }>(
  samples: T[],
  max = MAX_MEMORY_POINTS,
): T[] {
  if (samples.length <= max) return samples
  const t0 = samples[0]!.t
  const span = Math.max(samples[samples.length - 1]!.t - t0, 1)
  const out: T[] = []
  let bin = -1
  for (const s of samples) {
    const b = Math.min(max - 1, Math.floor(((s.t - t0) / span) * max))
    if (b !== bin) {
      out.push({ ...s })
      bin = b
    } else {
      const last = out[out.length - 1]!
      if (s.rss > last.rss) {
        last.t = s.t
        last.rss = s.rss
      }
      if (s.heapUsed > last.heapUsed) last.heapUsed = s.heapUsed
    }
  }
  return out
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text
}

function statusClassColor(status: number): string {
  if (status >= 200 && status < 300) return COLORS.s2xx
  if (status >= 300 && status < 400) return COLORS.s3xx
  if (status >= 400 && status < 500) return COLORS.s4xx
  if (status >= 500 && status < 600) return COLORS.s5xx
  return COLORS.other
}

interface Limits {
  topIpBars: number
  topIpRows: number
  statusBars: number
  topRows: number
  samples: number
  width: number
}

const LIMITS: Record<ReportVariant, Limits> = {
  document: { topIpBars: 15, topIpRows: 50, statusBars: 12, topRows: 20, samples: 3, width: 860 },
  view: { topIpBars: 10, topIpRows: 10, statusBars: 10, topRows: 8, samples: 1, width: 600 },
  chart: { topIpBars: 20, topIpRows: 0, statusBars: 14, topRows: 0, samples: 0, width: 900 },
}

export function buildReportModel(detail: AnalysisDetail, o: ModelOptions): ReportModel {
  const s = detail.summary
  const t = reportStrings(o.locale)
  const fmt = createReportFormat(o.locale, s.tzOffsetMinutes)
  const lim = LIMITS[o.variant]
  const budget = fmt.bytes(MEMORY_BUDGET_BYTES)

  // ---- header
  const fileNames = s.files.map((f) => `${f.name} (${fmt.bytes(f.size)})`)
  const shownFiles =
    fileNames.length > 6
      ? [...fileNames.slice(0, 5), t('meta.moreFiles', { count: fileNames.length - 5 })]
      : fileNames
  // The format most lines look like, when it is not the one used (the dashboard's banner).
  const suggestion =
    detail.formatSuggestion && detail.formatSuggestion !== s.format ? detail.formatSuggestion : null
  const meta = [
    { label: t('meta.files'), value: shownFiles.join(' · ') || '—' },
    {
      label: t('meta.format'),
      value:
        // 'auto' is the format asked for, left in the row of a run that ended before detection.
        (s.format && s.format !== 'auto'
          ? t(s.formatDetected ? 'meta.formatDetected' : 'meta.formatChosen', {
              // Whole, so that the format can be given again (an nginx log_format runs to a few
              // hundred characters); cut only past any real one.
              format: cut(s.format, 1000),
            })
          : '—') + (suggestion ? t('meta.formatSuggestion', { suggestion }) : ''),
    },
    {
      label: t('meta.status'),
      // Complete, but nothing counted: said as plainly as the dashboard's badge says it.
      value: t(countedNothing(s) ? 'status.noValidLines' : statusKey(s.status)),
    },
    {
      label: t('meta.times'),
      value:
        s.tzOffsetMinutes === null ? t('meta.timesUtc') : t('meta.timesLog', { zone: fmt.zone }),
    },
  ]

  const partialKinds = ['cancelled', 'incomplete', 'failed'] as const
  const errors = analysisErrors(s)
  // Files left out as no log, every byte of the others read: nothing "stopped" (as the
  // dashboard's banner says it).
  const leftOut =
    s.status === 'incomplete' && s.bytesRead >= s.totalBytes && onlyFilesLeftOut(errors)
  const partialKind = leftOut ? 'leftOut' : partialKinds.find((k) => k === s.status)
  const partial = partialKind
    ? {
        title: t('partial.title'),
        text: t(`partial.${partialKind}`, {
          read: fmt.bytes(s.bytesRead),
          total: fmt.bytes(s.totalBytes),
        }),
        reasons: errors
          .filter((e) => e.code !== 'CANCELLED')
          .map((e) => t('partial.reason', { message: errorText(e, o.locale, 'report') })),
      }
    : null

  // ---- KPIs
  const lines = s.pv + s.invalid
  const secs = Math.max(s.elapsedMs, 1) / 1000
  const kpis: Kpi[] = [
    { id: 'pv', label: t('kpi.pv'), value: fmt.int(s.pv), sub: t('kpi.pvSub') },
    { id: 'uv', label: t('kpi.uv'), value: fmt.int(s.uv), sub: t('kpi.uvSub') },
    {
      id: 'invalid',
      label: t('kpi.invalid'),
      value: fmt.int(s.invalid),
      sub: t('kpi.invalidSub', { share: fmt.share(s.invalid, lines) }),
    },
    {
      id: 'bandwidth',
      label: t('kpi.bandwidth'),
      value: fmt.bytes(s.bodyBytes),
      sub: t('kpi.bandwidthSub'),
    },
    {
      id: 'range',
      label: t('kpi.range'),
      value:
        s.firstTime === null || s.lastTime === null
          ? t('kpi.rangeNone')
          : `${fmt.logTime(s.firstTime, 'minute')} – ${fmt.logTime(s.lastTime, 'minute')}`,
      sub:
        s.firstTime === null || s.lastTime === null
          ? ''
          : `${fmt.duration(s.lastTime - s.firstTime)} · ${fmt.zone}`,
    },
    {
      id: 'read',
      label: t('kpi.read'),
      value:
        s.bytesRead < s.totalBytes
          ? `${fmt.bytes(s.bytesRead)} / ${fmt.bytes(s.totalBytes)}`
          : fmt.bytes(s.bytesRead),
      sub: t('kpi.readSub', { lines: fmt.int(s.linesRead) }),
    },
    {
      id: 'elapsed',
      label: t('kpi.elapsed'),
      value: fmt.duration(s.elapsedMs),
      sub: t('kpi.elapsedSub', { speed: fmt.speed(s.bytesRead / 1e6 / secs) }),
    },
    {
      id: 'peak',
      label: t('kpi.peak'),
      value: s.peakRssBytes > 0 ? fmt.bytes(s.peakRssBytes) : '—',
      sub: t('kpi.peakSub', { budget }),
    },
  ]

  // ---- traffic
  const bucket = detail.series.bucket
  const undated = undatedRequests(s.pv, detail.series)
  // Empty buckets drawn as zero, not as a line across the gap (shared/series.ts).
  const points = withEmptyBuckets(detail.series.points, bucket)
  const estimate = points.some((p) => !p.uvExact)
  const trafficNote =
    [
      estimate ? t('traffic.estimate') : null,
      undated > 0 ? t('traffic.undated', { count: fmt.int(undated) }) : null,
    ]
      .filter((x) => x !== null)
      .join(' ') || null
  let traffic: TrafficShape | null = null
  if (points.length > 0) {
    const first = points[0]!.t
    const last = points[points.length - 1]!.t
    const domain: [number, number] =
      first === last ? [first - BUCKET_MS[bucket], last + BUCKET_MS[bucket]] : [first, last]
    const span = domain[1] - domain[0]
    const precision: TimePrecision =
      span >= 180 * 86_400_000
        ? 'month'
        : span >= 4 * 86_400_000
          ? 'day'
          : span >= 20 * 3_600_000
            ? 'hour'
            : 'minute'
    traffic = {
      points: points.map((p) => ({ t: p.t, pv: p.pv, uv: p.uv })),
      domain,
      ticks:
        precision === 'month'
          ? monthTicks(
              domain[0],
              domain[1],
              (s.tzOffsetMinutes ?? 0) * 60_000,
              ticksThatFit(lim.width, precision),
            )
          : niceTicks(
              domain[0],
              domain[1],
              TIME_STEPS,
              (s.tzOffsetMinutes ?? 0) * 60_000,
              ticksThatFit(lim.width, precision),
            ),
      valueTicks: niceScale(Math.max(...points.map((p) => Math.max(p.pv, p.uv)))),
      tickLabel: (v) => fmt.tick(v, precision),
      valueLabel: (n) => fmt.compact(n),
      legend: [
        { label: t('series.pv'), color: COLORS.pv, mark: 'line' },
        { label: t(estimate ? 'series.uvEstimate' : 'series.uv'), color: COLORS.uv, mark: 'line' },
      ],
      size: { width: lim.width, height: o.variant === 'view' ? 240 : 280 },
    }
  }

  // ---- memory
  const samples = decimateMemory(detail.memory)
  let memory: MemoryShape | null = null
  let memoryNote: string | null = null
  if (samples.length > 0) {
    const pts = samples.map((m) => ({ t: m.t / 1000, rss: m.rss / MIB, heap: m.heapUsed / MIB }))
    // From the analysis start (samples are timed from it) to the last sample.
    const t1 = pts[pts.length - 1]!.t
    const domain: [number, number] = [0, t1 > 0 ? t1 : 1]
    // Seconds from the start: milliseconds for a run under a second (a small log), where tenths
    // of a second would label every tick "0.0 s".
    const elapsedLabel = (v: number): string =>
      domain[1] < 1 ? fmt.millis(v * 1000) : domain[1] < 60 ? fmt.seconds(v) : fmt.clock(v)
    const budgetMb = MEMORY_BUDGET_BYTES / MIB
    const peak = detail.memory.reduce((a, m) => (m.rss > a.rss ? m : a), detail.memory[0]!)
    const peakMb = Math.max(...pts.map((p) => p.rss))
    memory = {
      points: pts,
      domain,
      ticks: niceTicks(domain[0], domain[1], SECOND_STEPS),
      tickLabel: elapsedLabel,
      valueTicks: niceScale(Math.max(budgetMb, peakMb) * 1.1),
      budgetMb,
      budgetLabel: t('memory.budget', { budget }),
      legend: [
        { label: t('series.rss'), color: COLORS.rss, mark: 'line' },
        { label: t('series.heap'), color: COLORS.heap, mark: 'line' },
        { label: t('series.budget'), color: COLORS.budget, mark: 'dash' },
      ],
      size: { width: lim.width, height: o.variant === 'view' ? 220 : 240 },
    }
    // The process's high-water mark (the KPI's figure) can top every sample: say both then.
    const time = elapsedLabel(peak.t / 1000)
    memoryNote =
      s.peakRssBytes > peak.rss
        ? t('memory.peakAbove', {
            peak: fmt.bytes(s.peakRssBytes),
            sample: fmt.bytes(peak.rss),
            time,
          })
        : t('memory.peak', { peak: fmt.bytes(peak.rss), time })
  }

  // ---- top IPs
  const ipBars = detail.topIps.slice(0, lim.topIpBars)
  // Whole addresses (IPv6 up to 39 characters); a longer hostname is cut.
  const ipLabels = ipBars.map((r) => cut(r.ip, 39))
  const topIps: BarShape | null =
    ipBars.length === 0
      ? null
      : {
          bars: ipBars.map((r, i) => ({ label: ipLabels[i]!, value: r.pv, color: COLORS.bar })),
          valueTicks: niceScale(ipBars[0]!.pv),
          valueLabel: (n) => fmt.compact(n),
          barLabel: (n) => fmt.int(n),
          legend: [{ label: t('series.requests'), color: COLORS.bar, mark: 'bar' }],
          size: { width: lim.width, height: 24 * ipBars.length + 44 },
          // The axis is as wide as its longest label (11 px monospace: 6.7 px a character).
          categoryWidth: Math.ceil(Math.max(...ipLabels.map((l) => l.length)) * 6.7) + 12,
        }

  // ---- status codes
  const sorted = [...detail.statuses].sort((a, b) => b.count - a.count || a.status - b.status)
  const shown = sorted.slice(0, lim.statusBars)
  const rest = sorted.slice(lim.statusBars).reduce((n, x) => n + x.count, 0)
  const statusBars = [
    ...shown
      .map((x) => ({ label: String(x.status), value: x.count, color: statusClassColor(x.status) }))
      .sort((a, b) => Number(a.label) - Number(b.label)),
    ...(rest > 0 ? [{ label: t('series.other'), value: rest, color: COLORS.other }] : []),
  ]
  const classesSeen = new Set(statusBars.map((b) => b.color))
  const statusLegend: LegendItem[] = (
    [
      ['series.s2xx', COLORS.s2xx],
      ['series.s3xx', COLORS.s3xx],
      ['series.s4xx', COLORS.s4xx],
      ['series.s5xx', COLORS.s5xx],
      ['series.other', COLORS.other],
    ] as [ReportKey, string][]
  )
    .filter(([, c]) => classesSeen.has(c))
    .map(([k, c]) => ({ label: t(k), color: c, mark: 'bar' as const }))
  const statuses: BarShape | null =
    statusBars.length === 0
      ? null
      : {
          bars: statusBars,
          valueTicks: niceScale(Math.max(...statusBars.map((b) => b.value))),
          valueLabel: (n) => fmt.compact(n),
          barLabel: (n) => fmt.int(n),
          legend: statusLegend,
          size: { width: lim.width, height: o.variant === 'view' ? 200 : 220 },
          categoryWidth: 0,
        }

  // ---- tables
  // The view (two columns) leaves out the per-class counts and the first/last times.
  const full = o.variant === 'document'
  const ipRow = (r: IpRow, i: number): TableShape['rows'][number] => ({
    cells: [
      { text: String(i + 1), numeric: true },
      // A hostname client (Apache HostnameLookups) may be long: it breaks anywhere.
      { text: r.ip, mono: true, ip: /^[\d.]+$|:/.test(r.ip) },
      { text: fmt.int(r.pv), numeric: true },
      { text: fmt.share(r.pv, s.pv), numeric: true },
      { text: fmt.bytes(r.bytes), numeric: true },
      ...(full
        ? [
            {
              text: [r.s2xx, r.s3xx, r.s4xx, r.s5xx].map((n) => fmt.int(n)).join(' / '),
              numeric: true,
            },
            { text: fmt.logTime(r.firstSeen, 'second'), whole: true },
            { text: fmt.logTime(r.lastSeen, 'second'), whole: true },
          ]
        : []),
    ],
  })
  const topIpTable: TableShape = {
    head: [
      { label: t('col.rank'), numeric: true },
      { label: t('col.ip') },
      { label: t('col.requests'), numeric: true },
      { label: t('col.share'), numeric: true },
      { label: t('col.bytes'), numeric: true },
      ...(full
        ? [
            { label: '2xx / 3xx / 4xx / 5xx', numeric: true },
            { label: t('col.firstSeen') },
            { label: t('col.lastSeen') },
          ]
        : []),
    ],
    rows: detail.topIps.slice(0, lim.topIpRows).map(ipRow),
  }
  const statusTable: TableShape = {
    head: [
      { label: t('col.status') },
      { label: t('col.count'), numeric: true },
      { label: t('col.share'), numeric: true },
    ],
    rows: sorted.map((x) => ({
      cells: [
        { text: String(x.status), mono: true },
        { text: fmt.int(x.count), numeric: true },
        { text: fmt.share(x.count, s.pv), numeric: true },
      ],
    })),
  }

  const topTitle: Record<TopKind, [ReportKey, ReportKey]> = {
    path: ['section.paths', 'col.path'],
    agent: ['section.agents', 'col.agent'],
    referrer: ['section.referrers', 'col.referrer'],
  }
  const topLists: TopListShape[] = (['path', 'agent', 'referrer'] as TopKind[]).map((kind) => {
    const items: TopItem[] = detail.top[kind].slice(0, lim.topRows)
    return {
      kind,
      title: t(topTitle[kind][0]),
      // Nothing recorded says so in the table's place; one item is all there was.
      sub:
        items.length === 0
          ? ''
          : items.length === 1
            ? t('top.subOne')
            : t('top.sub', { count: items.length }),
      approx: items.some((x) => x.error > 0),
      table: {
        head: [
          { label: t('col.rank'), numeric: true },
          { label: t(topTitle[kind][1]) },
          { label: t('col.count'), numeric: true },
          { label: t('col.share'), numeric: true },
        ],
        rows: items.map((x, i) => ({
          cells: [
            { text: String(i + 1), numeric: true },
            {
              text: cut(x.key, 400),
              mono: kind !== 'agent',
              ...(x.bot ? { tag: t('top.bot') } : {}),
            },
            {
              text: x.error > 0 ? `≈ ${fmt.int(x.count)} (±${fmt.int(x.error)})` : fmt.int(x.count),
              numeric: true,
            },
            { text: fmt.share(x.count, s.pv), numeric: true },
          ],
        })),
      },
    }
  })

  const invalid: InvalidShape | null =
    detail.invalid.length === 0
      ? null
      : {
          table: {
            head: [
              { label: t('col.reason') },
              { label: t('col.lines'), numeric: true },
              { label: t('col.share'), numeric: true },
            ],
            rows: detail.invalid.map((r) => ({
              cells: [
                { text: t(reasonKey(r.reason)) },
                { text: fmt.int(r.count), numeric: true },
                { text: fmt.share(r.count, lines), numeric: true },
              ],
            })),
          },
          samples: detail.invalid
            .filter((r) => r.samples.length > 0)
            .map((r) => ({
              reason: t(reasonKey(r.reason)),
              lines: r.samples.slice(0, lim.samples).map((l, i) => {
                const file = s.files.length > 1 ? r.sampleFiles?.[i] : undefined
                return { text: cut(l, 300), ...(file ? { file } : {}) }
              }),
            }))
            .filter((r) => r.lines.length > 0),
        }

  const bucketSub: Record<BucketSize, ReportKey> = {
    minute: 'traffic.sub.minute',
    hour: 'traffic.sub.hour',
    day: 'traffic.sub.day',
    month: 'traffic.sub.month',
    year: 'traffic.sub.year',
  }
  const docTitle = t('doc.title')
  return {
    locale: o.locale,
    variant: o.variant,
    t,
    fmt,
    docTitle,
    name: s.name,
    meta,
    generated: t('doc.generated', { time: fmt.wallTime(o.generatedAt) }),
    madeWith: t('doc.madeWith', { version: o.version }),
    partial,
    kpis,
    traffic: {
      id: 'traffic',
      title: t('section.traffic'),
      sub: t(bucketSub[bucket]),
      note: trafficNote,
      shape: traffic,
    },
    memory: {
      id: 'memory',
      title: t('section.memory'),
      sub: t('memory.sub', { budget }),
      note: memoryNote,
      shape: memory,
    },
    topIps: {
      id: 'top-ips',
      title: t('section.topIps'),
      // A chart exported alone has no table to speak of.
      sub:
        topIpTable.rows.length > 1
          ? t('topIps.sub', { count: topIpTable.rows.length })
          : topIpTable.rows.length === 1
            ? t('topIps.subOne')
            : t('topIps.subChart'),
      note: null,
      shape: topIps,
    },
    statuses: {
      id: 'statuses',
      title: t('section.statuses'),
      sub: t('statuses.sub'),
      note: null,
      shape: statuses,
    },
    topIpTable,
    statusTable,
    topLists,
    invalid,
  }
}
