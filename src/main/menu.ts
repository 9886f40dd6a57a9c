// The application menu, as a pure template (Menu.buildFromTemplate happens in index.ts), so its
// shape is unit-tested: File (Open, Open Folder, Open Recent, sample, Export, Quit), Edit, View
// (reload only in development, zoom, full screen, language), Help (About with the credit).
import type { MenuItemConstructorOptions } from 'electron'

export type { MenuItemConstructorOptions }
import type { Locale } from '../shared/contract'
import { mainStrings } from './strings'

export interface MenuActions {
  open(): void
  openFolder(): void
  openRecent(analysisId: number): void
  showAllAnalyses(): void
  openSample(): void
  exportReport(): void
  toggleLanguage(): void
  about(): void
  showLogs(): void
}

export interface MenuOptions {
  platform: NodeJS.Platform
  isDev: boolean
  locale: Locale
  /** Newest first; the menu shows at most RECENT_LIMIT. */
  recent: { id: number; name: string }[]
  /** Export needs an analysis on screen; the renderer decides, main just offers it. */
  actions: MenuActions
}

export const RECENT_LIMIT = 10

/** Menu labels treat `&` as a mnemonic marker on Windows/Linux; keep names literal. */
function literal(label: string): string {
  const oneLine = label.replace(/\s+/g, ' ').trim()
  const short = oneLine.length > 60 ? oneLine.slice(0, 59) + '…' : oneLine
  return short.replace(/&/g, '&&')
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const s = mainStrings(o.locale)
  const mac = o.platform === 'darwin'
  const a = o.actions

  const recent: MenuItemConstructorOptions[] =
    o.recent.length === 0
      ? [{ label: s.noRecent, enabled: false }]
      : o.recent.slice(0, RECENT_LIMIT).map((r) => ({
          label: literal(r.name),
          click: () => a.openRecent(r.id),
        }))
  recent.push({ type: 'separator' }, { label: s.showAllAnalyses, click: () => a.showAllAnalyses() })

  const file: MenuItemConstructorOptions = {
    label: s.file,
    submenu: [
      { label: s.open, accelerator: 'CmdOrCtrl+O', click: () => a.open() },
      { label: s.openFolder, accelerator: 'CmdOrCtrl+Shift+O', click: () => a.openFolder() },
      { label: s.openRecent, submenu: recent },
      { label: s.trySample, click: () => a.openSample() },
      { type: 'separator' },
      { label: s.export, accelerator: 'CmdOrCtrl+E', click: () => a.exportReport() },
      ...(mac
        ? []
        : ([
            { type: 'separator' },
            { label: s.quit, role: 'quit' },
          ] as MenuItemConstructorOptions[])),
    ],
  }

  const edit: MenuItemConstructorOptions = {
    label: s.edit,
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  }

  const view: MenuItemConstructorOptions = {
    label: s.view,
    submenu: [
      ...(o.isDev
        ? ([
            { role: 'reload' },
            { role: 'forceReload' },
            { role: 'toggleDevTools' },
            { type: 'separator' },
          ] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      { type: 'separator' },
      { label: s.language, accelerator: 'CmdOrCtrl+Shift+L', click: () => a.toggleLanguage() },
    ],
  }

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: s.help,
    submenu: [
      ...(mac ? [] : [{ label: s.about, click: () => a.about() }]),
      { label: s.showLogs, click: () => a.showLogs() },
    ],
  }

  const template: MenuItemConstructorOptions[] = []
  if (mac)
    template.push({
      label: 'LogLens',
      submenu: [
        { label: s.about, click: () => a.about() },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit', label: s.quit },
      ],
    })
  template.push(file, edit, view)
  if (mac) template.push({ role: 'windowMenu' })
  template.push(help)
  return template
}
