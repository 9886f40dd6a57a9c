// Boots the real main process (src/main/index.ts) against a stand-in electron module, with the
// real service, SQLite and aggregator process: proves the wiring (security, protocol, IPC,
// events, menu, launcher) works end to end where the Electron runtime cannot run.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { callChannel, eventChannel } from '../../src/shared/contract'
import type * as FakeElectron from './fake-electron'

vi.mock('electron', async () => await import('./fake-electron'))

const built = existsSync(join(__dirname, '..', '..', 'out', 'main', 'aggregator.js'))
const userData = mkdtempSync(join(tmpdir(), 'loglens-main-'))
let fake: typeof FakeElectron

const trusted = { senderFrame: { url: 'app://loglens/index.html', parent: null } }
async function call(name: Parameters<typeof callChannel>[0], ...args: unknown[]) {
  const h = fake.ipcHandlers.get(callChannel(name))
  if (!h) throw new Error(`no handler for ${name}`)
  return (await h(trusted, ...args)) as { ok: boolean; value?: unknown; error?: { code: string } }
}

function combinedLog(lines: number, ips: number): string {
  let s = ''
  for (let i = 0; i < lines; i++)
    s += `10.0.${(i % ips) >> 8}.${(i % ips) & 255} - - [01/May/2024:00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i % 7} HTTP/1.1" 200 ${100 + i} "-" "curl/8"\n`
  return s
}

