// Playwright fixtures: every test gets its own `loglens serve` (database + data folder) and a page
// that records long tasks from the start.
import { test as base, expect, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, startServe, type Served } from './serve'

export { expect }

/** Installed before any page script: keeps every long task (start, duration) in the page. */
const LONG_TASK_RECORDER = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__longTasksUnsupported = String(e); }
`

/**
 * Watches the analysis view from inside the page (no polling from the test): every progress value
 * the bar showed, and whether the UV card ever showed an estimate (≈) while running.
 */
export async function recordLiveSignals(page: Page): Promise<void> {
  await page.evaluate(`
    window.__live = { progress: [], uvEstimate: false, cancelShown: false };
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="progress"]');
      if (bar) window.__live.progress.push(Number(bar.getAttribute('aria-valuenow')));
      const uv = document.querySelector('[data-testid="kpi-uv"]');
      if (uv && uv.textContent.includes('≈')) window.__live.uvEstimate = true;
      if (document.querySelector('[data-testid="cancel"]')) window.__live.cancelShown = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  `)
}

export interface LiveSignals {
  progress: number[]
  uvEstimate: boolean
  cancelShown: boolean
}

export async function liveSignals(page: Page): Promise<LiveSignals> {
  return (await page.evaluate('window.__live')) as LiveSignals
}

export interface LongTask {
  start: number
  duration: number
}

export async function longTasksSince(page: Page, since: number): Promise<LongTask[]> {
  const all = (await page.evaluate('window.__longTasks')) as LongTask[]
  return all.filter((t) => t.start >= since)
}

export async function pageNow(page: Page): Promise<number> {
  return (await page.evaluate('performance.now()')) as number
}

export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots')

export async function screenshot(
  page: Page,
  name: string,
  opts: { keepFocus?: boolean } = {},
): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  if (opts.keepFocus) {
    // What the keyboard user sees right now: the viewport, focus ring included.
    await page.screenshot({ path, animations: 'disabled' })
    return path
  }
  // Top of the page, nothing focused: the sticky bar and focus rings stay where a user sees them.
  await page.evaluate(
    'window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()',
  )
  await page.screenshot({ path, fullPage: true, animations: 'disabled' })
  return path
}

export const test = base.extend<{ serve: Served }>({
  // Playwright reads the fixture list from this (empty) pattern.
  // eslint-disable-next-line no-empty-pattern
  serve: async ({}, use, testInfo) => {
    const served = await startServe()
    try {
      await use(served)
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('loglens-serve-stderr', {
          body: served.stderr() || '(empty)',
          contentType: 'text/plain',
        })
        if (served.child.exitCode !== null)
          console.error(`loglens serve had exited (${served.child.exitCode}).`)
      }
      await served.stop()
    }
  },
  page: async ({ page }, use) => {
    await page.addInitScript(LONG_TASK_RECORDER)
    await use(page)
  },
})
