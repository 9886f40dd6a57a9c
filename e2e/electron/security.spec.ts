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
  await expect(loglens.dropzone).toBeVisible()
  // The OS-level sandbox of the renderer is visible in the process metrics (macOS, Windows).
  const renderers = await app.evaluate(({ app: a }) =>
    a
      .getAppMetrics()
      .filter((m) => m.type === 'Tab')
      .map((m) => m.sandboxed),
  )
  expect(renderers.length).toBeGreaterThan(0)
  for (const sandboxed of renderers) if (sandboxed !== undefined) expect(sandboxed).toBe(true)

  const page = await loglens.page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>
    const api = w.loglens as Record<string, unknown> & { on: Record<string, unknown> }
    return {
      require: typeof w.require,
      process: typeof w.process,
      module: typeof w.module,
      ipcRenderer: typeof w.ipcRenderer,
      api: Object.keys(api).sort(),
      events: Object.keys(api.on).sort(),
    }
  })
  expect(page).toEqual({
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    ipcRenderer: 'undefined',
    api: [...CALLS, 'on', 'pathsForFiles'].sort(),
    events: ['analysesChanged', 'job', 'menu', 'partial', 'progress'],
  })
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
