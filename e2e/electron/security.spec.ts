// Security settings in effect in the running app: isolation, sandbox, no Node in the page, no
// pop-ups, no navigation away, no remote requests, only the contract on window.loglens, and
// bad IPC input answered as data.
import { expect, appLog, skipReason, test } from './fixtures'

test.skip(skipReason !== null, skipReason ?? '')

const CALLS = [
  'getAppInfo',
  'listAnalyses',
  'getAnalysis',
  'queryIps',
  'renameAnalysis',
  'deleteAnalysis',
  'startAnalysis',
  'cancelAnalysis',
  'retryAnalysis',
  'registerDroppedPaths',
  'openFileDialog',
  'openSample',
  'exportReport',
]

test('the window is isolated and sandboxed, with no Node in the page', async ({ app, loglens }) => {
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const p = BrowserWindow.getAllWindows()[0]!.webContents.getLastWebPreferences()!
    return {
      contextIsolation: p.contextIsolation,
      sandbox: p.sandbox,
      nodeIntegration: p.nodeIntegration,
      webSecurity: p.webSecurity,
      webviewTag: p.webviewTag,
    }
  })
  expect(prefs).toEqual({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    webviewTag: false,
  })
  const page = await loglens.page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    api: Object.keys(window.loglens!).sort(),
    events: Object.keys(window.loglens!.on).sort(),
  }))
  expect(page.require).toBe('undefined')
  expect(page.process).toBe('undefined')
  expect(page.api).toEqual([...CALLS, 'on', 'pathsForFiles'].sort())
  expect(page.events).toEqual(['analysesChanged', 'job', 'menu', 'partial', 'progress'])
})

test('window.open and navigation away are refused', async ({ app, loglens, userDataDir }) => {
  await expect(loglens.dropzone).toBeVisible()
  const opened = await loglens.page.evaluate(() => window.open('https://example.com/') === null)
  expect(opened).toBe(true)
  await expect.poll(() => appLog(userDataDir)).toContain('window.open denied')
  expect(app.windows()).toHaveLength(1)

  await loglens.page.evaluate(() => {
    window.location.href = 'https://example.com/'
  })
  await expect.poll(() => appLog(userDataDir)).toContain('navigation denied')
  expect(loglens.page.url()).toMatch(/^app:\/\/loglens\//)
  await expect(loglens.dropzone).toBeVisible()
})

test('the page carries the CSP and cannot reach the network', async ({ loglens }) => {
  const csp = await loglens.page.evaluate(async () =>
    (await fetch(window.location.href)).headers.get('content-security-policy'),
  )
  expect(csp).toContain("default-src 'none'")
  expect(csp).toContain("script-src 'self'")
  const remote = await loglens.page.evaluate(() =>
    fetch('https://example.com/').then(
      () => 'reached',
      () => 'refused',
    ),
  )
  expect(remote).toBe('refused')
})

test('bad IPC input comes back as an error envelope, not an exception', async ({ loglens }) => {
  const r = await loglens.page.evaluate(() =>
    window.loglens!.getAnalysis({ id: -1 } as { id: number }),
  )
  expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  const missing = await loglens.page.evaluate(() => window.loglens!.getAnalysis({ id: 424242 }))
  expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
})
