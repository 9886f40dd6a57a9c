import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  parseWindowState,
  placeWindow,
  trackWindowState,
  windowStateFile,
  type Rect,
  type TrackedWindow,
  type WindowState,
} from '../../src/main/window-state'

const primary: Rect = { x: 0, y: 0, width: 1920, height: 1050 }
const right: Rect = { x: 1920, y: 0, width: 2560, height: 1400 }
const state = (bounds: Rect, maximized = false): WindowState => ({
  bounds,
  maximized,
  fullScreen: false,
})

describe('placeWindow', () => {
  it('uses the default size, centred by the OS, the first time', () => {
    expect(placeWindow(null, [primary], primary)).toEqual({
      ...DEFAULT_SIZE,
      maximized: false,
      fullScreen: false,
    })
  })

  it('restores bounds that are on screen', () => {
    const b = { x: 100, y: 80, width: 1200, height: 800 }
    expect(placeWindow(state(b, true), [primary, right], primary)).toEqual({
      ...b,
      maximized: true,
      fullScreen: false,
    })
    const onRight = { x: 2100, y: 100, width: 1600, height: 900 }
    expect(placeWindow(state(onRight), [primary, right], primary)).toMatchObject(onRight)
  })

  it('brings a window from an unplugged monitor back, centred on the primary', () => {
    const lost = { x: 3000, y: 200, width: 1400, height: 900 }
    const p = placeWindow(state(lost), [primary], primary)
    expect(p.x).toBeUndefined()
    expect(p.y).toBeUndefined()
    expect(p).toMatchObject({ width: 1400, height: 900 })
  })

  it('moves a window that hangs off the edge fully onto its display', () => {
    const p = placeWindow(state({ x: 1500, y: -40, width: 1000, height: 700 }), [primary], primary)
    expect(p).toMatchObject({ x: 920, y: 0, width: 1000, height: 700 })
  })

  it('shrinks a window larger than its display, but never below the minimum', () => {
    const small: Rect = { x: 0, y: 0, width: 1280, height: 680 }
    const p = placeWindow(state({ x: 0, y: 0, width: 2500, height: 1600 }), [small], small)
    expect(p).toMatchObject({ x: 0, y: 0, width: 1280, height: 680 })
    const tiny = placeWindow(state({ x: 10, y: 10, width: 100, height: 50 }), [primary], primary)
    expect(tiny).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height })
  })

  it('treats a sliver of window on screen as lost', () => {
    const p = placeWindow(state({ x: 1900, y: 100, width: 800, height: 600 }), [primary], primary)
    expect(p.x).toBeUndefined()
  })

  it('prefers the display showing most of the window', () => {
    const p = placeWindow(
      state({ x: 1700, y: 100, width: 1200, height: 800 }),
      [primary, right],
      primary,
    )
    expect(p.x).toBeGreaterThanOrEqual(right.x)
  })
})

describe('parseWindowState', () => {
  it('accepts what we write and refuses anything else', () => {
    const s = state({ x: 1, y: 2, width: 3, height: 4 }, true)
    expect(parseWindowState(JSON.parse(JSON.stringify(s)))).toEqual(s)
    expect(parseWindowState(null)).toBeNull()
    expect(parseWindowState({ bounds: { x: 1, y: 2, width: 0, height: 4 } })).toBeNull()
    expect(parseWindowState({ bounds: { x: 'a', y: 2, width: 3, height: 4 } })).toBeNull()
    expect(parseWindowState({ bounds: { x: 1e9, y: 2, width: 3, height: 4 } })).toBeNull()
    expect(
      parseWindowState({ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: 'yes' }),
    ).toEqual(state({ x: 1, y: 2, width: 3, height: 4 }))
  })
})

describe('window state file', () => {
  it('round-trips and shrugs off a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loglens-ws-'))
    const file = join(dir, 'sub', 'window-state.json')
    const store = windowStateFile(file)
    expect(await store.load()).toBeNull()
    const s = state({ x: 5, y: 6, width: 900, height: 700 })
    await store.save(s)
    expect(await store.load()).toEqual(s)
    writeFileSync(file, '{ not json')
    expect(await store.load()).toBeNull()
  })
})

describe('trackWindowState', () => {
  it('saves after moves settle and on close', async () => {
    vi.useFakeTimers()
    try {
      const listeners = new Map<string, (() => void)[]>()
      let bounds: Rect = { x: 0, y: 0, width: 800, height: 600 }
      const win: TrackedWindow = {
        getNormalBounds: () => bounds,
        isMaximized: () => false,
        isFullScreen: () => false,
        isDestroyed: () => false,
        on: (e, l) => listeners.set(e, [...(listeners.get(e) ?? []), l]),
      }
      const saved: WindowState[] = []
      trackWindowState(win, { load: async () => null, save: async (s) => void saved.push(s) }, 100)
      bounds = { x: 10, y: 0, width: 800, height: 600 }
      listeners.get('move')!.forEach((l) => l())
      bounds = { x: 20, y: 0, width: 800, height: 600 }
      listeners.get('move')!.forEach((l) => l())
      expect(saved).toEqual([])
      await vi.advanceTimersByTimeAsync(100)
      expect(saved).toEqual([state({ x: 20, y: 0, width: 800, height: 600 })])
      bounds = { x: 30, y: 0, width: 800, height: 600 }
      listeners.get('close')!.forEach((l) => l())
      await vi.advanceTimersByTimeAsync(0)
      expect(saved.at(-1)).toEqual(state(bounds))
    } finally {
      vi.useRealTimers()
    }
  })

  it('writes JSON a human can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loglens-ws-'))
    const file = join(dir, 'w.json')
    await windowStateFile(file).save(state({ x: 1, y: 1, width: 800, height: 600 }))
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ maximized: false })
  })
})
