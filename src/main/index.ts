// Electron main: app lifecycle, the window, menus, dialogs and IPC wiring around the
// AnalysisService (src/service, no Electron inside). Main does no heavy work itself: the
// aggregator utility process reads and parses, the service answers with indexed, paged queries.
import { randomUUID } from 'node:crypto'
import { access, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  protocol,
  session,
  shell,
  utilityProcess,
  type WebContents,
} from 'electron'
import { AnalysisService, errorInfoOf } from '../service'
import { captureFullPage, type ReportPrinter } from '../engine/report/printer'
import type { EventName, EventPayloads, MenuCommand, MenuEvent } from '../shared/contract'
import type { FileSelection } from '../shared/types'
import { createUtilityLauncher } from './aggregator-launcher'
import { createAppProtocolHandler } from './app-protocol'
import { openAppLog, type AppLogLevel } from './app-log'
import { pathsFromArgv } from './argv'
import {
  chooseFiles,
  chooseFolders,
  chooseSavePath,
  confirmQuit,
  showNativeMissing,
  showSkipped,
} from './dialogs'
import { desktopHandlers } from './handlers'
import { forwardEvents, registerIpcHandlers, sendEvent } from './ipc'
import { buildMenuTemplate } from './menu'
import { createPathInbox, openUserPaths, startFromSelection } from './open-paths'
import { appPaths, pickSampleFile } from './paths'
import { createQuitGuard } from './quit-guard'
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  applySessionSecurity,
  contentSecurityPolicy,
  hardenWebContents,
  isTrustedSender,
  type SecurityContext,
} from './security'
import { mainStrings, pickLocale } from './strings'
import { createMainWindow } from './window'
import { windowStateFile } from './window-state'

// --- Before `ready` -------------------------------------------------------------------------

// Tests (and careful users) may keep everything in a folder of their own; the single-instance
// lock is per user-data folder, so such instances do not collide.
if (process.env.LOGLENS_USER_DATA_DIR)
  app.setPath('userData', resolve(process.env.LOGLENS_USER_DATA_DIR))

app.enableSandbox()
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])
if (process.platform === 'win32') app.setAppUserModelId('app.loglens.desktop')

const isDev = !app.isPackaged
const ctx: SecurityContext = {
  devServerUrl: isDev ? process.env.ELECTRON_RENDERER_URL : undefined,
}
const paths = appPaths({
  mainDir: __dirname,
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  env: process.env,
})
const logDir = join(app.getPath('userData'), 'logs')
const appLog = openAppLog(logDir, { echo: isDev })
const log = (level: AppLogLevel, message: string, source = 'main'): void =>
  appLog.write(level, source, message)

const argvOptions = (cwd: string) => ({ cwd, defaultApp: Boolean(process.defaultApp), resolve })
const inbox = createPathInbox()
inbox.push(pathsFromArgv(process.argv, argvOptions(process.cwd())))

app.on('web-contents-created', (_e, contents) =>
  hardenWebContents(contents, ctx, (m) => log('warn', m, 'security')),
)
process.on('uncaughtException', (e) => log('error', `uncaught: ${e.stack ?? e.message}`))
process.on('unhandledRejection', (e) => log('error', `unhandled rejection: ${String(e)}`))

if (!app.requestSingleInstanceLock()) {
  // Another LogLens owns this user-data folder: it got our argv via 'second-instance'.
  app.quit()
} else {
  app.on('second-instance', (_e, argv, workingDirectory) => {
    focusWindow()
    inbox.push(pathsFromArgv(argv, argvOptions(workingDirectory)))
  })
  // macOS: files dropped on the Dock icon or opened with "Open with" (may come before ready).
  app.on('open-file', (e, path) => {
    e.preventDefault()
    inbox.push([path])
  })
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      // Without its database LogLens cannot do anything: say why, in words, and leave.
      log('error', `startup failed: ${(e as Error)?.stack ?? String(e)}`)
      dialog.showErrorBox('LogLens', startupFailure(e))
      app.exit(1)
    })
}

// --- After `ready` --------------------------------------------------------------------------

let mainWindow: BrowserWindow | null = null

function startupFailure(e: unknown): string {
  const s = mainStrings(pickLocale(app.getPreferredSystemLanguages()))
  const info = errorInfoOf(e)
  // What a missing (or Node-only) build of better-sqlite3 looks like under Electron.
  if (
    /NODE_MODULE_VERSION|different Node\.js version|bindings file|better_sqlite3\.node/.test(
      info.message,
    )
  )
    return s.nativeMissing
  return `${s.startupFailed}\n\n${info.message}`
}

function focusWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

function liveContents(): WebContents[] {
  return BrowserWindow.getAllWindows()
    .filter((w) => !w.isDestroyed())
    .map((w) => w.webContents)
}

