// Keyboard and connection: every action is reachable without a mouse, focus is visible, and when
// the back end goes away the page says so in words.
import type { Page } from '@playwright/test'
import { AnalysisPage } from './pages/analysis'
import { HomePage } from './pages/home'
import { expect, screenshot, test } from './support/fixtures'
import { generateLog } from './support/loggen'

/** The focused element's test id or text, and whether it draws a visible focus outline. */
async function focused(page: Page): Promise<{ label: string; outline: boolean }> {
  return (await page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { label: '', outline: false };
    const cs = getComputedStyle(el);
    return {
      label: el.getAttribute('data-testid') || el.getAttribute('aria-label') || (el.textContent || '').trim(),
      outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
    };
  })()`)) as { label: string; outline: boolean }
}

async function tabTo(page: Page, label: string | RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const f = await focused(page)
    if (typeof label === 'string' ? f.label === label : label.test(f.label)) {
      expect(f.outline, `focus ring on ${f.label}`).toBe(true)
      return
    }
  }
  throw new Error(`never reached ${String(label)} with Tab`)
}

test('keyboard: open a log, read it, search and sort the IP table, switch tabs', async ({
  page,
  serve,
}) => {
  const log = generateLog({ lines: 600, clients: 80, seed: 5 })
  // Ask for the file chooser before anything runs: interception must be on when Enter lands.
  const chooser = page.waitForEvent('filechooser')
  const home = new HomePage(page)
  await home.goto(serve.url)

  await tabTo(page, 'open-files')
  await page.keyboard.press('Enter')
  await (
    await chooser
  ).setFiles({ name: 'keyboard.log', mimeType: 'text/plain', buffer: Buffer.from(log.text) })

  const analysis = new AnalysisPage(page)
  await analysis.waitForStatus('complete')
  await expect(analysis.kpi('pv')).toHaveAttribute('data-value', String(log.pv))

  await tabTo(page, 'ip-search')
  await page.keyboard.type('10.0.0.1')
  await expect(analysis.ipRows.first()).toContainText('10.0.0.1')
  await tabTo(page, 'ip-sort-bytes')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('ip-sort-bytes').locator('xpath=..')).toHaveAttribute(
    'aria-sort',
    'descending',
  )

  await tabTo(page, /^(Top paths)$/)
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('tab', { name: 'User agents' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(page.getByTestId('top-agent')).toContainText('Googlebot')
  await expect(page.getByTestId('top-agent')).toContainText('Bot')
  await screenshot(page, 'keyboard-focus', { keepFocus: true })
})

test('the back end going away is said in words', async ({ page, serve }) => {
  const home = new HomePage(page)
  await home.goto(serve.url)
  await serve.child.kill('SIGTERM')
  const banner = page.getByTestId('connection')
  await expect(banner).toContainText('reconnecting')
  await expect(banner).toContainText('The LogLens back end has stopped', { timeout: 30_000 })
  await expect(banner.getByRole('button', { name: 'Reload' })).toBeVisible()
  await screenshot(page, 'backend-gone-en')
})
