import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPreloadApi, type IpcRendererLike } from '../../src/preload/api'
import * as channels from '../../src/preload/channels'
import {
  EVENT_NAMES,
  callArgs,
  callChannel,
  eventChannel,
  type CallName,
} from '../../src/shared/contract'

function fakeIpcRenderer() {
  const invoked: unknown[][] = []
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>()
  const ipc: IpcRendererLike = {
    invoke: async (...args) => {
      invoked.push(args)
      return { ok: true, value: args[0] }
    },
    on: (channel, l) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)!.add(l)
    },
    removeListener: (channel, l) => {
      listeners.get(channel)?.delete(l)
    },
  }
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'secret ipc event' }, payload)
  }
  return { ipc, invoked, listeners, emit }
}

const callNames = Object.keys(callArgs) as CallName[]

describe('preload api', () => {
  it('exposes exactly the contract: the calls, on, pathsForFiles', () => {
    const api = createPreloadApi(fakeIpcRenderer().ipc, () => '')
    expect(Object.keys(api).sort()).toEqual([...callNames, 'on', 'pathsForFiles'].sort())
    expect(Object.keys(api.on).sort()).toEqual([...EVENT_NAMES].sort())
    for (const v of Object.values(api)) expect(['function', 'object']).toContain(typeof v)
  })

  it('uses the contract channel names', () => {
    for (const n of callNames) expect(channels.callChannel(n)).toBe(callChannel(n))
    for (const e of EVENT_NAMES) expect(channels.eventChannel(e)).toBe(eventChannel(e))
  })

  it('invokes one channel per call with the argument, or none', async () => {
    const f = fakeIpcRenderer()
    const api = createPreloadApi(f.ipc, () => '')
    await api.listAnalyses()
    await api.getAnalysis({ id: 3 })
    await api.openFileDialog()
    expect(f.invoked).toEqual([
      [callChannel('listAnalyses')],
      [callChannel('getAnalysis'), { id: 3 }],
      [callChannel('openFileDialog')],
    ])
    for (const n of callNames) {
      f.invoked.length = 0
      await (api[n] as (a?: unknown) => Promise<unknown>)({ probe: n })
      expect(f.invoked[0]?.[0]).toBe(callChannel(n))
    }
  })

  it('passes only the payload to listeners and unsubscribes', () => {
    const f = fakeIpcRenderer()
    const api = createPreloadApi(f.ipc, () => '')
    const got: unknown[][] = []
    const off = api.on.job((...args) => got.push(args))
    const payload = { analysisId: 1, state: 'running', error: null }
    f.emit(eventChannel('job'), payload)
    expect(got).toEqual([[payload]])
    off()
    f.emit(eventChannel('job'), payload)
    expect(got).toHaveLength(1)
    expect(f.listeners.get(eventChannel('job'))?.size).toBe(0)
  })

  it('resolves dropped files to paths, one per file, empty when a file has none', () => {
    const api = createPreloadApi(fakeIpcRenderer().ipc, (f) =>
      f.name === 'web.txt' ? '' : `/logs/${f.name}`,
    )
    const files = [{ name: 'a.log' }, { name: 'web.txt' }, { name: 'b.gz' }] as unknown as File[]
    expect(api.pathsForFiles(files)).toEqual(['/logs/a.log', '', '/logs/b.gz'])
  })
})

describe('built preload', () => {
  const built = join(__dirname, '..', '..', 'out', 'preload', 'index.js')
  it.skipIf(!existsSync(built))(
    'requires nothing but electron (a sandboxed preload cannot)',
    () => {
      const code = readFileSync(built, 'utf8')
      const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
      expect(required.length).toBeGreaterThan(0)
      expect(new Set(required)).toEqual(new Set(['electron']))
      expect(code).not.toMatch(/\bfrom\s+["']/)
    },
  )
})
