// The desktop app starts, shows its window, remembers where it was, keeps one instance, and its
// menu reaches the renderer.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appLog, expect, runSecondInstance, skipReason, test } from './fixtures'
import { writeCombinedLog } from './logs'
import { LogLensWindow } from './pages'

test.skip(skipReason !== null, skipReason ?? '')

const version = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string
  }
).version

test('launches one secure window with the start screen', async ({ app, loglens, userDataDir }) => {
  await expect(loglens.dropzone).toBeVisible()
  await expect(loglens.page).toHaveTitle(/LogLens/)
  expect(loglens.page.url()).toMatch(/^app:\/\/loglens\//)
  expect(app.windows()).toHaveLength(1)
  const info = await loglens.page.evaluate(() => window.loglens!.getAppInfo())
  expect(info).toMatchObject({ ok: true, value: { front: 'electron', version } })
  await expect.poll(() => appLog(userDataDir)).toContain('starting')
})

test('the menu has File, View and Help, and About credits 程序员晚枫', async ({ app, loglens }) => {
  await expect(loglens.dropzone).toBeVisible()
  const labels = await app.evaluate(({ Menu }) =>
    Menu.getApplicationMenu()!.items.map((i) => i.label),
  )
  expect(labels.join(' ')).toMatch(/File|文件/)
  expect(labels.join(' ')).toMatch(/View|视图/)
  await app.evaluate(({ Menu }) => {
    const help = Menu.getApplicationMenu()!.items.find((i) => i.role === 'help')!
    const about =
      help.submenu!.items.find((i) => /About|关于/.test(i.label)) ??
      Menu.getApplicationMenu()!.items[0]!.submenu!.items.find((i) => /About|关于/.test(i.label))!
    about.click()
  })
  await expect(loglens.page.getByText(/程序员晚枫/).first()).toBeVisible()
})

test('remembers the window size between runs', async ({ launch }) => {
  const first = await launch()
  const page = await first.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  await first.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 50, width: 1000, height: 700 }),
  )
  await first.close()
  const second = await launch()
  await second.firstWindow()
  const bounds = await second.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]!.getBounds(),
  )
  expect(bounds).toMatchObject({ width: 1000, height: 700 })
})

test('a second launch hands its files to the first window and quits', async ({
  loglens,
  app,
  dataDir,
  userDataDir,
}) => {
  await expect(loglens.dropzone).toBeVisible()
  const log = join(dataDir, 'second.log')
  await writeCombinedLog(log, 500, 20)
  expect(await runSecondInstance(userDataDir, [log])).toBe(0)
  expect(app.windows()).toHaveLength(1)
  // Main started the analysis; it shows up in the history with its result.
  await expect
    .poll(async () =>
      loglens.page.evaluate(async () => {
        const r = await window.loglens!.listAnalyses()
        return r.ok ? r.value.map((a) => [a.name, a.status, a.pv]) : []
      }),
    )
    .toContainEqual(['second.log', 'complete', 500])
})

test('files given on the command line are analysed', async ({ launch, dataDir }) => {
  const log = join(dataDir, 'argv.log')
  await writeCombinedLog(log, 300, 30)
  const app = await launch([log])
  const w = new LogLensWindow(app, await app.firstWindow())
  await expect
    .poll(async () =>
      w.page.evaluate(async () => {
        const r = await window.loglens!.listAnalyses()
        return r.ok ? r.value.map((a) => [a.name, a.status, a.pv, a.uv]) : []
      }),
    )
    .toContainEqual(['argv.log', 'complete', 300, 30])
})
