// The exports in a real Chromium: the HTML report with hostile log text is inert (no dialog, no
// injected element, no request, the text visible as text); the PDF has the watermark in the
// bottom-right of every page, the legend credit and Chinese in an embedded CJK font; the PNGs are
// 2x, with the watermark in their bottom-right corner and the legend credit drawn.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_FLAGS, createChromiumPrinter } from '../../../src/engine/report/chromium'
import { buildReportHtml } from '../../../src/engine/report/html'
import { CHART_IDS } from '../../../src/engine/report/model'
import { PNG_SCALE, PNG_WIDTH, type ReportPrinter } from '../../../src/engine/report/printer'
import { openDatabase } from '../../../src/engine/store/db'
import { getAnalysisDetail } from '../../../src/engine/store/queries'
import { LEGEND_CREDIT, WATERMARK_TEXT, type AnalysisDetail } from '../../../src/shared/types'
import { requireBuild } from '../../support/build'
import {
  analyseHostileLog,
  CHROMIUM,
  HOSTILE_NAME,
  inkIn,
  pdfFonts,
  pdfPages,
  readPng,
} from './fixtures'

const dir = mkdtempSync(join(tmpdir(), 'loglens-browser-'))
let detail: AnalysisDetail
let browser: Browser
let printer: ReportPrinter

beforeAll(async () => {
  requireBuild()
  const db = join(dir, 'b.db')
  const run = analyseHostileLog(dir, db)
  const conn = openDatabase(db, { readonly: true })
  detail = getAnalysisDetail(conn, run.analysisId)!
  conn.close()
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS })
  printer = await createChromiumPrinter({ ...process.env, LOGLENS_CHROMIUM: CHROMIUM })
}, 120_000)

afterAll(async () => {
  await printer?.close()
  await browser?.close()
  rmSync(dir, { recursive: true, force: true })
})

const html = (
  locale: 'en' | 'zh-CN',
  variant: 'document' | 'view' | 'chart',
  chart?: (typeof CHART_IDS)[number],
) =>
  buildReportHtml(detail, {
    locale,
    variant,
    ...(chart ? { chart } : {}),
    version: 't',
    generatedAt: Date.UTC(2026, 10, 23),
  })

describe('HTML in Chromium, with JavaScript on', () => {
  it('runs nothing, injects nothing, loads nothing; shows the log text as text', async () => {
    const file = join(dir, 'report.html')
    writeFileSync(file, await html('zh-CN', 'document'))
    const page = await browser.newPage()
    const dialogs: string[] = []
    const requests: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    page.on('request', (r) => requests.push(r.url()))
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    await page.waitForTimeout(300)
    expect(dialogs).toEqual([])
    expect(requests).toEqual([pathToFileURL(file).href])
    // (Page-side code as a string: this file compiles without the DOM library.)
    const injected = (await page.evaluate(`(() => {
      const bad = document.querySelectorAll(
        'script, iframe, img, a, object, embed, link, form, base, image, use, foreignObject',
      ).length
      let handlers = 0
      for (const el of document.querySelectorAll('*'))
        for (const a of el.attributes) if (/^on/i.test(a.name)) handlers++
      return { bad, handlers }
    })()`)) as { bad: number; handlers: number }
    expect(injected).toEqual({ bad: 0, handlers: 0 })
    for (const text of [
      '<svg onload=alert(4)>',
      'javascript:alert(3)',
      "=cmd|' /C calc'!A0",
      '/<script>alert(1)</script>',
      '/<img/src=x/onerror=alert(2)>',
      'https://evil.example/<iframe src=//evil.example>',
    ])
      await expect(page.getByText(text, { exact: true }).first().isVisible()).resolves.toBe(true)
    await expect(page.locator('h1').textContent()).resolves.toBe(HOSTILE_NAME)
    await expect(page.locator('pre.sample').first().textContent()).resolves.toContain(
      '<script>alert(5)</script> <a href="javascript:alert(6)">',
    )
    await page.close()
  })
})

