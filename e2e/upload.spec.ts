// The browser front uploads the files it is given (`loglens serve` has no access to the user's
// paths): a big log takes a while, so the home screen shows how much is sent, and the upload can
// be cancelled, leaving nothing behind. The upload is slowed with Chromium's own network
// emulation so that it can be watched.
import { join } from 'node:path'
import { HomePage } from './pages/home'
import { AnalysisPage } from './pages/analysis'
import { expect, screenshot, test } from './support/fixtures'
import { generateLogFile } from './support/loggen'

test('a big upload shows the bytes sent, and Cancel stops it with nothing started', async ({
  page,
  serve,
}) => {
  const path = join(serve.dir, 'upload-access.log')
  const log = generateLogFile(path, { lines: 60_000, clients: 500, seed: 11 })
  const home = new HomePage(page)
  await home.goto(serve.url)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 1024 * 1024,
  })

  await page.getByTestId('file-input').setInputFiles(path)
  const bar = page.getByTestId('upload-progress')
  await expect(bar).toBeVisible()
  // Some of it sent, not all: the bar and the words say how much.
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000 })
    .toBeGreaterThan(0)
  expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(100)
  await expect(page.getByTestId('upload-bytes')).toContainText(/\d.* of \d.*MB/)
  await expect(page.getByTestId('open-files')).toBeDisabled()
  await expect(home.dropzone).toHaveAttribute('aria-busy', 'true')
  await screenshot(page, 'upload-progress', { keepFocus: true })

  // Cancelled from the keyboard: the focus moves on to Open…, enabled again.
  await page.getByTestId('cancel-upload').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('upload')).toBeHidden()
  await expect(page.getByTestId('open-files')).toBeEnabled()
  await expect(page.getByTestId('open-files')).toBeFocused()
  await expect(home.dropzone).toHaveAttribute('aria-busy', 'false')
  await expect(page.getByText('No analyses yet')).toBeVisible()
  await expect(page.getByTestId('history-row')).toHaveCount(0)
  expect(page.url()).not.toContain('#/analysis')

  // The same file at full speed goes through.
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  })
  await page.getByTestId('file-input').setInputFiles(path)
  const analysis = new AnalysisPage(page)
  await analysis.waitForStatus('complete')
  await expect(analysis.kpi('pv')).toHaveAttribute('data-value', String(log.pv))
})
