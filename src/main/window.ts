// The one LogLens window: secure web preferences, the renderer from app:// (or the dev server),
// size and position remembered, shown once painted.
import { BrowserWindow, nativeTheme, screen } from 'electron'
import { APP_ENTRY_URL, secureWebPreferences, type SecurityContext } from './security'
import { MIN_SIZE, placeWindow, trackWindowState, type WindowStateStore } from './window-state'

export interface MainWindowOptions {
  preload: string
  icon: string
  isDev: boolean
  ctx: SecurityContext
  state: WindowStateStore
  log: (level: 'info' | 'warn' | 'error', message: string) => void
}

export async function createMainWindow(o: MainWindowOptions): Promise<BrowserWindow> {
  const saved = await o.state.load()
  const place = placeWindow(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
  )
  const win = new BrowserWindow({
    width: place.width,
    height: place.height,
    ...(place.x !== undefined && place.y !== undefined ? { x: place.x, y: place.y } : {}),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'LogLens',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    ...(process.platform === 'linux' ? { icon: o.icon } : {}),
    webPreferences: secureWebPreferences(o.preload, { devTools: o.isDev }),
  })
  if (place.maximized) win.maximize()
  if (place.fullScreen) win.setFullScreen(true)
  trackWindowState(win, o.state)

  win.once('ready-to-show', () => win.show())
  win.webContents.on('render-process-gone', (_e, details) => {
    o.log('error', `renderer gone: ${details.reason} (exit code ${details.exitCode})`)
    // A crashed page is reloaded; the service and any running analysis are unaffected.
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) win.webContents.reload()
  })
  win.webContents.on('unresponsive', () => o.log('warn', 'renderer unresponsive'))

  try {
    await win.loadURL(o.ctx.devServerUrl ?? APP_ENTRY_URL)
  } catch (e) {
    o.log('error', `renderer failed to load: ${(e as Error).message}`)
    if (!win.isDestroyed()) win.show()
  }
  return win
}
