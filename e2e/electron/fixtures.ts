// Fixtures for the Electron e2e specs: each test launches the real app (Playwright's _electron)
// with a user-data folder of its own, and gets its window wrapped in a page object. Where the
// Electron runtime cannot run (no binary, no display, no Electron build of better-sqlite3) every
// spec skips and the reason is printed once.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { _electron as electron, test as base, type ElectronApplication } from '@playwright/test'
import {
  detectElectronRuntime,
  electronNativeBinding,
  root,
} from '../../scripts/electron-runtime.cjs'
import { LogLensWindow } from './pages'

function whySkip(): string | null {
  const runtime = detectElectronRuntime({ needDisplay: true })
  if (!runtime.ok) return runtime.reason
  if (!existsSync(join(root, 'out', 'main', 'index.js')))
    return 'the app is not built (run npm run build)'
  if (!electronNativeBinding())
    return 'better-sqlite3 is not built for Electron (run node scripts/electron-native.mjs, which needs a network connection)'
  return null
}

const reason = whySkip()
/** Null when the Electron specs can run here; otherwise the sentence saying why not. */
export const skipReason = reason ? `Electron e2e skipped: ${reason}.` : null
const printed = globalThis as { __loglensElectronSkipPrinted?: boolean }
if (skipReason && !printed.__loglensElectronSkipPrinted) {
  printed.__loglensElectronSkipPrinted = true
  console.log(skipReason)
}

export const executable = (): string => {
  const r = detectElectronRuntime()
  if (!r.ok) throw new Error(r.reason)
  return r.executable
}

interface Fixtures {
  /** A fresh folder for this test: user data under userData/, generated logs next to it. */
  dataDir: string
  userDataDir: string
  /** Launch the app (again) with this test's user data; extra args are passed to the app. */
  launch: (args?: string[]) => Promise<ElectronApplication>
  app: ElectronApplication
  loglens: LogLensWindow
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'loglens-e2e-'))
    await use(dir)
    await rm(dir, { recursive: true, force: true })
  },
  userDataDir: async ({ dataDir }, use) => use(join(dataDir, 'userData')),
  launch: async ({ userDataDir }, use, testInfo) => {
    const launched: ElectronApplication[] = []
    await use(async (args = []) => {
      const app = await electron.launch({
        executablePath: executable(),
        args: [root, ...args],
        cwd: root,
        env: { ...process.env, LOGLENS_USER_DATA_DIR: userDataDir, ELECTRON_RUN_AS_NODE: '' },
      })
      launched.push(app)
      return app
    })
    for (const app of launched) await app.close().catch(() => {})
    // The app log tells what main and the aggregator saw: keep it with a failed test.
    const log = join(userDataDir, 'logs', 'loglens.log')
    if (testInfo.status !== testInfo.expectedStatus && existsSync(log))
      await testInfo.attach('loglens.log', { body: await readFile(log), contentType: 'text/plain' })
  },
  app: async ({ launch }, use) => use(await launch()),
  loglens: async ({ app }, use) => {
    const page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
    await use(new LogLensWindow(app, page))
  },
})

export { expect } from '@playwright/test'

/** Run the app binary without Playwright (a second instance), resolving with its exit code. */
export function runSecondInstance(userDataDir: string, args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable(), [root, ...args], {
      cwd: root,
      env: { ...process.env, LOGLENS_USER_DATA_DIR: userDataDir, ELECTRON_RUN_AS_NODE: '' },
      stdio: 'ignore',
    })
    child.on('error', reject)
    child.on('exit', (code) => resolve(code))
  })
}

/** The app's log so far (for "was this refused?" checks without sleeps: poll it). */
export async function appLog(userDataDir: string): Promise<string> {
  return readFile(join(userDataDir, 'logs', 'loglens.log'), 'utf8').catch(() => '')
}
