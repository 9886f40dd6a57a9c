// Live view on a bigger log, opened through "Open…" (the hidden file input of the browser front):
// figures and charts fill in while the file is read, progress reaches 100 %, the totals match
// the generator, and the renderer never blocks for more than 200 ms.
// Size: LOGLENS_E2E_LIVE_MB (default 200; set 1024 for the 1 GB run).
import { join } from 'node:path'
import { AnalysisPage } from './pages/analysis'
import { HomePage } from './pages/home'
import {
  expect,
  liveSignals,
  longTasksSince,
  pageNow,
  recordLiveSignals,
  screenshot,
  test,
} from './support/fixtures'
import { generateLogFile } from './support/loggen'

const MB = Number(process.env.LOGLENS_E2E_LIVE_MB ?? 200)
const LINE_BYTES = 205 // about, for the generator's lines

test(`live figures while a ${MB} MB log is read`, async ({ page, serve }, info) => {
  test.setTimeout(Math.max(180_000, MB * 1_000))
  await page.setViewportSize({ width: 1440, height: 960 })
  const path = join(serve.dir, 'live-access.log')
  const log = generateLogFile(path, {
    lines: Math.round((MB * 1024 * 1024) / LINE_BYTES),
    clients: 200_000,
    seed: 7,
    invalidEvery: 5003,
    spanMs: 3 * 24 * 3600_000,
  })
  info.annotations.push({
    type: 'log',
    description: `${(log.bytes / 1048576).toFixed(0)} MB, ${log.lines} lines`,
  })

  const home = new HomePage(page)
  await home.goto(serve.url)
  await home.setTheme('light')
  await recordLiveSignals(page)
  const openedAt = await pageNow(page)
  await page.getByTestId('file-input').setInputFiles(path)

  const analysis = new AnalysisPage(page)
  // While running: the live panel, a partial figure, a bar between 0 and 100.
  await expect(page.getByTestId('cancel')).toBeVisible({ timeout: 120_000 })
  await expect(analysis.kpi('pv')).not.toHaveAttribute('data-value', '0', { timeout: 30_000 })
  const firstFigures = (await pageNow(page)) - openedAt
  info.annotations.push({
    type: 'first figures after choosing the file (ms, includes upload)',
    description: firstFigures.toFixed(0),
  })
  const midway = Number(await analysis.progress.getAttribute('aria-valuenow'))
  if (midway < 100) await screenshot(page, 'analysis-live-en-light')

  await expect(analysis.progress).toHaveAttribute('aria-valuenow', '100', { timeout: MB * 1_000 })
  await analysis.waitForStatus('complete', MB * 1_000)
  const signals = await liveSignals(page)
  info.annotations.push({ type: 'progress values seen', description: signals.progress.join(',') })
  expect(signals.cancelShown).toBe(true)
  expect(signals.uvEstimate).toBe(true)
  expect(signals.progress.some((v) => v > 0 && v < 100)).toBe(true)
  await expect(analysis.kpi('pv')).toHaveAttribute('data-value', String(log.pv))
  await expect(analysis.kpi('uv')).toHaveAttribute('data-value', String(log.uv))
  await expect(analysis.kpi('invalid')).toHaveAttribute('data-value', String(log.invalid))
  expect(await analysis.topIp()).toBe(log.topIp)
  await expect(analysis.ipRows.first()).toContainText(log.topIp)

  await expect(analysis.chart('traffic').locator('.recharts-area-curve')).toHaveCount(1)
  await expect(analysis.chart('memory').locator('.recharts-reference-line')).toHaveCount(1)

  const tasks = await longTasksSince(page, openedAt)
  info.annotations.push({
    type: 'long tasks (ms)',
    description: tasks.map((t) => t.duration.toFixed(0)).join(',') || 'none',
  })
  console.log('long tasks since the file was chosen:', JSON.stringify(tasks))
  expect(Math.max(0, ...tasks.map((t) => t.duration))).toBeLessThanOrEqual(200)
  await screenshot(page, 'analysis-large-en-light')
})