describe.skipIf(!built)('main process boot (stand-in electron)', () => {
  const argv = process.argv
  beforeAll(async () => {
    process.env.LOGLENS_USER_DATA_DIR = userData
    process.argv = [process.execPath]
    fake = await import('./fake-electron')
    await import('../../src/main/index')
    await vi.waitFor(() => expect(fake.BrowserWindow.all).toHaveLength(1), { timeout: 20_000 })
    await vi.waitFor(() => expect(fake.BrowserWindow.all[0]!.loadedUrl).not.toBeNull())
  })
  afterAll(async () => {
    process.argv = argv
    fake?.app.quit()
    await vi.waitFor(() => expect(fake.app.exitCode).toBe(0), { timeout: 15_000 })
  })

  it('sets up security before anything loads', async () => {
    expect(fake.privileged).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ])
    const win = fake.BrowserWindow.all[0]!
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    })
    expect(win.loadedUrl).toBe('app://loglens/index.html')
    // Hardened through web-contents-created.
    const open = win.webContents.windowOpenHandler as (d: { url: string }) => { action: string }
    expect(open({ url: 'https://example.com' })).toEqual({ action: 'deny' })
    let granted: boolean | undefined
    fake.recorded.permissionRequestHandler!({}, 'media', (g: boolean) => (granted = g), {})
    expect(granted).toBe(false)
    let cancel: boolean | undefined
    fake.recorded.beforeRequest!({ url: 'https://example.com/x' }, (r) => (cancel = r.cancel))
    expect(cancel).toBe(true)
  })

  it('serves the renderer over app:// with the CSP', async () => {
    const handler = fake.protocolHandlers.get('app')!
    const r = await handler(new Request('app://loglens/index.html'))
    expect(r.status).toBe(200)
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect((await handler(new Request('app://loglens/../../package.json'))).status).toBe(404)
  })

  it('answers every call, checks the sender and validates input', async () => {
    const info = await call('getAppInfo')
    expect(info).toMatchObject({ ok: true, value: { front: 'electron', version: '0.1.0' } })
    expect(await call('listAnalyses')).toEqual({ ok: true, value: [] })
    expect(await call('getAnalysis', { id: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    const h = fake.ipcHandlers.get(callChannel('listAnalyses'))!
    expect(await h({ senderFrame: { url: 'https://evil.example/', parent: null } })).toMatchObject({
      ok: false,
    })
    // The cancelled Open dialog answers null.
    expect(await call('openFileDialog')).toEqual({ ok: true, value: null })
  })

  it('builds the application menu', () => {
    const menu = fake.recorded.menus.at(-1) as { template: { label?: string }[] }
    expect(menu.template.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Help'])
  })

  it('tells the user when better-sqlite3 has no Electron build', async () => {
    await vi.waitFor(() =>
      expect(
        fake.recorded.messageBoxes.some((m) => String(m.message).includes('native:electron')),
      ).toBe(true),
    )
  })

  it('runs an analysis in the utility process and forwards its events to the window', async () => {
    const log = join(userData, 'access.log')
    writeFileSync(log, combinedLog(600, 60))
    const sel = (await call('registerDroppedPaths', { paths: [log] })) as {
      ok: true
      value: { files: { id: string }[]; skipped: unknown[] }
    }
    expect(sel.ok).toBe(true)
    expect(sel.value.files).toHaveLength(1)
    const started = (await call('startAnalysis', { fileIds: [sel.value.files[0]!.id] })) as {
      value: { analysisId: number }
    }
    const id = started.value.analysisId
    const win = fake.BrowserWindow.all[0]!
    const jobStates = () =>
      win.sent
        .filter(
          ([c, p]) => c === eventChannel('job') && (p as { analysisId: number }).analysisId === id,
        )
        .map(([, p]) => (p as { state: string }).state)
    await vi.waitFor(() => expect(jobStates()).toContain('complete'), { timeout: 30_000 })
    expect(fake.recorded.forks.at(-1)).toMatchObject({
      options: { serviceName: 'loglens-aggregator', stdio: 'pipe' },
    })
    const detail = (await call('getAnalysis', { id })) as {
      value: { summary: { pv: number; uv: number } }
    }
    expect(detail.value.summary).toMatchObject({ pv: 600, uv: 60 })
  })

  it('a second launch with a file analyses it and shows that analysis in the window', async () => {
    const log = join(userData, 'second.log')
    writeFileSync(log, combinedLog(300, 30))
    const win = fake.BrowserWindow.all[0]!
    const sentBefore = win.sent.length
    fake.app.emit('second-instance', {}, [process.execPath, log], userData)
    const shown = () =>
      win.sent
        .slice(sentBefore)
        .filter(
          ([c, p]) =>
            c === eventChannel('menu') && (p as { command: string }).command === 'openAnalysis',
        )
        .map(([, p]) => (p as { analysisId: number }).analysisId)
    await vi.waitFor(() => expect(shown()).toHaveLength(1), { timeout: 10_000 })
    const id = shown()[0]!
    const detail = (await call('getAnalysis', { id })) as {
      value: { summary: { name: string; files: { name: string }[] } }
    }
    expect(detail.value.summary.files.map((f) => f.name)).toEqual(['second.log'])
    // Let it finish so the next test starts with an idle queue.
    await vi.waitFor(
      () =>
        expect(
          win.sent.some(
            ([c, p]) =>
              c === eventChannel('job') &&
              (p as { analysisId: number; state: string }).analysisId === id &&
              (p as { state: string }).state === 'complete',
          ),
        ).toBe(true),
      { timeout: 30_000 },
    )
  })

  it('reports a killed aggregator as a crashed job', async () => {
    const log = join(userData, 'big.log')
    writeFileSync(log, combinedLog(200_000, 5000))
    const sel = (await call('registerDroppedPaths', { paths: [log] })) as {
      value: { files: { id: string }[] }
    }
    const forksBefore = fake.recorded.utility.length
    const started = (await call('startAnalysis', { fileIds: [sel.value.files[0]!.id] })) as {
      value: { analysisId: number }
    }
    const id = started.value.analysisId
    await vi.waitFor(() => expect(fake.recorded.utility.length).toBe(forksBefore + 1))
    const child = fake.recorded.utility.at(-1)!.child
    await vi.waitFor(() => expect(child.pid).toBeDefined())
    child.kill('SIGKILL')
    const win = fake.BrowserWindow.all[0]!
    await vi.waitFor(
      () => {
        const last = win.sent
          .filter(
            ([c, p]) =>
              c === eventChannel('job') && (p as { analysisId: number }).analysisId === id,
          )
          .at(-1)?.[1] as { state: string; error: { code: string } | null } | undefined
        // Either the kill landed mid-run (crash reported) or the run had already finished.
        expect(['incomplete', 'complete']).toContain(last?.state)
        if (last?.state === 'incomplete') expect(last.error?.code).toBe('AGGREGATOR_CRASHED')
      },
      { timeout: 30_000 },
    )
  })
})
