// `loglens serve`: the same renderer in a local browser, talking to the same service over a local
// HTTP + WebSocket bridge. Binds 127.0.0.1, requires the random token (in the path) on every
// request and socket, and refuses foreign Host and Origin headers (DNS rebinding, other sites).
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { EVENT_NAMES, isCallName } from '../shared/contract'
import type { BridgeServerMessage } from '../shared/bridge-protocol'
import type { AnalysisService } from '../service'
import { dispatchCall, errorInfoOf } from '../service'
import { attachExportTarget } from '../service/export-targets'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
}

/** The page's policy, also sent as a header (the built index.html carries the same as a meta tag). */
export const SERVE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export interface ServeOptions {
  service: AnalysisService
  rendererDir: string
  host?: string
  port?: number
  token?: string
  log?: (message: string) => void
}

export interface RunningServer {
  url: string
  port: number
  token: string
  /** Register a file to be downloaded once (exports in the browser front). */
  offerDownload(path: string, fileName: string): string
  close(): Promise<void>
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1'
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const prefix = `/t/${token}/`
  const downloads = new Map<string, { path: string; fileName: string }>()
  let port = 0

  const allowedHosts = (): Set<string> =>
    new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`])
  const hostOk = (req: IncomingMessage): boolean => allowedHosts().has(req.headers.host ?? '')
  const originOk = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin
    if (origin === undefined) return true
    return [...allowedHosts()].some((h) => origin === `http://${h}`)
  }

  const refuse = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    })
    res.end(text)
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      opts.log?.(`request failed: ${String(e)}`)
      if (!res.headersSent) refuse(res, 500, 'Internal error')
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req) || !originOk(req)) return refuse(res, 403, 'Forbidden host or origin')
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    if (!url.pathname.startsWith(prefix)) {
      return refuse(
        res,
        403,
        'LogLens: open the full address printed by `loglens serve` (it contains an access token).',
      )
    }
    const rest = url.pathname.slice(prefix.length)
    if (req.method === 'POST' && rest === 'upload') {
      const name = url.searchParams.get('name') ?? 'upload.log'
      let body: string
      try {
        body = JSON.stringify({ ok: true, value: await opts.service.registerUpload(name, req) })
      } catch (e) {
        body = JSON.stringify({ ok: false, error: errorInfoOf(e) })
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(body)
      return
    }
    if (req.method === 'GET' && rest.startsWith('download/')) {
      const id = rest.slice('download/'.length)
      const d = downloads.get(id)
      if (!d) return refuse(res, 404, 'This download has expired.')
      downloads.delete(id)
      const st = await stat(d.path)
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(st.size),
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(d.fileName)}`,
        'cache-control': 'no-store',
      })
      createReadStream(d.path).pipe(res)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed')
    const rel = rest === '' ? 'index.html' : decodeURIComponent(rest)
    const file = normalize(join(opts.rendererDir, rel))
    if (!file.startsWith(normalize(opts.rendererDir) + sep)) return refuse(res, 404, 'Not found')
    let st
    try {
      st = await stat(file)
    } catch {
      return refuse(res, 404, 'Not found')
    }
    if (!st.isFile()) return refuse(res, 404, 'Not found')
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': String(st.size),
      'content-security-policy': SERVE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': rel === 'index.html' ? 'no-store' : 'private, max-age=3600',
    })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).pipe(res)
  }

  // WebSocket bridge: calls in, results and events out.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 })
  const sockets = new Set<WebSocket>()
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (!hostOk(req) || !originOk(req) || path !== prefix + 'ws') {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data) => void onSocketMessage(ws, data.toString()))
    })
  })

  const send = (ws: WebSocket, msg: BridgeServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg))
  }

  async function onSocketMessage(ws: WebSocket, text: string): Promise<void> {
    let msg: { type?: unknown; id?: unknown; name?: unknown; args?: unknown }
    try {
      msg = JSON.parse(text) as typeof msg
    } catch {
      return
    }
    if (msg.type !== 'call' || typeof msg.id !== 'number') return
    const id = msg.id
    if (!isCallName(msg.name)) {
      send(ws, {
        type: 'result',
        id,
        envelope: { ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown call' } },
      })
      return
    }
    const envelope = await dispatchCall(
      opts.service.handlers,
      msg.name,
      msg.args === undefined ? [] : [msg.args],
    )
    if (!envelope.ok && envelope.error.code === 'INTERNAL')
      opts.log?.(`${msg.name} failed: ${envelope.error.message}`)
    send(ws, { type: 'result', id, envelope })
  }

  const unsubscribe = EVENT_NAMES.filter((e) => e !== 'menu').map((name) =>
    opts.service.on(name, (payload) => {
      const msg = JSON.stringify({ type: 'event', name, payload })
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(msg)
    }),
  )

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address()
  port = typeof addr === 'object' && addr ? addr.port : 0
  const shownHost = host.includes(':') ? `[${host}]` : host

  const offerDownload = (path: string, fileName: string): string => {
    const id = randomBytes(16).toString('base64url')
    downloads.set(id, { path, fileName })
    return `${prefix}download/${id}`
  }
  // Exports made through this server come back as one-time download URLs.
  const detachExports = attachExportTarget(opts.service, { offerDownload })

  return {
    url: `http://${shownHost}:${port}${prefix}`,
    port,
    token,
    offerDownload,
    async close() {
      detachExports()
      unsubscribe.forEach((off) => off())
      for (const ws of sockets) ws.terminate()
      wss.close()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
