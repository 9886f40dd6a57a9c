import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppProtocolHandler, mimeType, resolveAppFile } from '../../src/main/app-protocol'

const root = join(tmpdir(), 'renderer-root')

describe('resolveAppFile', () => {
  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppFile(root, 'app://loglens/')).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, 'app://loglens/index.html')).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, 'app://loglens/assets/index-1.js?x=1#h')).toBe(
      join(root, 'assets', 'index-1.js'),
    )
    expect(resolveAppFile(root, 'app://loglens/assets/a%20b.css')).toBe(
      join(root, 'assets', 'a b.css'),
    )
  })

  it('refuses anything outside it', () => {
    // The URL parser already folds dot segments, so these stay inside the root.
    expect(resolveAppFile(root, 'app://loglens/../secret')).toBe(join(root, 'secret'))
    expect(resolveAppFile(root, 'app://loglens/%2e%2e/%2e%2e/etc/passwd')).toBe(
      join(root, 'etc', 'passwd'),
    )
    // Encoded separators survive the parser and are caught here.
    expect(resolveAppFile(root, 'app://loglens/assets/..%2f..%2fx')).toBeNull()
    expect(resolveAppFile(root, 'app://loglens/%5c..%5cx')).toBeNull()
    expect(resolveAppFile(root, 'app://loglens/a%00b')).toBeNull()
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull()
    expect(resolveAppFile(root, 'app://loglens/%E0%A4%A')).toBeNull()
    expect(resolveAppFile(root, 'nonsense')).toBeNull()
  })

  it('knows the types it serves', () => {
    expect(mimeType('a/index.html')).toMatch(/^text\/html/)
    expect(mimeType('a/x.JS')).toMatch(/^text\/javascript/)
    expect(mimeType('a/x.css')).toMatch(/^text\/css/)
    expect(mimeType('a/x.bin')).toBe('application/octet-stream')
  })
})

describe('app protocol handler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loglens-proto-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>')
  writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)')
  const handler = createAppProtocolHandler(dir, "default-src 'none'")

  it('serves files with the CSP header', async () => {
    const r = await handler(new Request('app://loglens/index.html'))
    expect(r.status).toBe(200)
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'")
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(r.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await r.text()).toContain('<title>x</title>')
    const js = await handler(new Request('app://loglens/assets/a.js'))
    expect(js.headers.get('content-type')).toMatch(/javascript/)
  })

  it('answers 404 for missing or escaping paths and 405 for writes', async () => {
    expect((await handler(new Request('app://loglens/nope.js'))).status).toBe(404)
    expect((await handler(new Request('app://loglens/%2e%2e/x'))).status).toBe(404)
    expect(
      (await handler(new Request('app://loglens/x', { method: 'POST', body: 'a' }))).status,
    ).toBe(405)
  })
})
