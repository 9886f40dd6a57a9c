// Foundation: drop a small log onto the page in Chromium through `loglens serve`; PV, UV and the
// top IP appear; a non-log or empty file gives a clear message and the app keeps running.
import { AnalysisPage } from './pages/analysis'
import { HomePage } from './pages/home'
import { expect, screenshot, test } from './support/fixtures'
import { gzipSync } from 'node:zlib'
import { PNG } from 'pngjs'
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

test('narrower windows: every history row keeps its actions in view, one shade when hovered', async ({
  page,
  serve,
}) => {
  await page.setViewportSize({ width: 1280, height: 700 })
  const home = new HomePage(page)
  await home.goto(serve.url)
  // A long name and the files column beside it: at 1280 px they pushed the delete button out.
  const log = generateLog({ lines: 20, clients: 3, seed: 3 })
  const long = 'elastic_examples__apache_logs_rotated_daily'
  await home.drop(
    ['.log', '.log.1', '.log.2.gz'].map((ext, i) => ({
      name: long + ext,
      content: i === 2 ? gzipSync(log.text) : log.text,
    })),
  )
  await new AnalysisPage(page).waitForStatus('complete')
  await page.getByRole('button', { name: 'All analyses' }).click()
  const row = home.historyRow(long).first()
  await expect(row).toContainText('+2')
  const edges = () =>
    row.evaluate((tr) => {
      const wrap = tr.closest('.table-wrap')!.getBoundingClientRect()
      const del = tr.querySelector('.row-actions button:last-child')!.getBoundingClientRect()
      return { del: del.right, wrap: wrap.right }
    })
  for (const width of [1280, 1100, 900, 760]) {
    await page.setViewportSize({ width, height: 700 })
    const e = await edges()
    expect(e.del, `delete button at ${width} px`).toBeLessThanOrEqual(e.wrap)
  }

  // Narrow (the actions stick to the right edge, the rest scrolls under them) and hovered.
  await page.setViewportSize({ width: 800, height: 700 })
  await row.hover()
  const actions = row.locator('.row-actions')
  // Nothing that scrolls under the actions shows through them.
  const color = await actions.evaluate((el) => getComputedStyle(el).backgroundColor)
  expect(color).toMatch(/^rgb\(/)
  // The same shade as the rest of the hovered row: a pixel of the name cell's left padding
  // against one of the actions cell's right padding.
  const shot = PNG.sync.read(await row.screenshot())
  const box = (await row.boundingBox())!
  const scale = shot.width / box.width
  const pixel = (x: number) => {
    const i = (Math.round(shot.height / 2) * shot.width + Math.round(x * scale)) * 4
    return Array.from(shot.data.subarray(i, i + 3))
  }
  expect(pixel(box.width - 4)).toEqual(pixel(4))
})
