// Foundation: drop a small log onto the page in Chromium through `loglens serve`; PV, UV and the
// top IP appear; a non-log or empty file gives a clear message and the app keeps running.
import { AnalysisPage } from './pages/analysis'
import { HomePage } from './pages/home'
import { expect, screenshot, test } from './support/fixtures'
import { generateLog } from './support/loggen'

test('a dropped log shows PV, UV and the top IP', async ({ page, serve }) => {
  const log = generateLog({ lines: 400, clients: 60, seed: 1 })
  const home = new HomePage(page)
  await home.goto(serve.url)
  await home.drop([{ name: 'small-access.log', content: log.text }])

  const analysis = new AnalysisPage(page)
  await analysis.waitForStatus('complete')
  await expect(analysis.kpi('pv')).toHaveAttribute('data-value', String(log.pv))
  await expect(analysis.kpi('uv')).toHaveAttribute('data-value', String(log.uv))
  expect(await analysis.topIp()).toBe(log.topIp)
  await expect(analysis.ipRows.first()).toContainText(log.topIp)
  await screenshot(page, 'foundation-analysis')
})

test('a non-log file and an empty file get a clear message; the app keeps running', async ({
  page,
  serve,
}) => {
  const home = new HomePage(page)
  await home.goto(serve.url)
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
  await home.drop([
    { name: 'holiday.png', content: png },
    { name: 'empty.log', content: '' },
  ])
  const alert = page.getByRole('alert').filter({ hasText: 'holiday.png' })
  await expect(alert).toBeVisible()
  await expect(alert).toContainText('empty.log')
  await expect(home.dropzone).toBeVisible()
  await screenshot(page, 'foundation-bad-input')

  // Still working: a real log goes through afterwards.
  const log = generateLog({ lines: 50, clients: 5, seed: 2 })
  await home.drop([{ name: 'ok.log', content: log.text }])
  const analysis = new AnalysisPage(page)
  await analysis.waitForStatus('complete')
  await expect(analysis.kpi('pv')).toHaveAttribute('data-value', String(log.pv))
})
