// The printer of the CLI and `loglens serve`: a Chromium already on the machine, driven by
// playwright-core (never a downloaded browser). JavaScript off, network off: the report has no
// script and loads nothing, and the browser is told so twice.
import { existsSync } from 'node:fs'
import type * as PlaywrightCore from 'playwright-core'
import { join } from 'node:path'
import { ReportError } from './output'
import { captureFullPage, type CdpSender, type ReportPrinter } from './printer'

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
]

function candidates(env: NodeJS.ProcessEnv): string[] {
  const list = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ]
  for (const base of [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]) {
    if (!base) continue
    list.push(
      join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(base, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      join(base, 'Chromium', 'Application', 'chrome.exe'),
    )
  }
  return list
}

const NEEDS_CHROMIUM =
  'PDF and PNG exports need Chromium (or Chrome/Edge): install it (Debian/Ubuntu: apt install chromium) or set LOGLENS_CHROMIUM to its path.'

/** The browser to use: $LOGLENS_CHROMIUM, else the usual install places. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.LOGLENS_CHROMIUM
  if (chosen) {
    if (existsSync(chosen)) return chosen
    throw new ReportError({
      code: 'NOT_SUPPORTED',
      message: `LOGLENS_CHROMIUM is set to ${chosen}, which does not exist. ${NEEDS_CHROMIUM}`,
      params: { reason: 'no_chromium', path: chosen },
    })
  }
  const found = candidates(env).find((p) => existsSync(p))
  if (found) return found
  throw new ReportError({
    code: 'NOT_SUPPORTED',
    message: NEEDS_CHROMIUM,
    params: { reason: 'no_chromium' },
  })
}

type Playwright = typeof PlaywrightCore

async function loadPlaywright(): Promise<Playwright> {
  try {
    return await import('playwright-core')
  } catch {
    throw new ReportError({
      code: 'NOT_SUPPORTED',
      message:
        'PDF and PNG exports need the playwright-core package (npm install playwright-core).',
      params: { reason: 'no_playwright' },
    })
  }
}

export async function createChromiumPrinter(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReportPrinter> {
  const executablePath = findChromium(env)
  const { chromium } = await loadPlaywright()
  let browser: Awaited<ReturnType<Playwright['chromium']['launch']>>
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true })
  } catch (e) {
    throw new ReportError({
      code: 'EXPORT_FAILED',
      message: `Chromium (${executablePath}) could not start: ${(e as Error).message.split('\n')[0]}`,
      params: { reason: 'render_failed', detail: (e as Error).message },
    })
  }
  const open = async (html: string, width: number) => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
      viewport: { width, height: 800 },
    })
    await context.route('**/*', (route) => route.abort())
    const page = await context.newPage()
    await page.setContent(html, { waitUntil: 'load' })
    return { context, page }
  }
  return {
    async pdf(html) {
      const { context, page } = await open(html, 900)
      try {
        return await page.pdf({ preferCSSPageSize: true, printBackground: true })
      } finally {
        await context.close()
      }
    },
    async png(html, width) {
      const { context, page } = await open(html, width)
      try {
        const cdp = await context.newCDPSession(page)
        return await captureFullPage(cdp as unknown as CdpSender, width)
      } finally {
        await context.close()
      }
    },
    async close() {
      await browser.close()
    },
  }
}
