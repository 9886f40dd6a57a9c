// PDF and PNG come from a browser engine laying out the same HTML report: Chromium through
// playwright-core for the CLI and `loglens serve`, a hidden BrowserWindow in the desktop app
// (src/main). Both speak the DevTools protocol, so the full-page 2× capture is one function here.

/** Turns report HTML into PDF or PNG. Made per export and closed after it. */
export interface ReportPrinter {
  /** The page printed to PDF: A4 from the page's own @page rules, backgrounds on. */
  pdf(html: string): Promise<Uint8Array>
  /** The whole page as a PNG at PNG_SCALE device pixels per CSS pixel; `width` in CSS px. */
  png(html: string, width: number): Promise<Uint8Array>
  close(): Promise<void>
}

export type PrinterFactory = () => Promise<ReportPrinter>

export const PNG_SCALE = 2

/** CSS width of the pages exported as PNG (model.ts sizes their charts to fit). */
export const PNG_WIDTH = { view: 1280, chart: 960 } as const

/** A DevTools protocol session: playwright's CDPSession or Electron's webContents.debugger. */
export interface CdpSender {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>
}

interface LayoutMetrics {
  cssContentSize?: { width: number; height: number }
  contentSize: { width: number; height: number }
}

/**
 * Lay the page out `width` CSS px wide at 2× device pixels, then capture all of it (not only the
 * viewport). The image is exactly width×2 pixels wide; its height follows the content.
 */
export async function captureFullPage(cdp: CdpSender, width: number): Promise<Uint8Array> {
  // A short viewport, so the measured height is the content's and not the window's.
  await cdp.send('Emulation.setDeviceMetricsOverride', {
    width,
    height: 100,
    deviceScaleFactor: PNG_SCALE,
    mobile: false,
  })
  const m = (await cdp.send('Page.getLayoutMetrics')) as LayoutMetrics
  const size = m.cssContentSize ?? m.contentSize
  const height = Math.max(1, Math.ceil(size.height))
  const shot = (await cdp.send('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    fromSurface: true,
    clip: { x: 0, y: 0, width, height, scale: 1 },
  })) as { data: string }
  await cdp.send('Emulation.clearDeviceMetricsOverride').catch(() => undefined)
  return Buffer.from(shot.data, 'base64')
}