describe('PDF', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`${locale}: every page has the watermark bottom-right; legends, Chinese font`, async () => {
      const file = join(dir, `report-${locale}.pdf`)
      writeFileSync(file, await printer.pdf(await html(locale, 'document')))
      const pages = pdfPages(file)
      expect(pages.length).toBeGreaterThanOrEqual(3)
      for (const p of pages) {
        const wm = p.words.filter((w) => w.text === WATERMARK_TEXT)
        expect(wm, `page ${pages.indexOf(p) + 1}`).toHaveLength(1)
        expect(wm[0]!.xMin).toBeGreaterThan(p.width * 0.75)
        expect(wm[0]!.yMin).toBeGreaterThan(p.height * 0.94)
        // Nothing else below the watermark's top: it sits in the margin, under the data.
        const below = p.words.filter(
          (w) => w !== wm[0] && w.yMax > wm[0]!.yMin && !/^\d+$|^\/$/.test(w.text),
        )
        expect(below).toEqual([])
      }
      const all = pages.map((p) => p.text).join('\n')
      expect(all.split(LEGEND_CREDIT).length - 1).toBe(4)
      expect(all).toContain(locale === 'zh-CN' ? '访问日志报告' : 'Access log report')
      expect(all).toContain(locale === 'zh-CN' ? '页面浏览量' : 'Page views')
      expect(all).toContain('onload=alert(4)>')
      // Chinese drawn with an embedded CJK font (no empty boxes).
      expect(pdfFonts(file)).toMatch(
        /(WenQuanYi|NotoSansCJK|Noto Sans CJK|SourceHanSans|DroidSansFallback|MicroHei)\S*\s+CID TrueType\s+Identity-H\s+yes/,
      )
    })
  }
})

describe('PNG', () => {
  const WM_INK: [number, number, number] = [0x8a, 0x94, 0xa0]
  const nearWatermark = (
    img: ReturnType<typeof readPng>,
    box: { x: number; y: number; w: number; h: number },
  ) => {
    let n = 0
    for (let y = box.y; y < box.y + box.h; y++)
      for (let x = box.x; x < box.x + box.w; x++) {
        const [r, g, b] = img.at(x, y)
        if (Math.abs(r - WM_INK[0]) + Math.abs(g - WM_INK[1]) + Math.abs(b - WM_INK[2]) < 40) n++
      }
    return n
  }

  /** Where an element is, in the PNG's pixels (the same page laid out at the same width). */
  async function boxesOf(doc: string, width: number, selector: string) {
    const page = await browser.newPage({ viewport: { width, height: 100 } })
    await page.setContent(doc)
    const { boxes, height } = (await page.evaluate(`(() => ({
      boxes: [...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => {
        const r = e.getBoundingClientRect()
        return { x: r.x, y: r.y + window.scrollY, w: r.width, h: r.height }
      }),
      height: document.documentElement.scrollHeight,
    }))()`)) as { boxes: { x: number; y: number; w: number; h: number }[]; height: number }
    await page.close()
    return {
      height,
      boxes: boxes.map((b) => ({
        x: Math.floor(b.x * PNG_SCALE),
        y: Math.floor(b.y * PNG_SCALE),
        w: Math.ceil(b.w * PNG_SCALE),
        h: Math.ceil(b.h * PNG_SCALE),
      })),
    }
  }

  it('the whole view: 2x, watermark in the bottom-right corner, credit in every legend', async () => {
    const doc = await html('zh-CN', 'view')
    const img = readPng(Buffer.from(await printer.png(doc, PNG_WIDTH.view)))
    expect(img.width).toBe(PNG_WIDTH.view * PNG_SCALE)
    const { height, boxes: credits } = await boxesOf(doc, PNG_WIDTH.view, '.legend-credit')
    expect(img.height).toBe(height * PNG_SCALE)
    const corner = { x: img.width - 260, y: img.height - 80, w: 260, h: 80 }
    expect(inkIn(img, corner)).toBeGreaterThan(100)
    expect(nearWatermark(img, corner)).toBeGreaterThan(20)
    const { boxes: wm } = await boxesOf(doc, PNG_WIDTH.view, '.doc-foot .wm')
    expect(wm[0]!.x + wm[0]!.w).toBeGreaterThan(img.width - 100)
    expect(wm[0]!.y + wm[0]!.h).toBeGreaterThan(img.height - 60)
    expect(credits).toHaveLength(4)
    for (const c of credits) expect(inkIn(img, c)).toBeGreaterThan(50)
  })

  for (const chart of CHART_IDS) {
    it(`chart ${chart}: 2x, watermark bottom-right, credit in the legend`, async () => {
      const doc = await html('en', 'chart', chart)
      const img = readPng(Buffer.from(await printer.png(doc, PNG_WIDTH.chart)))
      expect(img.width).toBe(PNG_WIDTH.chart * PNG_SCALE)
      const { height, boxes } = await boxesOf(doc, PNG_WIDTH.chart, '.legend-credit')
      expect(img.height).toBe(height * PNG_SCALE)
      expect(img.height).toBeLessThan(1200 * PNG_SCALE)
      const corner = { x: img.width - 220, y: img.height - 70, w: 220, h: 70 }
      expect(nearWatermark(img, corner)).toBeGreaterThan(20)
      // The watermark row holds nothing but the watermark: the chart above it is untouched.
      const left = { x: 0, y: img.height - 50, w: img.width - 260, h: 50 }
      expect(inkIn(img, left)).toBe(0)
      expect(boxes).toHaveLength(1)
      expect(inkIn(img, boxes[0]!)).toBeGreaterThan(50)
    })
  }
})
