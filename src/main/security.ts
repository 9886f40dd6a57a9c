// Every Electron security decision of the app, in one place: web preferences, the content
// security policy, which URLs the renderer may load or navigate to, which requests leave the
// session, permissions, and who may call our IPC handlers. Electron objects are imported as types
// only, so the policy is unit-tested in plain Node (test/main/security.test.ts).
import type {
  Session,
  WebContents,
  WebFrameMain,
  WebPreferences,
  OnHeadersReceivedListenerDetails,
} from 'electron'

/** The renderer is served from app://loglens/ (src/main/app-protocol.ts), never from file://. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'loglens'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/** Privileges for the app scheme (registered before `ready`). No bypassCSP, no service workers. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
  codeCache: true,
} as const

export interface SecurityContext {
  /** electron-vite's dev server (ELECTRON_RENDERER_URL) when running `electron-vite dev`. */
  devServerUrl?: string | undefined
}

function originOf(url: string | undefined): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    // Custom schemes have an opaque origin ('null') in WHATWG URL: build it ourselves.
    return `${u.protocol}//${u.host}`
  } catch {
    return null
  }
}

/**
 * The content security policy of the renderer. Production: only the app's own scripts, no
 * eval, no remote anything. Styles allow 'unsafe-inline' because charts set style attributes;
 * scripts never do. In development Vite's React refresh needs one inline script and a websocket.
 */
export function contentSecurityPolicy(ctx: SecurityContext = {}): string {
  const dev = originOf(ctx.devServerUrl)
  const self = dev ? `'self' ${dev}` : `'self'`
  const directives: [string, string][] = [
    ['default-src', "'none'"],
    ['script-src', dev ? `${self} 'unsafe-inline'` : self],
    ['style-src', `${self} 'unsafe-inline'`],
    ['img-src', `${self} data: blob:`],
    ['font-src', `${self} data:`],
    ['connect-src', dev ? `${self} ${dev.replace(/^http/, 'ws')}` : self],
    ['worker-src', `${self} blob:`],
    ['media-src', "'none'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['child-src', "'none'"],
    ['manifest-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ]
  return directives.map(([k, v]) => `${k} ${v}`).join('; ')
}

/** The only web preferences a LogLens window is ever created with. */
export function secureWebPreferences(
  preloadPath: string,
  opts: { devTools: boolean },
): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: opts.devTools,
  }
}

/** Is this URL one of ours (the app scheme, or the dev server while developing)? */
export function isAppUrl(url: string, ctx: SecurityContext = {}): boolean {
  const origin = originOf(url)
  if (!origin) return false
  if (origin === APP_ORIGIN) return true
  const dev = originOf(ctx.devServerUrl)
  return dev !== null && origin === dev
}

/**
 * May a request leave the renderer's session? Only the app's own files, inline data, and
 * DevTools. Anything remote (http, https, ws, file) is cancelled: LogLens never loads remote
 * content, and local files reach the engine only through paths the user chose.
 */
export function isAllowedRequest(url: string, ctx: SecurityContext = {}): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  switch (u.protocol) {
    case `${APP_SCHEME}:`:
      return u.host === APP_HOST
    case 'data:':
    case 'blob:':
    case 'devtools:':
      return true
    case 'http:':
    case 'https:':
    case 'ws:': {
      const dev = originOf(ctx.devServerUrl)
      if (!dev) return false
      return `${u.protocol === 'ws:' ? 'http:' : u.protocol}//${u.host}` === dev
    }
    default:
      return false
  }
}

/** IPC is answered only for the top frame of a page we loaded ourselves. */
export function isTrustedSender(
  frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined,
  ctx: SecurityContext = {},
): boolean {
  if (!frame) return false
  if (frame.parent !== null) return false
  return isAppUrl(frame.url, ctx)
}

/** Response headers with our CSP (replacing any other) and a few hardening headers. */
export function withSecurityHeaders(
  headers: Record<string, string[] | string> | undefined,
  csp: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [k, v] of Object.entries(headers ?? {})) {
    const lower = k.toLowerCase()
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only')
      continue
    out[k] = Array.isArray(v) ? v : [v]
  }
  out['Content-Security-Policy'] = [csp]
  out['X-Content-Type-Options'] = ['nosniff']
  return out
}

export type SecurityLog = (message: string) => void

/**
 * Deny every permission, every remote request, and put the CSP on every response of the session.
 * (The app protocol sets the same header itself; this covers the dev server.)
 */
export function applySessionSecurity(
  session: Session,
  ctx: SecurityContext,
  log: SecurityLog = () => {},
): void {
  const csp = contentSecurityPolicy(ctx)
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`permission request denied: ${permission}`)
    callback(false)
  })
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, ctx)
    if (!allowed) log(`request blocked: ${details.url.slice(0, 200)}`)
    callback({ cancel: !allowed })
  })
  session.webRequest.onHeadersReceived((details: OnHeadersReceivedListenerDetails, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders, csp) })
  })
}

/** No pop-ups, no navigation away from the app, no redirects elsewhere, no <webview>. */
export function hardenWebContents(
  contents: WebContents,
  ctx: SecurityContext,
  log: SecurityLog = () => {},
): void {
  contents.setWindowOpenHandler(({ url }) => {
    log(`window.open denied: ${url.slice(0, 200)}`)
    return { action: 'deny' }
  })
  const guard =
    (what: string) =>
    (event: { preventDefault(): void; url?: string }, url?: string): void => {
      const target = url ?? event.url ?? ''
      if (isAppUrl(target, ctx)) return
      event.preventDefault()
      log(`${what} denied: ${target.slice(0, 200)}`)
    }
  contents.on('will-navigate', guard('navigation'))
  contents.on('will-frame-navigate', guard('frame navigation'))
  contents.on('will-redirect', guard('redirect'))
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log('webview denied')
  })
}
