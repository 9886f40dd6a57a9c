// Numbers, sizes, dates and durations per locale (Intl). Pure: no React.
import type { Locale } from '../../../shared/contract'
import type { BucketSize } from '../../../shared/types'

export type TimeMode = 'log' | 'local'

export interface TimeZoneChoice {
  mode: TimeMode
  /** The log's own UTC offset; null when unknown (then local time is used). */
  offsetMinutes: number | null
}

export interface Formatter {
  locale: Locale
  int(n: number): string
  compact(n: number): string
  decimal(n: number, digits?: number): string
  percent(share: number): string
  /** A share of a total: like percent, but a small non-zero share reads "< 0.1%", not 0%. */
  share(share: number): string
  bytes(n: number): string
  /** A wall-clock date and time in the user's zone (history, "saved at"). */
  dateTime(ms: number): string
  /** A log time (epoch ms) in the chosen zone, with the precision a bucket needs. */
  logTime(ms: number, bucket: BucketSize | 'full', tz: TimeZoneChoice): string
  /** Label of the chosen zone, e.g. "UTC+08:00" or the browser's zone name. */
  zoneLabel(tz: TimeZoneChoice): string
  /** Elapsed time, e.g. 1 min 05 s. */
  duration(ms: number): string
  /** Elapsed time on a chart axis: m:ss or h:mm:ss. */
  clock(ms: number): string
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']

export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+'
  const a = Math.abs(minutes)
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

export function createFormatter(locale: Locale): Formatter {
  const intFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
  const compactFmt = new Intl.NumberFormat(locale, {
    notation: 'compact',
    maximumFractionDigits: 1,
  })
  const pctFmt = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
  const decFmts = new Map<number, Intl.NumberFormat>()
  const dec = (digits: number) => {
    let f = decFmts.get(digits)
    if (!f) {
      f = new Intl.NumberFormat(locale, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
      decFmts.set(digits, f)
    }
    return f
  }
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
        bucket === 'minute'
          ? { ...base, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }
          : bucket === 'hour'
            ? { ...base, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }
            : bucket === 'day'
              ? { ...base, year: 'numeric', month: '2-digit', day: '2-digit' }
              : {
                  ...base,
                  year: 'numeric',
                  month: '2-digit',
                  day: '2-digit',
                  hour: '2-digit',
                  minute: '2-digit',
                  second: '2-digit',
                }
      f = new Intl.DateTimeFormat(locale, opts)
      timeFmts.set(k, f)
    }
    return f
  }
  const zh = locale === 'zh-CN'
  const localZone =
    Intl.DateTimeFormat().resolvedOptions().timeZone || offsetLabel(-new Date().getTimezoneOffset())

  return {
    locale,
    int: (n) => intFmt.format(n),
    compact: (n) => compactFmt.format(n),
    decimal: (n, digits = 1) => dec(digits).format(n),
    percent: (share) => pctFmt.format(share),
    share: (share) =>
      share > 0 && share < 0.001 ? '< ' + pctFmt.format(0.001) : pctFmt.format(share),
    bytes(n) {
      let v = Math.max(0, n)
      let u = 0
      while (v >= 1024 && u < UNITS.length - 1) {
        v /= 1024
        u++
      }
      const digits = u === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0
      return `${dec(digits).format(v)} ${UNITS[u]}`
    },
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
    duration(ms) {
      const totalS = Math.max(0, ms) / 1000
      if (totalS < 60) {
        const s = totalS < 10 ? dec(1).format(totalS) : intFmt.format(Math.round(totalS))
        return zh ? `${s} 秒` : `${s} s`
      }
      const total = Math.round(totalS)
      const h = Math.floor(total / 3600)
      const m = Math.floor((total % 3600) / 60)
      const s = total % 60
      if (h > 0) {
        if (h >= 48) {
          const d = Math.round(h / 24)
          return zh ? `${intFmt.format(d)} 天` : `${intFmt.format(d)} days`
        }
        return zh ? `${h} 小时 ${m} 分` : `${h} h ${m} min`
      }
      return zh ? `${m} 分 ${pad2(s)} 秒` : `${m} min ${pad2(s)} s`
    },
    clock(ms) {
      const total = Math.max(0, Math.round(ms / 1000))
      const h = Math.floor(total / 3600)
      const m = Math.floor((total % 3600) / 60)
      const s = total % 60
      return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`
    },
  }
}
