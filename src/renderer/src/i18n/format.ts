// Numbers, sizes, dates and durations per locale (Intl). Pure: no React.
import type { Locale } from '../../../shared/contract'
import type { BucketSize } from '../../../shared/types'
import {
  createNumberFormats,
  HM,
  HMS,
  MD,
  offsetLabel,
  YM,
  YMD,
  type NumberFormats,
} from '../../../shared/format'

export type TimeMode = 'log' | 'local'

export interface TimeZoneChoice {
  mode: TimeMode
  /** The log's own UTC offset; null when unknown (then local time is used). */
  offsetMinutes: number | null
}

/** Numbers as everywhere (shared with the reports), plus the dashboard's dates and zones. */
export interface Formatter extends Omit<NumberFormats, 'clock'> {
  locale: Locale
  /** A wall-clock date and time in the user's zone (history, "saved at"). */
  dateTime(ms: number): string
  /** A log time (epoch ms) in the chosen zone, with the precision a bucket needs. */
  logTime(ms: number, bucket: BucketSize | 'full', tz: TimeZoneChoice): string
  /** Label of the chosen zone, e.g. "UTC+08:00" or the browser's zone name. */
  zoneLabel(tz: TimeZoneChoice): string
  /** Elapsed time on a chart axis, from milliseconds: m:ss or h:mm:ss. */
  clock(ms: number): string
}

export { offsetLabel }

export function createFormatter(locale: Locale): Formatter {
  const n = createNumberFormats(locale)
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  const timeFmts = new Map<string, Intl.DateTimeFormat>()
  const timeFmt = (bucket: BucketSize | 'full', utc: boolean) => {
    const k = bucket + (utc ? 'u' : 'l')
    let f = timeFmts.get(k)
    if (!f) {
      const base: Intl.DateTimeFormatOptions = {
        hourCycle: 'h23',
        ...(utc ? { timeZone: 'UTC' } : {}),
      }
      const opts: Intl.DateTimeFormatOptions =
        bucket === 'minute' || bucket === 'hour'
          ? { ...base, ...MD, ...HM }
          : bucket === 'day'
            ? { ...base, ...YMD }
            : bucket === 'month'
              ? { ...base, ...YM }
              : bucket === 'year'
                ? { ...base, year: 'numeric' }
                : { ...base, ...YMD, ...HMS }
      f = new Intl.DateTimeFormat(locale, opts)
      timeFmts.set(k, f)
    }
    return f
  }
  const localZone =
    Intl.DateTimeFormat().resolvedOptions().timeZone || offsetLabel(-new Date().getTimezoneOffset())

  return {
    locale,
    int: n.int,
    compact: n.compact,
    decimal: n.decimal,
    speed: n.speed,
    percent: n.percent,
    share: n.share,
    bytes: n.bytes,
    dateTime: (ms) => dateTimeFmt.format(ms),
    logTime(ms, bucket, tz) {
      if (tz.mode === 'log' && tz.offsetMinutes !== null) {
        return timeFmt(bucket, true).format(ms + tz.offsetMinutes * 60_000)
      }
      return timeFmt(bucket, false).format(ms)
    },
    zoneLabel(tz) {
      if (tz.mode === 'log' && tz.offsetMinutes !== null) return offsetLabel(tz.offsetMinutes)
      return localZone
    },
    duration: n.duration,
    millis: n.millis,
    clock: (ms) => n.clock(ms / 1000),
  }
}
