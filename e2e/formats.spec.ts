// Bad input with a way forward: a log read with the wrong format gets a format suggestion and a
// one-click re-run; the sample log works for a first-time user.
import { AnalysisPage } from './pages/analysis'
import { HomePage } from './pages/home'
import { expect, screenshot, test } from './support/fixtures'
import { generateLog as generateEngineLog } from '../src/engine/generate/generator'
import { generateLog } from './support/loggen'

test('wrong format → suggestion → re-run with it', async ({ page, serve }) => {
  const log = generateLog({ lines: 300, clients: 40, seed: 3 })
  const home = new HomePage(page)
  await home.goto(serve.url)
  await page.getByTestId('format-select').selectOption('vhost_combined')
  await home.drop([{ name: 'wrong-format.log', content: log.text }])

  const analysis = new AnalysisPage(page)
  const outcome = page.getByTestId('outcome')
  await expect(outcome).toBeVisible({ timeout: 60_000 })
  await expect(analysis.kpi('pv')).toHaveAttribute('data-value', '0')
  await screenshot(page, 'analysis-wrong-format-en')
  const suggested = page.getByTestId('rerun-suggested')
  if (await suggested.count()) {
    await suggested.click()
  } else {
    // No suggestion from the engine: choose the format by hand.
    await outcome.getByTestId('format-select').selectOption('combined')
    await outcome.getByRole('button', { name: 'Re-run with format' }).click()
  }
  await analysis.waitForStatus('complete')
  await expect(analysis.kpi('pv')).toHaveAttribute('data-value', String(log.pv))
  await expect(analysis.kpi('uv')).toHaveAttribute('data-value', String(log.uv))
})

test('try with a sample log', async ({ page, serve }) => {
  // The bundled sample is the generator's output for the options in resources/sample/README.md:
  // regenerate it (in memory) for the figures the dashboard must show.
  const sample = generateEngineLog(
    {
      lines: 40_000,
      clients: 1500,
      ipv6Share: 0.1,
      ipv6Spellings: true,
      invalidShare: 0.003,
      spanSeconds: 172_800,
      seed: 2026,
    },
    () => undefined,
  )
  const home = new HomePage(page)
  await home.goto(serve.url)
  await page.getByTestId('open-sample').click()
  const analysis = new AnalysisPage(page)
  await analysis.waitForStatus('complete')
  await expect(analysis.kpi('pv')).toHaveAttribute('data-value', String(sample.pv))
  await expect(analysis.kpi('uv')).toHaveAttribute('data-value', String(sample.uv))
  await expect(analysis.kpi('invalid')).toHaveAttribute('data-value', String(sample.invalid))
  await expect(analysis.ipRows.first()).toContainText(sample.topClients[0]!.ip)
})
