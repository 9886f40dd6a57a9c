// Locale-aware numbers, sizes and durations (Intl), shared by the dashboard and the reports so a
// figure reads the same on screen and on paper. Pure: no DOM, no Node.
import type { Locale } from './contract'

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']

export function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n)
}

/** A fixed UTC offset as a label, e.g. "UTC+08:00", "UTC−05:00". */
export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+'
  const a = Math.abs(minutes)
  return `UTC${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`
}

/** Pieces of Intl date-time options the dashboard and the reports combine per precision. */
export const YMD = { year: 'numeric', month: '2-digit', day: '2-digit' } as const
export const MD = { month: '2-digit', day: '2-digit' } as const
export const YM = { year: 'numeric', month: '2-digit' } as const
export const HM = { hour: '2-digit', minute: '2-digit' } as const
export const HMS = { ...HM, second: '2-digit' } as const

export interface NumberFormats {
  int(n: number): string
  compact(n: number): string
  decimal(n: number, digits?: number): string
  percent(share: number): string
  /**
   * A share of a total, always with one decimal so a column or legend of shares lines up
   * ("7.0%" beside "57.6%"); none reads "0%", a small non-zero share "< 0.1%", not 0.0%.
   */
  share(share: number): string
  /** Bytes in binary units with 0–2 decimals, e.g. "1.46 MB". */
  bytes(n: number): string
  /**
   * A speed in MB/s, without its unit: one decimal under 100, none above; a small non-zero one
   * "< 0.1" (a log of a few KB read in 0.1 s), not "0.0".
   */
  speed(mbPerSecond: number): string
  /** Elapsed time in words, e.g. "1 min 05 s", "2 小时 3 分". */
  duration(ms: number): string
  /** Elapsed seconds on a chart axis: m:ss or h:mm:ss. */
  clock(seconds: number): string
  /** A time under a second in whole milliseconds, e.g. "40 ms" (axes of short runs). */
  millis(ms: number): string
}

export function createNumberFormats(locale: Locale): NumberFormats {
  const zh = locale === 'zh-CN'
  const intFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
  const compactFmt = new Intl.NumberFormat(locale, {
    notation: 'compact',
    maximumFractionDigits: 1,
  })
  const pctFmt = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
  const shareFmt = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  })
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
  return {
    int: (n) => intFmt.format(n),
    compact: (n) => compactFmt.format(n),
    decimal: (n, digits = 1) => dec(digits).format(n),
    percent: (share) => pctFmt.format(share),
    share: (share) =>
      share === 0
        ? pctFmt.format(0)
        : share > 0 && share < 0.001
          ? '< ' + shareFmt.format(0.001)
          : shareFmt.format(share),
    speed: (v) =>
      v > 0 && v < 0.05 ? '< ' + dec(1).format(0.1) : dec(v < 100 ? 1 : 0).format(Math.max(0, v)),
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
    millis(ms) {
      const v = intFmt.format(Math.round(Math.max(0, ms)))
      return zh ? `${v} 毫秒` : `${v} ms`
    },
    clock(seconds) {
      const total = Math.max(0, Math.round(seconds))
      const h = Math.floor(total / 3600)
      const m = Math.floor((total % 3600) / 60)
      const s = total % 60
      return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`
    },
  }
}
