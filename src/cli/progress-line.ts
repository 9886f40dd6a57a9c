// Progress lines in the lesson's voice: `[程序员晚枫] 已处理 3.0 M 行,内存 62.4 MB`.
import type { Locale } from '../shared/contract'
import { countOf } from '../shared/plural'
import { WATERMARK_TEXT } from '../shared/types'

export function countText(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`
  return String(n)
}

export function progressLine(lang: Locale, lines: number, rssBytes: number): string {
  const mb = (rssBytes / (1024 * 1024)).toFixed(1)
  return lang === 'zh-CN'
    ? `[${WATERMARK_TEXT}] 已处理 ${countText(lines)} 行,内存 ${mb} MB`
    : `[${WATERMARK_TEXT}] Processed ${countOf(countText(lines), 'line', 'lines')}, memory ${mb} MB`
}