function send<E extends EventName>(name: E, payload: EventPayloads[E]): void {
  sendEvent(liveContents(), name, payload)
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

async function findSample(): Promise<string> {
  const names = await readdir(paths.sampleDir).catch(() => [] as string[])
  return join(paths.sampleDir, pickSampleFile(names) ?? 'access.log')
}

/**
 * PDF and PNG exports: the report laid out in a hidden window with JavaScript off, in a session
 * of its own that may load nothing but the report file itself (the same CDP capture as the CLI).
 */
function createReportPrinter(tempDir: string): ReportPrinter {
  const partition = 'loglens-export'
  const allowed = new Set<string>()
  const ses = session.fromPartition(partition)
  ses.setPermissionRequestHandler((_wc, _p, callback) => callback(false))
  ses.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !allowed.has(details.url) }),
  )
  const open = async (html: string, width: number) => {
    await mkdir(tempDir, { recursive: true })
    const file = join(tempDir, `${randomUUID()}.html`)
    await writeFile(file, html)
    const url = pathToFileURL(file).href
    allowed.add(url)
    const win = new BrowserWindow({
      show: false,
      width,
      height: 800,
      webPreferences: {
        partition,
        javascript: false,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        spellcheck: false,
      },
    })
    const dispose = async (): Promise<void> => {
      allowed.delete(url)
      if (!win.isDestroyed()) win.destroy()
      await rm(file, { force: true })
    }
    try {
      await win.loadURL(url)
    } catch (e) {
      await dispose()
      throw e
    }
    return { win, dispose }
  }
  return {
    async pdf(html) {
      const { win, dispose } = await open(html, 900)
      try {
        return await win.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true })
      } finally {
        await dispose()
      }
    },
    async png(html, width) {
      const { win, dispose } = await open(html, width)
      const dbg = win.webContents.debugger
      try {
        dbg.attach('1.3')
        return await captureFullPage({ send: (m, p) => dbg.sendCommand(m, p) }, width)
      } finally {
        if (dbg.isAttached()) dbg.detach()
        await dispose()
      }
    },
    close: async () => undefined,
  }
}

