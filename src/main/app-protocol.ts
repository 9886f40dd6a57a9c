// The app:// protocol: serves the built renderer (out/renderer) with the CSP as a response
// header. Only files inside the renderer folder are ever served; anything else is a 404.
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path'
import { APP_HOST, withSecurityHeaders } from './security'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file an app:// URL names inside `root`, or null when the URL is not ours or escapes the
 * folder (`..`, encoded separators, absolute paths).
 */
export function resolveAppFile(root: string, url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.host !== APP_HOST) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(u.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  if (pathname === '/' || pathname === '') pathname = '/index.html'
  const rel = normalize(pathname.replace(/^\/+/, ''))
  if (rel.startsWith('..') || isAbsolute(rel)) return null
  const file = join(root, rel)
  const back = relative(root, file)
  if (back === '' || back.startsWith('..') || isAbsolute(back) || back.split(sep).includes('..'))
    return null
  return file
}

export type FileReader = (path: string) => Promise<Uint8Array>

/** A protocol.handle() handler for the app scheme. */
export function createAppProtocolHandler(
  root: string,
  csp: string,
  read: FileReader = readFile,
): (request: Request) => Promise<Response> {
  const headers = (type: string): Headers => {
    const h = new Headers()
    for (const [k, v] of Object.entries(withSecurityHeaders({}, csp))) h.set(k, v.join(', '))
    h.set('Content-Type', type)
    h.set('Cache-Control', 'no-cache')
    return h
  }
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('Method not allowed', { status: 405, headers: headers('text/plain') })
    const file = resolveAppFile(root, request.url)
    if (!file) return new Response('Not found', { status: 404, headers: headers('text/plain') })
    try {
      const body = await read(file)
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: headers(mimeType(file)),
      })
    } catch {
      return new Response('Not found', { status: 404, headers: headers('text/plain') })
    }
  }
}
