// Opening logs in the desktop app: the Open dialog, drag-and-drop, the sample, and bad input.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, skipReason, test } from './fixtures'
import { writeCombinedLog } from './logs'

test.skip(skipReason !== null, skipReason ?? '')

test('File → Open… analyses the chosen log and shows the numbers', async ({ loglens, dataDir }) => {
  const log = join(dataDir, 'access.log')
  await writeCombinedLog(log, 1000, 100)
  await loglens.answerOpenDialogWith([log])
  await loglens.openFilesButton.click()
  await expect(loglens.analysis('complete')).toBeVisible()
  await expect(loglens.kpi('pv')).toContainText(/1[,.\s]?000/)
  await expect(loglens.kpi('uv')).toContainText('100')
})

test('dropping files on the window analyses them', async ({ loglens, dataDir }) => {
  const a = join(dataDir, 'access.log')
  const b = join(dataDir, 'access.log.1')
  await writeCombinedLog(a, 400, 40)
  await writeCombinedLog(b, 600, 40)
  await expect(loglens.dropzone).toBeVisible()
  await loglens.dropFiles([a, b])
  await expect(loglens.analysis('complete')).toBeVisible()
  await expect(loglens.kpi('pv')).toContainText(/1[,.\s]?000/)
})

test('opening a folder analyses the logs inside', async ({ loglens, dataDir }) => {
  const folder = join(dataDir, 'logs')
  await mkdir(folder)
  await writeCombinedLog(join(folder, 'access.log'), 250, 10)
  await writeCombinedLog(join(folder, 'access.log.1'), 250, 10)
  await loglens.answerOpenDialogWith([folder])
  await loglens.openFilesButton.click()
  await expect(loglens.analysis('complete')).toBeVisible()
  await expect(loglens.kpi('pv')).toContainText('500')
})

test('Try with a sample log', async ({ loglens }) => {
  await loglens.openSampleButton.click()
  await expect(loglens.analysis('complete')).toBeVisible()
  await expect(loglens.kpi('pv')).not.toHaveText(/^\s*0\s*$/)
})

test('a file that is not a log is refused with a message, and nothing changes', async ({
  loglens,
  dataDir,
}) => {
  const png = join(dataDir, 'holiday.png')
  await writeFile(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))
  await expect(loglens.dropzone).toBeVisible()
  await loglens.dropFiles([png])
  await expect(loglens.page.locator('.notice').first()).toContainText('holiday.png')
  await expect(loglens.dropzone).toBeVisible()
  const list = await loglens.page.evaluate(() => window.loglens!.listAnalyses())
  expect(list).toEqual({ ok: true, value: [] })
})
