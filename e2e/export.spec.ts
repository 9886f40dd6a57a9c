// Export from the browser front: the Export menu lists every chart and table, works from the
// keyboard, and exporting one chart as PNG downloads a real PNG at 2× the chart page's CSS width;
// a CSV of one table downloads too. A screenshot of the open menu (light theme) is saved under
// test-results/screenshots/.
import { readFileSync } from 'node:fs'
import { PNG } from 'pngjs'
import { PNG_SCALE, PNG_WIDTH } from '../src/engine/report/printer'
import { CHART_IDS, CSV_TABLES } from '../src/shared/export-parts'
import { AnalysisPage } from './pages/analysis'
import { HomePage } from './pages/home'
import { expect, screenshot, test } from './support/fixtures'
import { generateLog } from './support/loggen'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

test('export menu → one chart as a 2× PNG, one table as CSV (downloads)', async ({
  page,
  serve,
}) => {
  test.setTimeout(180_000)
  await page.setViewportSize({ width: 1440, height: 960 })
  const log = generateLog({ lines: 3_000, clients: 300, seed: 7 })
  const home = new HomePage(page)
  await home.goto(serve.url)
  await home.setTheme('light')
  await home.setLanguage('en')
  await home.drop([{ name: 'access-export.log', content: log.text }])
  const analysis = new AnalysisPage(page)
  await analysis.waitForStatus('complete')
  await expect(analysis.chart('traffic')).toBeVisible()

  // Open with the keyboard: the first item has focus, End reaches the last.
  const button = page.getByTestId('export')
  await button.focus()
  await page.keyboard.press('ArrowDown')
  const menu = page.getByRole('menu', { name: 'Export' })
  await expect(menu).toBeVisible()
  await expect(page.getByTestId('export-html')).toBeFocused()
  for (const c of CHART_IDS) await expect(menu.getByTestId(`export-png-${c}`)).toBeVisible()
  for (const t of CSV_TABLES.filter((x) => x !== 'ips'))
    await expect(menu.getByTestId(`export-csv-${t}`)).toBeVisible()
  await expect(menu.getByRole('menuitem', { name: 'PNG — PV & UV over time' })).toBeVisible()
  // The whole menu lies inside the window.
  const box = (await menu.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.y + box.height).toBeLessThanOrEqual(960)
  await page.keyboard.press('End')
  await expect(page.getByTestId('export-json')).toBeFocused()
  await page.keyboard.press('Home')
  await screenshot(page, 'export-menu-en-light', { keepFocus: true })
  await page.keyboard.press('Escape')
  await expect(menu).toBeHidden()
  await expect(button).toBeFocused()

  // One chart as PNG: the notice offers the download; the file is a PNG twice the page's width.
  await button.click()
  await menu.getByRole('menuitem', { name: 'PNG — PV & UV over time' }).click()
  const link = page.getByRole('link', { name: 'Download' }).last()
  await expect(link).toHaveAttribute('download', /-traffic\.png$/, { timeout: 60_000 })
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), link.click()])
  expect(pngDownload.suggestedFilename()).toBe('access-export.log-traffic.png')
  const bytes = readFileSync(await pngDownload.path())
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
  const png = PNG.sync.read(bytes)
  expect(png.width).toBe(PNG_WIDTH.chart * PNG_SCALE)
  expect(png.height).toBeGreaterThan(200)
  const cssWidth = await analysis
    .chart('traffic')
    .evaluate((el) => el.getBoundingClientRect().width)
  expect(png.width).toBeGreaterThanOrEqual(Math.floor(cssWidth))

  // One table as CSV: top paths, UTF-8 with a BOM, a header and the paths of the log.
  await button.click()
  await page.getByTestId('export-csv-paths').click()
  const csvLink = page.getByRole('link', { name: 'Download' }).last()
  await expect(csvLink).toHaveAttribute('download', /-paths\.csv$/, { timeout: 60_000 })
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), csvLink.click()])
  const csv = readFileSync(await csvDownload.path(), 'utf8')
  expect(csv.charCodeAt(0)).toBe(0xfeff)
  expect(csv).toContain('/index.html')
})
