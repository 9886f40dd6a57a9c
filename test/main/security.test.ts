import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  applySessionSecurity,
  contentSecurityPolicy,
  hardenWebContents,
  isAllowedRequest,
  isAppUrl,
  isTrustedSender,
  secureWebPreferences,
  withSecurityHeaders,
} from '../../src/main/security'

const dev = { devServerUrl: 'http://localhost:5173/' }

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((d) => {
      const [k, ...v] = d.trim().split(/\s+/)
      return [k!, v.join(' ')]
    }),
  )
}

describe('content security policy', () => {
  it('is strict in production', () => {
    const d = directives(contentSecurityPolicy())
    expect(d.get('default-src')).toBe("'none'")
    expect(d.get('script-src')).toBe("'self'")
    expect(d.get('connect-src')).toBe("'self'")
    expect(d.get('object-src')).toBe("'none'")
    expect(d.get('frame-ancestors')).toBe("'none'")
    expect(d.get('base-uri')).toBe("'none'")
    expect(d.get('form-action')).toBe("'none'")
    const csp = contentSecurityPolicy()
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toMatch(/https?:|ws:|\*/)
    expect(d.get('script-src')).not.toContain('unsafe-inline')
  })

  it('lets the dev server in only during development', () => {
    const d = directives(contentSecurityPolicy(dev))
    expect(d.get('script-src')).toContain('http://localhost:5173')
    expect(d.get('connect-src')).toContain('ws://localhost:5173')
    expect(d.get('default-src')).toBe("'none'")
  })
})

describe('web preferences', () => {
  it('isolates and sandboxes the renderer', () => {
    const p = secureWebPreferences('/app/out/preload/index.js', { devTools: false })
    expect(p).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    })
  })
})

describe('url policy', () => {
  it('recognises our pages', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true)
    expect(isAppUrl('app://loglens/assets/x.js')).toBe(true)
    expect(isAppUrl('app://evil/index.html')).toBe(false)
    expect(isAppUrl('https://example.com/')).toBe(false)
    expect(isAppUrl('file:///etc/passwd')).toBe(false)
    expect(isAppUrl('not a url')).toBe(false)
    expect(isAppUrl('http://localhost:5173/index.html')).toBe(false)
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
  })

  it('lets no request leave for the network', () => {
    expect(isAllowedRequest('app://loglens/index.html')).toBe(true)
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true)
    expect(isAllowedRequest('blob:app://loglens/1234')).toBe(true)
    expect(isAllowedRequest('devtools://devtools/bundled/x.html')).toBe(true)
    expect(isAllowedRequest('https://example.com/track.gif')).toBe(false)
    expect(isAllowedRequest('http://127.0.0.1:8080/')).toBe(false)
    expect(isAllowedRequest('ws://localhost:5173/')).toBe(false)
    expect(isAllowedRequest('file:///etc/passwd')).toBe(false)
    expect(isAllowedRequest('app://other/index.html')).toBe(false)
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true)
    expect(isAllowedRequest('http://localhost:5173/@vite/client', dev)).toBe(true)
    expect(isAllowedRequest('https://localhost:5173/', dev)).toBe(false)
  })

  it('trusts only the top frame of our page', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true)
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false)
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} as never })).toBe(false)
    expect(isTrustedSender(null)).toBe(false)
    expect(isTrustedSender(undefined)).toBe(false)
  })
})

describe('security headers', () => {
  it('replaces any CSP the response had', () => {
    const h = withSecurityHeaders(
      { 'content-security-policy': ['default-src *'], 'X-Other': 'a' },
      "default-src 'none'",
    )
    expect(h['Content-Security-Policy']).toEqual(["default-src 'none'"])
    expect(h['content-security-policy']).toBeUndefined()
    expect(h['X-Other']).toEqual(['a'])
    expect(h['X-Content-Type-Options']).toEqual(['nosniff'])
  })
})

describe('session hardening', () => {
  function fakeSession() {
    const s = {
      permissionRequest: undefined as undefined | ((...a: unknown[]) => void),
      permissionCheck: undefined as undefined | ((...a: unknown[]) => boolean),
      device: undefined as undefined | ((...a: unknown[]) => boolean),
      beforeRequest: undefined as
        undefined | ((d: { url: string }, cb: (r: unknown) => void) => void),
      headers: undefined as
        | undefined
        | ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void),
      setPermissionRequestHandler(f: never) {
        s.permissionRequest = f
      },
      setPermissionCheckHandler(f: never) {
        s.permissionCheck = f
      },
      setDevicePermissionHandler(f: never) {
        s.device = f
      },
      webRequest: {
        onBeforeRequest(f: never) {
          s.beforeRequest = f
        },
        onHeadersReceived(f: never) {
          s.headers = f
        },
      },
    }
    return s
  }

  it('denies permissions and remote requests and adds the CSP', () => {
    const s = fakeSession()
    const logs: string[] = []
    applySessionSecurity(s as unknown as Parameters<typeof applySessionSecurity>[0], {}, (m) =>
      logs.push(m),
    )
    let granted: boolean | undefined
    s.permissionRequest!({}, 'media', (g: boolean) => (granted = g), {})
    expect(granted).toBe(false)
    expect(s.permissionCheck!({}, 'notifications', 'app://loglens', {})).toBe(false)
    expect(s.device!({})).toBe(false)

    let result: unknown
    s.beforeRequest!({ url: 'https://example.com/x.js' }, (r) => (result = r))
    expect(result).toEqual({ cancel: true })
    s.beforeRequest!({ url: 'app://loglens/index.html' }, (r) => (result = r))
    expect(result).toEqual({ cancel: false })

    s.headers!({ responseHeaders: {} }, (r) => (result = r))
    expect(
      (result as { responseHeaders: Record<string, string[]> }).responseHeaders[
        'Content-Security-Policy'
      ],
    ).toEqual([contentSecurityPolicy()])
    expect(logs.some((l) => l.includes('permission'))).toBe(true)
    expect(logs.some((l) => l.includes('blocked'))).toBe(true)
  })
})

describe('web contents hardening', () => {
  function fakeContents() {
    const em = new EventEmitter() as EventEmitter & {
      openHandler?: (d: { url: string }) => { action: string }
      setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void
    }
    em.setWindowOpenHandler = (h) => {
      em.openHandler = h
    }
    return em
  }
  const event = () => {
    const e = { prevented: false, preventDefault: () => (e.prevented = true) }
    return e
  }

  it('denies window.open, foreign navigation, redirects and webviews', () => {
    const c = fakeContents()
    hardenWebContents(c as unknown as Parameters<typeof hardenWebContents>[0], {})
    expect(c.openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' })
    expect(c.openHandler!({ url: APP_ENTRY_URL })).toEqual({ action: 'deny' })

    const nav = event()
    c.emit('will-navigate', nav, 'https://example.com/')
    expect(nav.prevented).toBe(true)
    const file = event()
    c.emit('will-navigate', file, 'file:///home/u/access.log')
    expect(file.prevented).toBe(true)
    const ours = event()
    c.emit('will-navigate', ours, APP_ENTRY_URL)
    expect(ours.prevented).toBe(false)

    const frame = Object.assign(event(), { url: 'https://example.com/' })
    c.emit('will-frame-navigate', frame)
    expect(frame.prevented).toBe(true)

    const redirect = event()
    c.emit('will-redirect', redirect, 'https://example.com/')
    expect(redirect.prevented).toBe(true)

    const wv = event()
    c.emit('will-attach-webview', wv)
    expect(wv.prevented).toBe(true)
  })
})
