// The browser bridge of `loglens serve`: token on every request and socket, Host/Origin checks,
// calls and events over the WebSocket, streamed uploads, all against a real service.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/cli/serve'
import { AnalysisService, nodeLauncher } from '../../src/service'
import { generateLogFile } from '../../src/engine/generate/generator'
import type { BridgeServerMessage } from '../../src/shared/bridge-protocol'
import { AGGREGATOR_ENTRY, CLI, OUT_MAIN, ROOT, requireBuild } from '../support/build'

const dir = mkdtempSync(join(tmpdir(), 'loglens-serve-'))
let service: AnalysisService
let server: RunningServer

beforeAll(async () => {
  requireBuild()
  service = new AnalysisService({
    dbPath: join(dir, 'serve.db'),
    aggregatorEntry: AGGREGATOR_ENTRY,
    launcher: nodeLauncher,
    samplePath: join(ROOT, 'resources', 'sample', 'access.log.gz'),
    workDir: join(dir, 'work'),
    front: 'browser',
    version: 'test',
  })
  server = await startServer({ service, rendererDir: join(OUT_MAIN, '..', 'renderer') })
})
afterAll(async () => {
  await server.close()
  await service.close()
  rmSync(dir, { recursive: true, force: true })
})

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        headers: { host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

function socket(path = `/t/${server.token}/ws`, headers: Record<string, string> = {}): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers })
}

function open(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
}

describe('loglens serve', () => {
  it('binds 127.0.0.1 and prints a URL that carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/t/${server.token}/`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{24,}$/)
  })

  it('a port already in use: one line saying so and what to do, exit 1', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI, 'serve', '--db', join(dir, 'other.db'), '--port', String(server.port)],
        { env: { ...process.env, LOGLENS_HOME: join(dir, 'home') } },
        (e, _out, stderr) =>
          resolve({ code: e ? ((e as { code?: number }).code ?? null) : 0, stderr }),
      )
    })
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe(
      `loglens: port ${server.port} is already in use (another LogLens, or another program). ` +
        'Choose another with --port N, or --port 0 for any free one.',
    )
  })

  it('serves the app only under the token, with a CSP', async () => {
    const ok = await get(`/t/${server.token}/`)
    expect(ok.status).toBe(200)
    expect(ok.body).toContain('<div id="root">')
    expect(String(ok.headers['content-security-policy'])).toContain("default-src 'self'")
    expect((await get('/')).status).toBe(403)
    expect((await get('/t/not-the-token-at-all/')).status).toBe(403)
    expect((await get(`/t/${server.token}/../../package.json`)).status).not.toBe(200)
  })

  it('refuses foreign Host and Origin headers (DNS rebinding, other sites)', async () => {
    expect((await get(`/t/${server.token}/`, { host: 'evil.example:80' })).status).toBe(403)
    expect((await get(`/t/${server.token}/`, { origin: 'https://evil.example' })).status).toBe(403)
    await expect(open(socket(undefined, { origin: 'https://evil.example' }))).rejects.toThrow(/403/)
    await expect(open(socket('/t/wrong-token-wrong-token/ws'))).rejects.toThrow(/403/)
  })

  it('answers calls with envelopes, validates arguments, and pushes events', async () => {
    const ws = socket()
    await open(ws)
    const messages: BridgeServerMessage[] = []
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as BridgeServerMessage))
    const call = async (id: number, name: string, args?: unknown) => {
      ws.send(JSON.stringify({ type: 'call', id, name, args }))
      for (;;) {
        const m = messages.find((x) => x.type === 'result' && x.id === id)
        if (m && m.type === 'result') return m.envelope
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    const info = await call(1, 'getAppInfo')
    expect(info).toMatchObject({ ok: true, value: { front: 'browser', version: 'test' } })
    expect(await call(2, 'getAnalysis', { id: -3 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    expect(await call(3, 'noSuchCall')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })

    // Upload a file, analyse it, and watch the events arrive over the same socket.
    const log = join(dir, 'up.log')
    const fig = generateLogFile(log, { lines: 20_000, clients: 700 })
    const body = readFileSync(log)
    const sel = await new Promise<{
      ok: boolean
      value: { files: { id: string; name: string }[] }
    }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: `/t/${server.token}/upload?name=${encodeURIComponent('我的 access.log')}`,
          headers: { host: `127.0.0.1:${server.port}`, 'content-length': String(body.length) },
        },
        (res) => {
          let t = ''
          res.on('data', (c: Buffer) => (t += c.toString()))
          res.on('end', () => resolve(JSON.parse(t)))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
    expect(sel.ok).toBe(true)
    expect(sel.value.files[0]!.name).toBe('我的 access.log')
    const start = await call(4, 'startAnalysis', { fileIds: [sel.value.files[0]!.id] })
    expect(start.ok).toBe(true)
    const id = (start as { ok: true; value: { analysisId: number } }).value.analysisId
    for (;;) {
      if (
        messages.some(
          (m) =>
            m.type === 'event' &&
            m.name === 'job' &&
            m.payload.analysisId === id &&
            m.payload.state === 'complete',
        )
      )
        break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(messages.some((m) => m.type === 'event' && m.name === 'progress')).toBe(true)
    const detail = await call(5, 'getAnalysis', { id })
    expect(detail).toMatchObject({ ok: true, value: { summary: { pv: fig.pv, uv: fig.uv } } })
    ws.close()
  })
})
