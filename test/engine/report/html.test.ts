// The HTML report built from a real analysis (the built CLI analyses a generated log with hostile
// lines): self-contained, nothing that loads or runs, every section in both languages, numbers
// per locale, four recharts SVGs each with the credit in its legend, a partial-results banner.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildReportHtml, escapeHtml, REPORT_CSP } from '../../../src/engine/report/html'
import { buildReportModel } from '../../../src/engine/report/model'
import { openDatabase } from '../../../src/engine/store/db'
import { getAnalysisDetail } from '../../../src/engine/store/queries'
import type { AnalysisDetail } from '../../../src/shared/types'
import { LEGEND_CREDIT, WATERMARK_TEXT } from '../../../src/shared/types'
import { requireBuild } from '../../support/build'
import { analyseHostileLog, HOSTILE_NAME, type AnalyzeJson } from './fixtures'

const dir = mkdtempSync(join(tmpdir(), 'loglens-html-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let run: AnalyzeJson
let detail: AnalysisDetail
const html: Record<'en' | 'zh-CN', string> = { en: '', 'zh-CN': '' }
const NOW = Date.UTC(2026, 10, 23, 12, 0)

beforeAll(async () => {
  requireBuild()
  const db = join(dir, 'h.db')
  run = analyseHostileLog(dir, db)
  const conn = openDatabase(db, { readonly: true })
  detail = getAnalysisDetail(conn, run.analysisId)!
  conn.close()
  for (const locale of ['en', 'zh-CN'] as const)
    html[locale] = await buildReportHtml(detail, {
      locale,
      variant: 'document',
      version: '9.9.9',
      generatedAt: NOW,
    })
}, 120_000)

/** Start tags with their attributes (a cheap tokenizer: enough to find anything that loads). */
const startTags = (doc: string): string[] => doc.match(/<[a-zA-Z][^>]*>/g) ?? []

describe('HTML report', () => {
  it('is one self-contained document with a CSP that allows nothing to load', () => {
    for (const doc of Object.values(html)) {
      expect(doc.startsWith('<!doctype html>')).toBe(true)
      const head = doc.slice(0, doc.indexOf('</head>'))
      expect(head).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`)
      expect(head.indexOf('Content-Security-Policy')).toBeLessThan(head.indexOf('<style>'))
      expect(REPORT_CSP).toMatch(/default-src 'none'/)
      const tags = startTags(doc)
      expect(
        tags.filter((t) =>
          /^<(script|iframe|img|a|link|object|embed|frame|form|base|image|use)\b/i.test(t),
        ),
      ).toEqual([])
      expect(
        tags.filter((t) => /\s(src|href|xlink:href|srcset|action|formaction)\s*=/i.test(t)),
      ).toEqual([])
      expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([])
      const css = doc.slice(doc.indexOf('<style>'), doc.indexOf('</style>'))
      expect(css).not.toMatch(/url\(|@import|@font-face/i)
    }
  })

  it('shows hostile log text as escaped text', () => {
    const doc = html.en
    expect(doc).toContain(escapeHtml('<svg onload=alert(4)>'))
    expect(doc).toContain('javascript:alert(3)')
    expect(doc).toContain(escapeHtml('/<script>alert(1)</script>'))
    expect(doc).toContain(escapeHtml('<script>alert(5)</script>'))
    expect(doc).toContain(escapeHtml('https://evil.example/<iframe src=//evil.example>'))
    expect(doc).toContain(`<title>${escapeHtml(HOSTILE_NAME)} · LogLens</title>`)
    expect(doc).toContain(`<h1>${escapeHtml(HOSTILE_NAME)}</h1>`)
  })

  it('has every section, in each language', () => {
    const en = [
      'Access log report',
      'Overview',
      'Page views (PV)',
      'Unique visitors (UV)',
      'Invalid lines',
      'Bandwidth',
      'Traffic over time',
      'Aggregator memory',
      'Budget 100 MB',
      'Top IPs',
      'Status codes',
      'Top paths',
      'User agents',
      'Referrers',
      'Not an access log line',
      'Made with LogLens 9.9.9',
    ]
    const zh = [
      '访问日志报告',
      '概览',
      '页面浏览量 (PV)',
      '独立访客 (UV)',
      '无效行',
      '流量',
      '访问趋势',
      '聚合进程内存',
      '预算 100 MB',
      '访问最多的 IP',
      '状态码',
      '热门路径',
      '用户代理',
      '来源页面',
      '不是访问日志行',
      '由 LogLens 9.9.9 生成',
    ]
    for (const s of en) expect(html.en).toContain(s)
    for (const s of zh) expect(html['zh-CN']).toContain(s)
    expect(html['zh-CN']).toContain('<html lang="zh-CN">')
    expect(html.en).not.toContain('访问趋势')
  })

  it('formats figures per locale', () => {
    const pv = detail.summary.pv
    expect(pv).toBe(run.pv)
    expect(html.en).toContain(`>${new Intl.NumberFormat('en').format(pv)}<`)
    expect(html['zh-CN']).toContain(`>${new Intl.NumberFormat('zh-CN').format(pv)}<`)
    // Log times in the log's own offset (+08:00 here), named.
    expect(html.en).toContain('UTC+08:00')
    expect(html['zh-CN']).toContain('日志自身的时区 UTC+08:00')
  })

  it('draws four recharts SVGs, each with the credit in its legend', () => {
    for (const doc of Object.values(html)) {
      const svgs = doc.match(/<svg[^>]*class="recharts-surface"[^>]*>/g) ?? []
      expect(svgs).toHaveLength(4)
      for (const s of svgs) expect(s).toMatch(/viewBox="0 0 \d+ \d+"/)
      const figures =
        doc.match(/<figure class="figure" data-chart="[^"]+">[\s\S]*?<\/figure>/g) ?? []
      expect(figures.map((f) => /data-chart="([^"]+)"/.exec(f)![1])).toEqual([
        'traffic',
        'memory',
        'top-ips',
        'statuses',
      ])
      for (const f of figures) {
        expect(f).toContain(`<li class="legend-credit">${LEGEND_CREDIT}</li>`)
        expect(f).toMatch(/<path[^>]*recharts-(curve|rectangle)/)
      }
      // The page footer carries the watermark; print puts it in every page's margin.
      expect(doc).toContain(`<span class="wm">${WATERMARK_TEXT}</span>`)
      expect(doc).toContain(`@bottom-right {\n    content: "${WATERMARK_TEXT}"`)
    }
  })

  it('leaves no DOM globals behind in this process', () => {
    const g = globalThis as Record<string, unknown>
    expect(g.window).toBeUndefined()
    expect(g.document).toBeUndefined()
  })

  it('marks a cancelled analysis as partial', async () => {
    const copy = join(dir, 'cancelled.db')
    copyFileSync(join(dir, 'h.db'), copy)
    const raw = new Database(copy)
    raw
      .prepare(
        "UPDATE analyses SET status = 'cancelled', bytes_read = total_bytes / 2, error = ? WHERE id = ?",
      )
      .run(
        JSON.stringify({ code: 'CANCELLED', message: 'The analysis was cancelled.' }),
        run.analysisId,
      )
    raw.close()
    const conn = openDatabase(copy, { readonly: true })
    const d = getAnalysisDetail(conn, run.analysisId)!
    conn.close()
    const doc = await buildReportHtml(d, {
      locale: 'zh-CN',
      variant: 'document',
      version: 'x',
      generatedAt: NOW,
    })
    expect(doc).toContain('<div class="partial" role="note"><strong>部分结果</strong>')
    expect(doc).toContain('此分析已被取消')
    expect(doc).toContain('已取消')
    const full = html['zh-CN']
    expect(full).not.toContain('class="partial"')
  })

  it("gives every reason of an incomplete analysis, in the report's language", async () => {
    const copy = join(dir, 'left-out.db')
    copyFileSync(join(dir, 'h.db'), copy)
    const raw = new Database(copy)
    const out = (file: string) => ({
      code: 'NOT_A_LOG',
      message: `${file} does not look like a web access log. It was left out of the analysis.`,
      params: { file, leftOut: 'yes' },
    })
    raw
      .prepare("UPDATE analyses SET status = 'incomplete', error = ?, errors = ? WHERE id = ?")
      .run(
        JSON.stringify(out('a.txt')),
        JSON.stringify([out('a.txt'), out('b.txt')]),
        run.analysisId,
      )
    raw.close()
    const conn = openDatabase(copy, { readonly: true })
    const d = getAnalysisDetail(conn, run.analysisId)!
    conn.close()
    const opts = { variant: 'document' as const, version: 'x', generatedAt: NOW }
    const zh = await buildReportHtml(d, { ...opts, locale: 'zh-CN' })
    expect(zh).toContain('<p>原因：“a.txt”看起来不是 Web 访问日志。')
    expect(zh).toContain('<p>原因：“b.txt”看起来不是 Web 访问日志。')
    expect(zh.match(/它未纳入本次分析。/g)?.length).toBe(2)
    expect(zh).not.toContain('does not look like')
    const en = await buildReportHtml(d, { ...opts, locale: 'en' })
    expect(en).toContain('<p>Reason: a.txt does not look like a web access log.')
    expect(en).toContain('<p>Reason: b.txt does not look like a web access log.')
    // Every byte of the files it kept was read: the note says files were left out, not that
    // reading stopped.
    expect(en).toContain('Some of the chosen files were left out of this analysis.')
    expect(en).not.toContain('stopped before the end')
    expect(zh).toContain('所选文件中有些未纳入此分析。')
    // Had reading stopped short as well, it says so.
    const short = { ...d, summary: { ...d.summary, bytesRead: d.summary.totalBytes - 1 } }
    const stopped = await buildReportHtml(short, { ...opts, locale: 'en' })
    expect(stopped).toContain('This analysis stopped before the end of the logs.')
  })
  it('draws the days a log has no line for at zero, not as a line across the gap', () => {
    // The stored analysis's series, with its buckets moved apart: two stored days, three empty.
    const day = 86_400_000
    const t0 = detail.series.points[0]!.t
    const gapped: AnalysisDetail = {
      ...detail,
      series: {
        bucket: 'day',
        points: [
          { t: t0, pv: 40, uv: 4, uvExact: true, bytes: 100 },
          { t: t0 + 4 * day, pv: 50, uv: 5, uvExact: true, bytes: 200 },
        ],
      },
    }
    const model = buildReportModel(gapped, {
      locale: 'en',
      variant: 'document',
      version: '9.9.9',
      generatedAt: NOW,
    })
    expect(model.traffic.shape!.points).toEqual([
      { t: t0, pv: 40, uv: 4 },
      { t: t0 + day, pv: 0, uv: 0 },
      { t: t0 + 2 * day, pv: 0, uv: 0 },
      { t: t0 + 3 * day, pv: 0, uv: 0 },
      { t: t0 + 4 * day, pv: 50, uv: 5 },
    ])
  })

  it('notes the requests dated before 1991 that the traffic chart leaves out', () => {
    const drawn = detail.series.points.reduce((n, p) => n + p.pv, 0)
    const opts = { variant: 'document' as const, version: '9', generatedAt: NOW }
    const with3 = { ...detail, summary: { ...detail.summary, pv: drawn + 3 } }
    expect(buildReportModel(with3, { ...opts, locale: 'en' }).traffic.note).toContain(
      'Requests dated before 1991 (a server clock that was not set): 3. They are counted, but not drawn.',
    )
    expect(buildReportModel(with3, { ...opts, locale: 'zh-CN' }).traffic.note).toContain(
      '有 3 个请求的时间早于 1991 年',
    )
    const none = { ...detail, summary: { ...detail.summary, pv: drawn } }
    expect(buildReportModel(none, { ...opts, locale: 'en' }).traffic.note ?? '').not.toContain(
      '1991',
    )
  })

  it('keeps client addresses and times whole in the IP table, and the chart axis wide enough', async () => {
    const v6 = '2001:db8:85a3:1234:5678:8a2e:370:7334'
    const host = 'crawl-1.a-long-reverse-dns-name-of-a-crawler.example-university.edu'
    const [a, b, c] = detail.topIps
    const wide: AnalysisDetail = {
      ...detail,
      topIps: [{ ...a!, ip: v6 }, { ...b!, ip: host }, c!],
    }
    const opts = {
      variant: 'document' as const,
      version: '9',
      generatedAt: NOW,
      locale: 'en' as const,
    }
    const doc = await buildReportHtml(wide, opts)
    // IPv6 may break after a colon only (<wbr> adds no character); IPv4 and times not inside a word.
    expect(doc).toContain(`<td class="mono whole">${v6.split(':').join(':<wbr>')}</td>`)
    expect(doc).toContain(`<td class="mono whole">${c!.ip}</td>`)
    // A hostname may be long: it may break anywhere.
    expect(doc).toContain(`<td class="mono">${host}</td>`)
    expect(doc).toMatch(/<td class="whole">\d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d<\/td>/)
    expect(doc).toMatch(/td\.whole \{ overflow-wrap: break-word; \}/)
    // The chart's labels: the whole IPv6 address, a hostname cut at 39 characters, and an axis
    // as wide as the longest of them.
    const m = buildReportModel(wide, opts)
    const bars = m.topIps.shape!.bars.map((x) => x.label)
    expect(bars.slice(0, 3)).toEqual([v6, host.slice(0, 38) + '…', c!.ip])
    expect(m.topIps.shape!.categoryWidth).toBeGreaterThanOrEqual(39 * 6.7)
    expect(buildReportModel(detail, opts).topIps.shape!.categoryWidth).toBeLessThan(39 * 6.7)
  })

  it('gives a custom log format whole, so it can be given again', () => {
    const format =
      '$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent ' +
      '"$http_referer" "$http_user_agent" "$http_x_forwarded_for" $request_time $upstream_response_time $server_port'
    const custom = { ...detail, summary: { ...detail.summary, format, formatDetected: false } }
    const m = buildReportModel(custom, {
      variant: 'document',
      version: '9',
      generatedAt: NOW,
      locale: 'en',
    })
    expect(m.meta.find((x) => x.label === 'Log format')!.value).toBe(`${format} (chosen)`)
  })

  it('says no table in the subtitle of the top-IPs chart exported alone', () => {
    const opts = { version: '9', generatedAt: NOW, locale: 'en' as const }
    expect(buildReportModel(detail, { ...opts, variant: 'chart' }).topIps.sub).toBe('by requests')
    expect(buildReportModel(detail, { ...opts, variant: 'document' }).topIps.sub).toMatch(
      /^by requests; the table lists the \d+ busiest$/,
    )
  })

  it('says what a list of one, or none, holds instead of "the most frequent 1" or "0"', async () => {
    const opts = { variant: 'document' as const, version: '9', generatedAt: NOW }
    const one = { ...detail, topIps: detail.topIps.slice(0, 1) }
    one.top = { ...detail.top, path: detail.top.path.slice(0, 1), referrer: [] }
    const subs = (locale: 'en' | 'zh-CN') => {
      const m = buildReportModel(one, { ...opts, locale })
      const list = (kind: string) => m.topLists.find((l) => l.kind === kind)!.sub
      return [m.topIps.sub, list('path'), list('referrer'), list('agent')]
    }
    expect(detail.top.agent.length).toBeGreaterThan(1)
    expect(subs('en')).toEqual([
      'by requests; the table lists the only client',
      'the only one recorded',
      '',
      `the most frequent ${Math.min(20, detail.top.agent.length)}`,
    ])
    expect(subs('zh-CN').slice(0, 3)).toEqual([
      '按请求数排列；下表列出唯一的客户端',
      '仅记录到这一项',
      '',
    ])
    // No subtitle over an empty list: "Nothing recorded." says it.
    const doc = await buildReportHtml(one, { ...opts, locale: 'en' })
    expect(doc).toContain('the only one recorded')
    expect(doc).not.toMatch(/most frequent [01]\b/)
  })

  it('says when nothing was counted, and the format the lines look like', () => {
    const opts = { variant: 'document' as const, version: '9', generatedAt: NOW }
    const wrong: AnalysisDetail = {
      ...detail,
      formatSuggestion: 'common',
      summary: { ...detail.summary, format: 'combined', formatDetected: false, pv: 0 },
    }
    const meta = (d: AnalysisDetail, locale: 'en' | 'zh-CN') =>
      buildReportModel(d, { ...opts, locale }).meta.map((m) => m.value)
    expect(meta(wrong, 'en')).toEqual(
      expect.arrayContaining([
        'combined (chosen) — most lines did not match it: they look like “common”',
        'Complete: no line matched the log format, nothing was counted',
      ]),
    )
    expect(meta(wrong, 'zh-CN')).toEqual(
      expect.arrayContaining([
        'combined（手动选择）——大多数行与它不符，看起来是“common”',
        '已完成：没有一行符合日志格式，未统计到任何内容',
      ]),
    )
    // A log read as it should be: neither.
    const fine = meta({ ...detail, formatSuggestion: null }, 'en')
    expect(fine.join('\n')).not.toMatch(/look like|nothing was counted/)
    expect(fine).toContain('Complete')
    // A run that ended before any format was found: not "auto (chosen)".
    const early: AnalysisDetail = {
      ...detail,
      summary: { ...detail.summary, status: 'incomplete', format: 'auto', formatDetected: false },
    }
    const formatOf = (d: AnalysisDetail) =>
      buildReportModel(d, { ...opts, locale: 'en' }).meta.find((m) => m.label === 'Log format')!
        .value
    expect(formatOf(early)).toBe('—')
    expect(formatOf(wrong)).toMatch(/^combined \(chosen\)/)
  })

  it('says "1 line" for a log of one line', () => {
    const opts = { variant: 'document' as const, version: '9', generatedAt: NOW }
    const sub = (linesRead: number, locale: 'en' | 'zh-CN') =>
      buildReportModel(
        { ...detail, summary: { ...detail.summary, linesRead } },
        { ...opts, locale },
      ).kpis.find((k) => k.id === 'read')!.sub
    expect(sub(1, 'en')).toBe('1 line')
    expect(sub(1234, 'en')).toBe('1,234 lines')
    expect(sub(1, 'zh-CN')).toBe('1 行')
  })

  it('labels a run under a second in milliseconds, and gives the peak the KPI gives', () => {
    // A small log: two samples 18 and 55 ms in, and the process's high-water mark above both.
    const quick: AnalysisDetail = {
      ...detail,
      summary: { ...detail.summary, peakRssBytes: 65_000_000 },
      memory: [
        { t: 18, rss: 54_000_000, heapUsed: 5_000_000 },
        { t: 55, rss: 60_800_000, heapUsed: 5_000_000 },
      ],
    }
    const opts = { variant: 'document' as const, version: '9', generatedAt: NOW }
    const en = buildReportModel(quick, { ...opts, locale: 'en' })
    const mem = en.memory.shape!
    expect(mem.ticks.map((v) => mem.tickLabel(v))).toEqual([
      '0 ms',
      '10 ms',
      '20 ms',
      '30 ms',
      '40 ms',
      '50 ms',
    ])
    expect(en.memory.note).toBe(
      'Peak RSS 62.0 MB (the process’s high-water mark, which no sample caught); the highest sample, 58.0 MB, 55 ms after the start.',
    )
    expect(en.kpis.find((k) => k.id === 'peak')!.value).toBe('62.0 MB')
    // A few KB in 0.1 s: a speed under 0.1 MB/s, not "0.0 MB/s".
    const tiny = { ...quick, summary: { ...quick.summary, bytesRead: 3_380, elapsedMs: 100 } }
    expect(
      buildReportModel(tiny, { ...opts, locale: 'en' }).kpis.find((k) => k.id === 'elapsed')!.sub,
    ).toBe('< 0.1 MB/s')
    const zh = buildReportModel(quick, { ...opts, locale: 'zh-CN' })
    expect(zh.memory.shape!.tickLabel(20 / 1000)).toBe('20 毫秒')
    // A sample at the peak: one figure, no aside.
    const sampled = { ...quick, summary: { ...quick.summary, peakRssBytes: 60_800_000 } }
    expect(buildReportModel(sampled, { ...opts, locale: 'en' }).memory.note).toBe(
      'Peak RSS 58.0 MB, 55 ms after the start.',
    )
  })

  it("names each invalid-line sample's file, as text, when the analysis read several", async () => {
    const inv = {
      reason: 'bad_time' as const,
      count: 2,
      samples: ['first bad line', 'second bad line'],
      sampleFiles: ['a.log', '<b>.log'],
    }
    const files = [
      { name: 'a.log', size: 10 },
      { name: '<b>.log', size: 20 },
    ]
    const opts = {
      locale: 'en' as const,
      variant: 'document' as const,
      version: '9',
      generatedAt: NOW,
    }
    const two = await buildReportHtml(
      { ...detail, summary: { ...detail.summary, files }, invalid: [inv] },
      opts,
    )
    expect(two).toContain('<div class="sample-file">from a.log</div>')
    expect(two).toContain('<div class="sample-file">from &lt;b&gt;.log</div>')
    const one = await buildReportHtml(
      { ...detail, summary: { ...detail.summary, files: [files[0]!] }, invalid: [inv] },
      opts,
    )
    expect(one).toContain('first bad line')
    expect(one).not.toContain('sample-file">')
  })
})
