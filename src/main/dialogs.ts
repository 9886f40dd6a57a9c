// Native dialogs: Open files, Open folder, "quit during an analysis?", skipped files, and the
// missing native module. Each is async (never dialog.*Sync on the main thread).
import {
  dialog,
  type BrowserWindow,
  type MessageBoxOptions,
  type OpenDialogOptions,
} from 'electron'
import type { FileSelection } from '../shared/types'
import { skippedLines, type MainStrings } from './strings'

async function openDialog(
  win: BrowserWindow | null,
  options: OpenDialogOptions,
): Promise<string[] | null> {
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths
}

async function messageBox(win: BrowserWindow | null, options: MessageBoxOptions): Promise<number> {
  const r = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)
  return r.response
}

/** File → Open…: several files (rotated sets). On macOS the same dialog also accepts folders. */
export function chooseFiles(win: BrowserWindow | null, s: MainStrings): Promise<string[] | null> {
  return openDialog(win, {
    title: s.openTitle,
    properties: [
      'openFile',
      'multiSelections',
      ...(process.platform === 'darwin' ? (['openDirectory'] as const) : []),
    ],
    // Rotated logs (access.log.1, access.log-20240101) have no .log extension: all files first.
    filters: [
      { name: s.allFiles, extensions: ['*'] },
      { name: s.logFiles, extensions: ['log', 'gz', 'txt'] },
    ],
  })
}

/** File → Open Folder…: the service expands folders to the log files inside. */
export function chooseFolders(win: BrowserWindow | null, s: MainStrings): Promise<string[] | null> {
  return openDialog(win, {
    title: s.openFolderTitle,
    properties: ['openDirectory', 'multiSelections'],
  })
}

export async function confirmQuit(win: BrowserWindow | null, s: MainStrings): Promise<boolean> {
  const response = await messageBox(win, {
    type: 'question',
    title: s.quitTitle,
    message: s.quitMessage,
    detail: s.quitDetail,
    buttons: [s.quitYes, s.quitNo],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  })
  return response === 0
}

export async function showSkipped(
  win: BrowserWindow | null,
  s: MainStrings,
  selection: FileSelection,
): Promise<void> {
  await messageBox(win, {
    type: 'warning',
    title: s.skippedTitle,
    message: selection.files.length === 0 ? s.nothingOpened : s.skippedTitle,
    detail: skippedLines(s, selection).join('\n'),
    buttons: ['OK'],
    noLink: true,
  })
}

export async function showNativeMissing(win: BrowserWindow | null, s: MainStrings): Promise<void> {
  await messageBox(win, {
    type: 'error',
    title: 'LogLens',
    message: s.nativeMissing,
    buttons: ['OK'],
  })
}

/**
 * Export → where to save. Ready for the service's export (ExportResult.path is null when the user
 * cancels); wired once ServiceOptions can ask the front for a save path.
 */
export async function chooseSavePath(
  win: BrowserWindow | null,
  suggestedName: string,
  extension: string,
): Promise<string | null> {
  const options = {
    defaultPath: suggestedName,
    filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
  }
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
  return r.canceled || !r.filePath ? null : r.filePath
}
