// Window size and position, remembered between runs and always brought back on screen (a
// monitor may have been unplugged since). The math is pure; the file I/O is tiny and async.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  bounds: Rect
  maximized: boolean
  fullScreen: boolean
}

/** What to create the window with: no x/y means "let the OS center it". */
export interface WindowPlacement {
  width: number
  height: number
  x?: number
  y?: number
  maximized: boolean
  fullScreen: boolean
}

export const DEFAULT_SIZE = { width: 1280, height: 820 }
export const MIN_SIZE = { width: 760, height: 540 }
/** A window whose visible part on every display is smaller than this is considered lost. */
const MIN_VISIBLE = { width: 120, height: 60 }

function isFiniteInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < 1e6
}

/** A saved state read back from disk, or null when it is missing or not what we wrote. */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null
  const o = raw as Record<string, unknown>
  const b = o.bounds as Record<string, unknown> | undefined
  if (!b || ![b.x, b.y, b.width, b.height].every(isFiniteInt)) return null
  if ((b.width as number) <= 0 || (b.height as number) <= 0) return null
  return {
    bounds: {
      x: Math.round(b.x as number),
      y: Math.round(b.y as number),
      width: Math.round(b.width as number),
      height: Math.round(b.height as number),
    },
    maximized: o.maximized === true,
    fullScreen: o.fullScreen === true,
  }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return { width: Math.max(0, width), height: Math.max(0, height) }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), Math.max(lo, hi))
}

/**
 * Where to put the window: the saved bounds on the display they overlap most, resized to fit
 * that display's work area and moved fully onto it; centred on the primary display at the
 * default size when there is no saved state or it is off every screen.
 */
export function placeWindow(
  saved: WindowState | null,
  workAreas: Rect[],
  primary: Rect,
): WindowPlacement {
  const fit = (area: Rect, w: number, h: number) => ({
    width: clamp(w, Math.min(MIN_SIZE.width, area.width), area.width),
    height: clamp(h, Math.min(MIN_SIZE.height, area.height), area.height),
  })
  if (!saved) {
    return {
      ...fit(primary, DEFAULT_SIZE.width, DEFAULT_SIZE.height),
      maximized: false,
      fullScreen: false,
    }
  }
  let best: Rect | null = null
  let bestArea = 0
  for (const area of workAreas) {
    const o = overlap(saved.bounds, area)
    const visible = o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height
    if (visible && o.width * o.height > bestArea) {
      best = area
      bestArea = o.width * o.height
    }
  }
  const flags = { maximized: saved.maximized, fullScreen: saved.fullScreen }
  if (!best) return { ...fit(primary, saved.bounds.width, saved.bounds.height), ...flags }
  const size = fit(best, saved.bounds.width, saved.bounds.height)
  return {
    ...size,
    x: clamp(saved.bounds.x, best.x, best.x + best.width - size.width),
    y: clamp(saved.bounds.y, best.y, best.y + best.height - size.height),
    ...flags,
  }
}

export interface WindowStateStore {
  load(): Promise<WindowState | null>
  save(state: WindowState): Promise<void>
}

/** JSON in userData, written to a temp file and renamed so a crash never leaves half a file. */
export function windowStateFile(path: string): WindowStateStore {
  let writing: Promise<void> = Promise.resolve()
  return {
    async load() {
      try {
        return parseWindowState(JSON.parse(await readFile(path, 'utf8')))
      } catch {
        return null
      }
    },
    save(state) {
      writing = writing
        .then(async () => {
          await mkdir(dirname(path), { recursive: true })
          const tmp = `${path}.tmp`
          await writeFile(tmp, JSON.stringify(state))
          await rename(tmp, path)
        })
        .catch(() => {
          // Forgetting the window size is not worth an error dialog.
        })
      return writing
    },
  }
}

/** The parts of BrowserWindow the tracker uses. */
export interface TrackedWindow {
  getNormalBounds(): Rect
  isMaximized(): boolean
  isFullScreen(): boolean
  isDestroyed(): boolean
  on(
    event:
      | 'resize'
      | 'move'
      | 'maximize'
      | 'unmaximize'
      | 'enter-full-screen'
      | 'leave-full-screen'
      | 'close',
    listener: () => void,
  ): unknown
}

/** Save the window's state shortly after it moves or resizes, and when it closes. */
export function trackWindowState(
  win: TrackedWindow,
  store: WindowStateStore,
  debounceMs = 400,
): { flush(): Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | null = null
  let last: WindowState | null = null
  const snapshot = (): void => {
    if (win.isDestroyed()) return
    last = {
      bounds: win.getNormalBounds(),
      maximized: win.isMaximized(),
      fullScreen: win.isFullScreen(),
    }
  }
  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer)
    timer = null
    snapshot()
    if (last) await store.save(last)
  }
  const schedule = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void flush(), debounceMs)
  }
  for (const e of [
    'resize',
    'move',
    'maximize',
    'unmaximize',
    'enter-full-screen',
    'leave-full-screen',
  ] as const)
    win.on(e, schedule)
  win.on('close', () => void flush())
  return { flush }
}
