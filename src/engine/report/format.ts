// Numbers, sizes, dates and durations for reports, per locale (Intl). Log times are shown in the
// log's own UTC offset when it is known (the same default as the dashboard), else in UTC, so a
// report reads the same wherever it is opened.
import type { Locale } from '../../shared/contract'
import { createNumberFormats, HM, HMS, MD, offsetLabel, YM, YMD } from '../../shared/format'

export { offsetLabel }

const MINUTE = 60_000

export type TimePrecision = 'second' | 'minute' | 'hour' | 'day' | 'month'

export interface ReportFormat {
  locale: Locale
  int(n: number): string
  compact(n: number): string
  decimal(n: number, digits?: number): string
  /** A speed in MB/s, without the unit (NumberFormats.speed). */
  speed(mbPerSecond: number): string
  /** A share of a total; a small non-zero share reads "< 0.1%", never 0%. */
  share(part: number, total: number): string
  bytes(n: number): string
  /** A log time (epoch ms) in the report's zone. */
  logTime(ms: number, precision: TimePrecision): string
  /** A short axis label for a log time. */
  tick(ms: number, precision: TimePrecision): string
  /** The report's zone, e.g. "UTC+08:00". */
  zone: string
  /** A wall-clock time of this machine (when the report was made), with its zone. */
  wallTime(ms: number): string
  duration(ms: number): string
  /** Elapsed seconds on an axis: m:ss or h:mm:ss. */
  clock(seconds: number): string
  /** A short elapsed time in seconds: "0.5 s", "12 s". */
  seconds(seconds: number): string
  /** Under a second, in whole milliseconds: "40 ms". */
  millis(ms: number): string
}

/** `YYYY-MM-DD HH:MM:SS` in a fixed offset: what spreadsheets read as a date-time. */
export function plainTime(ms: number, offsetMinutes: number): string {
  const iso = new Date(ms + offsetMinutes * MINUTE).toISOString()
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19)
}

export function createReportFormat(locale: Locale, offsetMinutes: number | null): ReportFormat {
  const zh = locale === 'zh-CN'
  const off = offsetMinutes ?? 0
  const n = createNumberFormats(locale)
  // Log times: format the shifted instant in UTC, which is the log's wall clock.
  const base: Intl.DateTimeFormatOptions = { timeZone: 'UTC', hourCycle: 'h23' }
  const fmt = (o: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
    new Intl.DateTimeFormat(locale, { ...base, ...o })
  const full: Record<TimePrecision, Intl.DateTimeFormat> = {
    second: fmt({ ...YMD, ...HMS }),
    minute: fmt({ ...YMD, ...HM }),
    hour: fmt({ ...YMD, ...HM }),
    day: fmt(YMD),
    month: fmt(YM),
  }
  const short: Record<TimePrecision, Intl.DateTimeFormat> = {
    second: fmt(HMS),
    minute: fmt(HM),
    hour: fmt({ ...MD, ...HM }),
    day: fmt(MD),
    month: fmt(YM),
  }
  const wallFmt = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  })
  const localZone = offsetLabel(-new Date().getTimezoneOffset())

  return {
    locale,
    int: n.int,
    compact: n.compact,
    decimal: n.decimal,
    speed: n.speed,
    share: (part, total) => n.share(total > 0 ? part / total : 0),
    bytes: n.bytes,
    logTime: (ms, p) => full[p].format(ms + off * MINUTE),
    tick: (ms, p) => short[p].format(ms + off * MINUTE),
    zone: offsetLabel(off),
    wallTime: (ms) => `${wallFmt.format(ms)} (${localZone})`,
    duration: n.duration,
    clock: n.clock,
    millis: n.millis,
    seconds(seconds) {
      const v = seconds < 10 ? n.decimal(seconds, 1) : n.int(seconds)
      return zh ? `${v} 秒` : `${v} s`
    },
  }
}
