import { describe, expect, it } from 'vitest'
import { ERROR_CODES, ERROR_LOG, INVALID_REASONS } from '../../src/shared/types'
import { en } from '../../src/renderer/src/i18n/en'
import { zhCN } from '../../src/renderer/src/i18n/zh-CN'
import { pluralize } from '../../src/shared/plural'
import { createFormatter, offsetLabel } from '../../src/renderer/src/i18n/format'
import {
  errorMessage,
  interpolate,
  makeTranslate,
  matchLocale,
} from '../../src/renderer/src/i18n/translate'

const tEn = makeTranslate('en', createFormatter('en').int)
const tZh = makeTranslate('zh-CN', createFormatter('zh-CN').int)

describe('catalogs', () => {
  it('zh-CN has exactly the English keys, none empty', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort())
    for (const [k, v] of Object.entries(zhCN)) expect(v, k).not.toBe('')
  })

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const k of Object.keys(en) as (keyof typeof en)[])
      expect(names(zhCN[k]), k).toEqual(names(en[k]))
  })

  it('translates every ErrorCode and invalid reason', () => {
    for (const code of ERROR_CODES) {
      expect(en).toHaveProperty(`error.${code}`)
      const zh = errorMessage(
        { code, message: 'm', params: { file: 'a.log', format: 'combined' } },
        tZh,
        'zh-CN',
      )
      expect(zh).not.toMatch(/\{|error\./)
      const e = errorMessage({ code, message: 'm' }, tEn, 'en')
      expect(e).not.toMatch(/\{|error\./)
    }
    for (const r of INVALID_REASONS) expect(en).toHaveProperty(`invalid.reason.${r}`)
  })
})

