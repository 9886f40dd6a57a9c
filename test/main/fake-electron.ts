// A stand-in for the `electron` module, just big enough to boot src/main/index.ts in plain Node
// (test/main/main-boot.test.ts). Records what main asks of Electron; utilityProcess.fork runs the
// built aggregator with child_process.fork and speaks the UtilityProcess API over it.
import { fork, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { join } from 'node:path'

export const AGGREGATOR = join(__dirname, '..', '..', 'out', 'main', 'aggregator.js')

type Handler = (event: unknown, ...args: unknown[]) => unknown

class FakeUtilityProcess extends EventEmitter {
  readonly child: ChildProcess
  stdout: NodeJS.ReadableStream | null
  stderr: NodeJS.ReadableStream | null
  constructor(options: { env?: Record<string, string | undefined> }) {
    super()
    this.child = fork(AGGREGATOR, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: options.env as NodeJS.ProcessEnv,
    })
    this.stdout = this.child.stdout
    this.stderr = this.child.stderr
    this.child.on('spawn', () => this.emit('spawn'))
    this.child.on('message', (m) => this.emit('message', m))
    this.child.on('exit', (code, signal) => this.emit('exit', code ?? (signal ? 1 : 0)))
  }
  get pid(): number | undefined {
    return this.child.pid
  }
  postMessage(m: unknown): void {
    if (this.child.connected) this.child.send(m as never)
  }
  kill(): boolean {
    return this.child.kill('SIGTERM')
  }
}

export const recorded = {
  forks: [] as { entry: string; options: Record<string, unknown> }[],
  utility: [] as FakeUtilityProcess[],
  menus: [] as unknown[],
  messageBoxes: [] as Record<string, unknown>[],
  errorBoxes: [] as [string, string][],
  permissionRequestHandler: null as null | ((...a: unknown[]) => void),
  beforeRequest: null as
    null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
}

const paths = new Map<string, string>()
const appEmitter = new EventEmitter()
export const app = Object.assign(appEmitter, {
  isPackaged: false,
  setPath: (k: string, v: string) => void paths.set(k, v),
  getPath: (k: string) => paths.get(k) ?? join(process.env.LOGLENS_USER_DATA_DIR ?? '.', k),
  enableSandbox: () => {},
  setAppUserModelId: () => {},
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getPreferredSystemLanguages: () => ['en-US'],
  getLocale: () => 'en-US',
  getVersion: () => '0.1.0',
  quit: () => {
    const e = { defaultPrevented: false, preventDefault: () => (e.defaultPrevented = true) }
    appEmitter.emit('before-quit', e)
    if (!e.defaultPrevented) appEmitter.emit('will-quit', { preventDefault: () => {} })
  },
  exitCode: null as number | null,
  exit: (code = 0) => {
    app.exitCode = code
  },
  setAboutPanelOptions: () => {},
  getAppMetrics: () => [],
})

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = []
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((w) => !w.destroyed)
  }
  destroyed = false
  loadedUrl: string | null = null
  readonly sent: [string, unknown][] = []
  readonly webContents: EventEmitter & {
    send(channel: string, payload: unknown): void
    isDestroyed(): boolean
    reload(): void
    windowOpenHandler: unknown
    setWindowOpenHandler(h: unknown): void
  }
  constructor(readonly options: Record<string, unknown>) {
    super()
    const sent = this.sent
    this.webContents = Object.assign(new EventEmitter(), {
      send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
      isDestroyed: () => this.destroyed,
      reload: () => {},
      windowOpenHandler: null as unknown,
      setWindowOpenHandler(h: unknown) {
        this.windowOpenHandler = h
      },
    })
    BrowserWindow.all.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    this.emit('ready-to-show')
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  maximize(): void {}
  setFullScreen(): void {}
  isMinimized(): boolean {
    return false
  }
  isMaximized(): boolean {
    return false
  }
  isFullScreen(): boolean {
    return false
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1280, height: 820 }
  }
  close(): void {
    const e = { defaultPrevented: false, preventDefault: () => (e.defaultPrevented = true) }
    this.emit('close', e)
    if (e.defaultPrevented) return
    this.destroyed = true
    this.emit('closed')
  }
}

export const ipcHandlers = new Map<string, Handler>()
export const ipcMain = {
  handle: (channel: string, h: Handler) => void ipcHandlers.set(channel, h),
  removeHandler: (channel: string) => void ipcHandlers.delete(channel),
}

export const protocolHandlers = new Map<string, (r: Request) => Promise<Response>>()
export const privileged: unknown[] = []
export const protocol = {
  registerSchemesAsPrivileged: (s: unknown[]) => void privileged.push(...s),
  handle: (scheme: string, h: (r: Request) => Promise<Response>) =>
    void protocolHandlers.set(scheme, h),
}

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: (...a: unknown[]) => void) =>
      void (recorded.permissionRequestHandler = h),
    setPermissionCheckHandler: () => {},
    setDevicePermissionHandler: () => {},
    webRequest: {
      onBeforeRequest: (h: typeof recorded.beforeRequest) => void (recorded.beforeRequest = h),
      onHeadersReceived: () => {},
    },
  },
}

export const Menu = {
  setApplicationMenu: (m: unknown) => void recorded.menus.push(m),
  buildFromTemplate: (template: unknown) => ({ template }),
}

export const dialog = {
  showErrorBox: (title: string, content: string) => void recorded.errorBoxes.push([title, content]),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] as string[] }),
  showSaveDialog: async () => ({ canceled: true }),
  showMessageBox: async (...args: unknown[]) => {
    recorded.messageBoxes.push(args.at(-1) as Record<string, unknown>)
    return { response: 1, checkboxChecked: false }
  },
}

export const shell = { openPath: async () => '' }
export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
}
export const nativeTheme = { shouldUseDarkColors: false }

export const utilityProcess = {
  fork: (entry: string, _args: string[], options: Record<string, unknown>) => {
    recorded.forks.push({ entry, options })
    const u = new FakeUtilityProcess(options as { env?: Record<string, string | undefined> })
    recorded.utility.push(u)
    return u
  },
}
