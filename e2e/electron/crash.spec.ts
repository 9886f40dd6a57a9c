// The aggregator utility process is supervised: killed mid-analysis, the app says so and can
// retry in a fresh process; quitting during an analysis asks first. Uses SIGSTOP to hold an
// analysis still (POSIX), so nothing here depends on timing.
import { join } from 'node:path'
import { expect, skipReason, test } from './fixtures'
import { writeBigLog } from './logs'

test.skip(skipReason !== null, skipReason ?? '')
test.skip(process.platform === 'win32', 'holding the aggregator still needs SIGSTOP (POSIX)')

test('a killed aggregator becomes a clear state with Retry, and Retry works', async ({
  loglens,
  dataDir,
}) => {
  const log = join(dataDir, 'big.log')
  await writeBigLog(log, 120)
  await loglens.answerOpenDialogWith([log])
  await loglens.openFilesButton.click()

  await expect.poll(() => loglens.aggregatorPid(), { intervals: [10] }).not.toBeNull()
  const pid = (await loglens.aggregatorPid())!
  process.kill(pid, 'SIGSTOP')
  await expect(loglens.analysis()).toHaveAttribute('data-status', /queued|running/)
  process.kill(pid, 'SIGKILL')

  await expect(loglens.analysis('incomplete')).toBeVisible()
  await expect(loglens.outcome).toContainText(/unexpectedly|意外/)
  await loglens.retryButton.click()
  // The killed process is gone for good: the retry ran in a fresh one.
  await expect(loglens.analysis('complete')).toBeVisible({ timeout: 90_000 })
})

test('quitting during an analysis asks first', async ({ app, loglens, dataDir }) => {
  const log = join(dataDir, 'big.log')
  await writeBigLog(log, 120)
  await loglens.answerOpenDialogWith([log])
  await loglens.openFilesButton.click()
  await expect.poll(() => loglens.aggregatorPid(), { intervals: [10] }).not.toBeNull()
  const pid = (await loglens.aggregatorPid())!
  process.kill(pid, 'SIGSTOP')

  // "Keep running": the app stays.
  await loglens.answerMessageBoxWith(1)
  await app.evaluate(({ app: a }) => a.quit())
  await expect(loglens.analysis()).toHaveAttribute('data-status', /queued|running/)
  expect(app.windows()).toHaveLength(1)

  // "Stop and quit": the analysis is cancelled and the app exits.
  process.kill(pid, 'SIGCONT')
  await loglens.answerMessageBoxWith(0)
  const closed = app.waitForEvent('close')
  await app.evaluate(({ app: a }) => a.quit())
  await closed
})
