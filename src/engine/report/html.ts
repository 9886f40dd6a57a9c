// The self-contained HTML report. The page is rendered once with react-dom/client into a jsdom
// document (recharts draws no SVG under react-dom/server, upstream #5997), then serialised into a
// single file: inline CSS, inline SVG charts, no script, and a Content-Security-Policy that lets
// the file load nothing at all. Loaded lazily (jsdom, React and recharts are heavy): the CSV and
// JSON exports never pay for them.
import { createElement as h } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { JSDOM, type JsdomElement, type JsdomWindow } from 'jsdom'
import type { Locale } from '../../shared/contract'
import type { AnalysisDetail } from '../../shared/types'
import { ReportPage } from './document'
import { buildReportModel, type ChartId, type ReportVariant } from './model'
import { REPORT_CSS } from './styles'

/** Nothing may load: no script, no image, no font, no frame, no form target, no base. */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

export interface HtmlOptions {
  locale: Locale
  variant: ReportVariant
  /** The chart of a `chart` page. */
  chart?: ChartId
  version: string
  generatedAt: number
}

const escapeMap: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapeMap[c]!)
}

// React DOM reads a few browser globals (window.event, document) while it renders and flushes
// effects. They are set only while a report renders, one report at a time, and removed after.
const DOM_GLOBALS = ['window', 'document', 'navigator'] as const
let queue: Promise<unknown> = Promise.resolve()

async function withDomGlobals<T>(win: JsdomWindow, fn: () => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const g = globalThis as Record<string, unknown>
    const saved = DOM_GLOBALS.map((k) => Object.getOwnPropertyDescriptor(g, k))
    for (const k of DOM_GLOBALS)
      Object.defineProperty(g, k, {
        value: k === 'window' ? win : win[k],
        configurable: true,
        writable: true,
      })
    try {
      return await fn()
    } finally {
      DOM_GLOBALS.forEach((k, i) => {
        const d = saved[i]
        if (d) Object.defineProperty(g, k, d)
        else delete g[k]
      })
    }
  }
  const next = queue.then(run, run)
  queue = next.catch(() => undefined)
  return next
}

/** Let React's scheduler run what it queued (passive effects) before the globals go away. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r))
}

/** recharts' SVG made static and scalable: a viewBox, no fixed size, no focus stop. */
function tidyCharts(root: JsdomElement): void {
  for (const svg of Array.from(root.querySelectorAll('svg.recharts-surface'))) {
    const w = svg.getAttribute('width')
    const hgt = svg.getAttribute('height')
    if (w && hgt && !svg.getAttribute('viewBox')) svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`)
    for (const a of ['width', 'height', 'style', 'tabindex', 'role']) svg.removeAttribute(a)
    svg.setAttribute('role', 'img')
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet')
  }
  for (const el of Array.from(root.querySelectorAll('.recharts-wrapper'))) {
    for (const a of ['width', 'height', 'style']) el.removeAttribute(a)
  }
  for (const el of Array.from(root.querySelectorAll('.recharts-tooltip-wrapper'))) el.remove()
  for (const el of Array.from(root.querySelectorAll('svg title:empty, svg desc:empty'))) el.remove()
}

export async function renderReportBody(detail: AnalysisDetail, o: HtmlOptions): Promise<string> {
  const model = buildReportModel(detail, o)
  const dom = new JSDOM('<!doctype html><html><body></body></html>')
  try {
    return await withDomGlobals(dom.window, async () => {
      const container = dom.window.document.createElement('div')
      dom.window.document.body.appendChild(container)
      const root = createRoot(container as unknown as Parameters<typeof createRoot>[0])
      try {
        flushSync(() => root.render(h(ReportPage, { model, chart: o.chart })))
        await settle()
        tidyCharts(container)
        return container.innerHTML
      } finally {
        flushSync(() => root.unmount())
        await settle()
      }
    })
  } finally {
    dom.window.close()
  }
}

/** The whole report as one HTML document (a string; reports are a few hundred KB at most). */
export async function buildReportHtml(detail: AnalysisDetail, o: HtmlOptions): Promise<string> {
  const body = await renderReportBody(detail, o)
  const title = `${detail.summary.name} · LogLens`
  return (
    '<!doctype html>\n' +
    `<html lang="${o.locale === 'zh-CN' ? 'zh-CN' : 'en'}">\n<head>\n` +
    '<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">\n` +
    '<meta name="referrer" content="no-referrer">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta name="generator" content="LogLens ${escapeHtml(o.version)}">\n` +
    `<title>${escapeHtml(title)}</title>\n` +
    `<style>${REPORT_CSS}</style>\n` +
    `</head>\n<body>\n${body}\n</body>\n</html>\n`
  )
}