describe('messages', () => {
  it('interpolates and formats numbers per locale', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}')
    expect(tEn('ips.range', { from: 1, to: 50, total: 1234567 })).toBe('1–50 of 1,234,567')
  })

  it('takes the English singular for one, by the number before it is formatted', () => {
    expect(tEn('invalid.count', { count: 1 })).toBe('1 line')
    expect(tEn('invalid.count', { count: 0 })).toBe('0 lines')
    expect(tEn('invalid.count', { count: 1000 })).toBe('1,000 lines')
    expect(tZh('invalid.count', { count: 1 })).toBe('1 行')
    expect(tEn('chart.topIps.aria', { count: 1, ip: '10.0.0.1', requests: 1 })).toBe(
      'Bar chart of the 1 busiest client IP. First: 10.0.0.1 with 1 request.',
    )
    expect(tEn('chart.topIps.aria', { count: 10, ip: '10.0.0.1', requests: 2 })).toBe(
      'Bar chart of the 10 busiest client IPs. First: 10.0.0.1 with 2 requests.',
    )
    // Formatted text counts too (reports and the CLI pass numbers already formatted).
    expect(pluralize('{n} {n|row|rows}', { n: '1' })).toBe('{n} row')
    expect(pluralize('{n} {n|row|rows}', { n: '1.0 k' })).toBe('{n} rows')
    expect(pluralize('{n|row|rows}', {})).toBe('{n|row|rows}')
  })

  it('says an error log is one, and to open the access log when it was chosen alone', () => {
    const byLines = {
      code: 'NOT_A_LOG' as const,
      message: '',
      params: { file: 'error.log', kind: ERROR_LOG, server: 'nginx' },
    }
    expect(errorMessage(byLines, tEn, 'en')).toBe(
      'error.log looks like a web server error log, not an access log. Open the access log instead: it is usually beside it, named access.log.',
    )
    expect(errorMessage(byLines, tZh, 'zh-CN')).toBe(
      '“error.log”看起来是 Web 服务器的错误日志，不是访问日志。请改为打开访问日志：它通常就在旁边，名为 access.log。',
    )
    // Left out of several, or known only by its name in a folder: no advice (the access log is
    // there too); and never the hint to paste a format.
    const leftOut = { ...byLines, params: { ...byLines.params, leftOut: 'yes' } }
    expect(errorMessage(leftOut, tEn, 'en')).toBe(
      'error.log looks like a web server error log, not an access log. It was left out of the analysis.',
    )
    const byName = { ...byLines, params: { file: 'error.log', kind: ERROR_LOG } }
    expect(errorMessage(byName, tEn, 'en')).toBe(
      'error.log looks like a web server error log, not an access log.',
    )
  })

  it('names the file, quoted in Chinese, and falls back without it', () => {
    const info = {
      code: 'NOT_A_LOG' as const,
      message: '',
      params: { file: 'photo.png', formats: 'combined, common' },
    }
    expect(errorMessage(info, tEn, 'en')).toBe(
      'photo.png does not look like a web access log. LogLens reads nginx and Apache access logs, plain or .gz. Formats tried: combined, common. If your server writes a log format of its own, choose “Custom log_format…” under Log format and paste it there.',
    )
    expect(errorMessage(info, tZh, 'zh-CN')).toBe(
      '“photo.png”看起来不是 Web 访问日志。LogLens 可以读取 nginx 和 Apache 的访问日志（纯文本或 .gz）。已尝试的格式：combined, common。如果服务器写的是自定义格式的日志，请在“日志格式”中选择“自定义 log_format…”，把格式串粘贴进去。',
    )
    // The command line names its option; a report, and a file left out of several, no hint.
    expect(errorMessage(info, tEn, 'en', 'cli')).toMatch(/ give it with --format\.$/)
    expect(errorMessage(info, tEn, 'en', null)).toMatch(/Formats tried: combined, common\.$/)
    const leftOut = { ...info, params: { ...info.params, leftOut: 'yes' } }
    expect(errorMessage(leftOut, tEn, 'en')).toMatch(/ It was left out of the analysis\.$/)
    expect(errorMessage(leftOut, tEn, 'en')).not.toContain('Custom')
    const uploaded = {
      code: 'NOT_FOUND' as const,
      message: '',
      params: { file: 'a.log', uploaded: 1 },
    }
    expect(errorMessage(uploaded, tEn, 'en')).toBe(
      'a.log was uploaded to an earlier session of LogLens in the browser, and that copy is no longer kept. Open the file again.',
    )
    expect(errorMessage(uploaded, tZh, 'zh-CN')).toBe(
      '“a.log”是在之前一次浏览器会话中上传的，那份副本已不再保留。请重新打开这个文件。',
    )
    expect(errorMessage({ code: 'EMPTY_INPUT', message: '' }, tEn, 'en')).toBe(
      'The file is empty: there is nothing to analyse.',
    )
  })

  it('maps browser languages', () => {
    expect(matchLocale('zh-TW')).toBe('zh-CN')
    expect(matchLocale('zh')).toBe('zh-CN')
    expect(matchLocale('en-GB')).toBe('en')
    expect(matchLocale('fr')).toBe('en')
  })
})

describe('formatter', () => {
  const f = createFormatter('en')
  const z = createFormatter('zh-CN')
  it('formats sizes and durations', () => {
    expect(f.bytes(0)).toBe('0 B')
    expect(f.bytes(1536)).toBe('1.50 KB')
    expect(f.bytes(100 * 1024 * 1024)).toBe('100 MB')
    expect(f.duration(3_500)).toBe('3.5 s')
    expect(f.duration(65_000)).toBe('1 min 05 s')
    expect(z.duration(65_000)).toBe('1 分 05 秒')
    expect(f.clock(3_725_000)).toBe('1:02:05')
  })

  it("shows log times in the log's own offset or the local zone", () => {
    const t = Date.UTC(2024, 2, 10, 16, 5, 0)
    expect(f.logTime(t, 'minute', { mode: 'log', offsetMinutes: 480 })).toContain('00:05')
    expect(f.zoneLabel({ mode: 'log', offsetMinutes: 480 })).toBe('UTC+08:00')
    expect(offsetLabel(-330)).toBe('UTC−05:30')
  })

  it('uses Chinese number grouping', () => {
    expect(z.compact(12345)).toBe('1.2万')
  })
})
