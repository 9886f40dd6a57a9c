// Numbers, sizes, dates and durations for reports, per locale (Intl). Log times are shown in the
// log's own UTC offset when it is known (the same default as the dashboard), else in UTC, so a
// report reads the same wherever it is opened.
import type { Locale } from '../../shared/contract'

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']
const MINUTE = 60_000

export type TimePrecision = 'second' | 'minute' | 'hour' | 'day'

export interface ReportFormat {
  locale: Locale
  int(n: number): string
  compact(n: number): string
  decimal(n: number, digits?: number): string
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
}

export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+'
  const a = Math.abs(minutes)
  return `UTC${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n)
}

/** `YYYY-MM-DD HH:MM:SS` in a fixed offset: what spreadsheets read as a date-time. */
export function plainTime(ms: number, offsetMinutes: number): string {
  const iso = new Date(ms + offsetMinutes * MINUTE).toISOString()
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19)
}

export function createReportFormat(locale: Locale, offsetMinutes: number | null): ReportFormat {
  const zh = locale === 'zh-CN'
  const off = offsetMinutes ?? 0
  const intFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
  const compactFmt = new Intl.NumberFormat(locale, {
    notation: 'compact',
    maximumFractionDigits: 1,
  })
  const pctFmt = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
  const decFmts = new Map<number, Intl.NumberFormat>()
  const dec = (digits: number): Intl.NumberFormat => {
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
  // Log times: format the shifted instant in UTC, which is the log's wall clock.
  const base: Intl.DateTimeFormatOptions = { timeZone: 'UTC', hourCycle: 'h23' }
  const full: Record<TimePrecision, Intl.DateTimeFormat> = {
    second: new Intl.DateTimeFormat(locale, {
      ...base,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
    minute: new Intl.DateTimeFormat(locale, {
      ...base,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }),
    hour: new Intl.DateTimeFormat(locale, {
      ...base,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }),
    day: new Intl.DateTimeFormat(locale, {
      ...base,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }),
  }
  const short: Record<TimePrecision, Intl.DateTimeFormat> = {
    second: new Intl.DateTimeFormat(locale, {
      ...base,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
    minute: new Intl.DateTimeFormat(locale, { ...base, hour: '2-digit', minute: '2-digit' }),
    hour: new Intl.DateTimeFormat(locale, {
      ...base,
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }),
    day: new Intl.DateTimeFormat(locale, { ...base, month: '2-digit', day: '2-digit' }),
  }
  const wallFmt = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  })
  const localZone = offsetLabel(-new Date().getTimezoneOffset())

  return {
    locale,
    int: (n) => intFmt.format(n),
    compact: (n) => compactFmt.format(n),
    decimal: (n, digits = 1) => dec(digits).format(n),
    share(part, total) {
      if (total <= 0) return pctFmt.format(0)
      const s = part / total
      return s > 0 && s < 0.001 ? '< ' + pctFmt.format(0.001) : pctFmt.format(s)
    },
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
    logTime: (ms, p) => full[p].format(ms + off * MINUTE),
    tick: (ms, p) => short[p].format(ms + off * MINUTE),
    zone: offsetLabel(off),
    wallTime: (ms) => `${wallFmt.format(ms)} (${localZone})`,
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
      if (h >= 48) {
        const d = intFmt.format(Math.round(h / 24))
        return zh ? `${d} 天` : `${d} days`
      }
      if (h > 0) return zh ? `${h} 小时 ${m} 分` : `${h} h ${m} min`
      return zh ? `${m} 分 ${pad2(s)} 秒` : `${m} min ${pad2(s)} s`
    },
    clock(seconds) {
      const total = Math.max(0, Math.round(seconds))
      const h = Math.floor(total / 3600)
      const m = Math.floor((total % 3600) / 60)
      const s = total % 60
      return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`
    },
    seconds(seconds) {
      const v = seconds < 10 ? dec(1).format(seconds) : intFmt.format(seconds)
      return zh ? `${v} 秒` : `${v} s`
    },
  }
}