async function start(): Promise<void> {
  log('info', `LogLens ${app.getVersion()} starting (Electron ${process.versions.electron})`)
  const locale = pickLocale([...app.getPreferredSystemLanguages(), app.getLocale()])
  const s = mainStrings(locale)
  applySessionSecurity(session.defaultSession, ctx, (m) => log('warn', m, 'security'))
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler(paths.rendererDir, contentSecurityPolicy(ctx)),
  )

  const nativeFound = await exists(paths.nativeBinding)
  if (!nativeFound) log('warn', `better-sqlite3 for Electron not found at ${paths.nativeBinding}`)
  const nativeBinding = nativeFound ? paths.nativeBinding : undefined
  const userData = app.getPath('userData')

  let reportPrinter: ReportPrinter | null = null
  const service = new AnalysisService({
    dbPath: join(userData, 'loglens.db'),
    aggregatorEntry: paths.aggregatorEntry,
    launcher: createUtilityLauncher({
      fork: (entry, args, options) => utilityProcess.fork(entry, args, options),
      env: nativeBinding ? { LOGLENS_SQLITE_BINDING: nativeBinding } : {},
      log: (level, m) => log(level, m, 'aggregator'),
    }),
    samplePath: await findSample(),
    workDir: join(userData, 'work'),
    front: 'electron',
    version: app.getVersion(),
    nativeBinding,
    osLocale: locale,
    log: (level, m) => log(level, m, 'service'),
    exportTarget: {
      chooseSavePath: (name, kind) =>
        chooseSavePath(mainWindow, join(app.getPath('downloads'), name), kind),
      createPrinter: async () =>
        (reportPrinter ??= createReportPrinter(join(userData, 'work', 'print'))),
    },
  })

  // Indexes that `loglens analyze` (or an interrupted aggregator) left out, built in the background.
  service.indexWhenIdle(3000)

  const reportSkipped = (selection: FileSelection): void =>
    void showSkipped(mainWindow, s, selection).catch(() => {})
  const openDeps = {
    registerPaths: (p: string[]) => service.registerPaths(p, 'path'),
    startAnalysis: async (args: { fileIds: string[] }) => service.handlers.startAnalysis(args),
    reportSkipped,
  }
  const sendMenu = (event: MenuEvent): void => {
    void ensureWindow().then(() => send('menu', event))
  }
  // An analysis main started (or one picked from Open Recent) is shown in the window.
  const showAnalysis = (analysisId: number | null): void => {
    if (analysisId !== null) sendMenu({ command: 'openAnalysis', analysisId })
  }
  const openPaths = (p: string[]): void => {
    focusWindow()
    openUserPaths(p, openDeps)
      .then((r) => showAnalysis(r.analysisId))
      .catch((e: unknown) => log('error', `open failed: ${String(e)}`))
  }

  const handlers = desktopHandlers(service.handlers, {
    chooseFiles: () => chooseFiles(mainWindow, s),
    registerPaths: (p) => service.registerPaths(p, 'path'),
  })
  registerIpcHandlers(ipcMain, handlers, {
    isTrustedSender: (frame) => isTrustedSender(frame, ctx),
    log: (level, m) => log(level, m, 'ipc'),
  })
  forwardEvents((event, listener) => service.on(event, listener), liveContents)

  // Menu, with Open Recent kept current.
  const menuCommand = (command: Exclude<MenuCommand, 'openAnalysis'>): void => sendMenu({ command })
  let recent: { id: number; name: string }[] = []
  const buildMenu = (): void =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          platform: process.platform,
          isDev,
          locale,
          recent,
          actions: {
            open: () => menuCommand('open'),
            openFolder: () => void chooseFolders(mainWindow, s).then((p) => p && openPaths(p)),
            openRecent: (analysisId) => showAnalysis(analysisId),
            showAllAnalyses: () => menuCommand('home'),
            openSample: () =>
              void Promise.resolve(service.handlers.openSample(undefined))
                .then((sel) => startFromSelection(sel, openDeps))
                .then((r) => showAnalysis(r.analysisId))
                .catch((e: unknown) => log('error', `sample failed: ${String(e)}`)),
            exportReport: () => menuCommand('export'),
            toggleLanguage: () => menuCommand('toggleLanguage'),
            about: () => menuCommand('about'),
            showLogs: () => void shell.openPath(logDir),
          },
        }),
      ),
    )
  let menuTimer: ReturnType<typeof setTimeout> | null = null
  const refreshRecent = (): void => {
    if (menuTimer) clearTimeout(menuTimer)
    menuTimer = setTimeout(() => {
      Promise.resolve(service.handlers.listAnalyses(undefined))
        .then((list) => {
          recent = list.map((a) => ({ id: a.id, name: a.name }))
          buildMenu()
        })
        .catch((e: unknown) => log('warn', `recent list: ${String(e)}`))
    }, 200)
  }
  buildMenu()
  refreshRecent()
  service.on('analysesChanged', refreshRecent)
  app.setAboutPanelOptions({
    applicationName: 'LogLens',
    applicationVersion: app.getVersion(),
    credits: s.aboutCredit,
    copyright: '程序员晚枫出品',
  })

  // Quitting while an analysis runs asks first.
  const guard = createQuitGuard({
    hasActiveJob: () => service.hasActiveJob(),
    confirm: () => confirmQuit(mainWindow, s),
    cancelAll: () => service.cancelAll(),
  })
  app.on('before-quit', (e) => {
    if (guard.intercept(() => app.quit())) e.preventDefault()
  })
  let closing = false
  app.on('will-quit', (e) => {
    if (closing) return
    closing = true
    e.preventDefault()
    const timeout = new Promise((r) => setTimeout(r, 3000))
    void Promise.race([service.close(), timeout])
      .catch((err: unknown) => log('error', `service close: ${String(err)}`))
      .then(() => log('info', 'bye'))
      .then(() => appLog.close())
      .finally(() => app.exit(0))
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('child-process-gone', (_e, d) => {
    if (d.type === 'Utility')
      log(
        'warn',
        `${d.serviceName ?? d.name ?? 'utility'} gone: ${d.reason} (exit code ${d.exitCode})`,
      )
  })

  const windowState = windowStateFile(join(userData, 'window-state.json'))
  let creating: Promise<BrowserWindow> | null = null
  async function ensureWindow(): Promise<BrowserWindow> {
    if (mainWindow && !mainWindow.isDestroyed()) return mainWindow
    creating ??= createMainWindow({
      preload: paths.preload,
      icon: paths.icon,
      isDev,
      ctx,
      state: windowState,
      log: (level, m) => log(level, m, 'window'),
    }).then((win) => {
      mainWindow = win
      win.on('close', (e) => {
        // The last window closing quits on Windows/Linux: ask first if an analysis runs.
        if (process.platform !== 'darwin' && guard.intercept(() => win.close())) e.preventDefault()
      })
      win.on('closed', () => {
        if (mainWindow === win) mainWindow = null
      })
      return win
    })
    try {
      return await creating
    } finally {
      creating = null
    }
  }
  app.on('activate', () => void ensureWindow())

  await ensureWindow()
  if (!nativeFound) void showNativeMissing(mainWindow, s).catch(() => {})
  // Files from the command line, a second launch or the Dock, now that someone can see them.
  inbox.ready(openPaths)
}
