import { describe, expect, it } from 'vitest'
import { callArgs, callChannel, eventChannel, type CallHandlers } from '../../src/shared/contract'
import type { AnalysisSummary, FileSelection } from '../../src/shared/types'
import {
  CALL_NAMES,
  forwardEvents,
  registerIpcHandlers,
  type InvokeEventLike,
  type IpcMainLike,
  type Subscribe,
} from '../../src/main/ipc'
import { isTrustedSender } from '../../src/main/security'
import { dispatchCall } from '../../src/service/dispatch'
import { errorInfoOf as toErrorInfo } from '../../src/service/errors'

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown

function fakeIpcMain() {
  const handlers = new Map<string, Listener>()
  const ipc: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler(channel) {
      handlers.delete(channel)
    },
  }
  const trusted: InvokeEventLike = {
    senderFrame: { url: 'app://loglens/index.html', parent: null },
  }
  const invoke = (channel: string, ...args: unknown[]) => {
    const h = handlers.get(channel)
    if (!h) throw new Error(`No handler registered for '${channel}'`)
    return Promise.resolve(h(trusted, ...args))
  }
  const invokeFrom = (event: InvokeEventLike, channel: string, ...args: unknown[]) =>
    Promise.resolve(handlers.get(channel)!(event, ...args))
  return { ipc, handlers, invoke, invokeFrom }
}

const selection: FileSelection = { files: [], skipped: [] }

function fakeHandlers(calls: { name: string; args: unknown }[] = []): CallHandlers {
  const record =
    <T>(name: string, value: T) =>
    (args: unknown) => {
      calls.push({ name, args })
      return value
    }
  return {
    getAppInfo: record('getAppInfo', {
      version: '0.1.0',
      front: 'electron',
      platform: 'linux',
      osLocale: 'en',
      dbPath: '/x.db',
      memoryBudgetBytes: 1,
      cpuCount: 2,
    }),
    listAnalyses: record('listAnalyses', [] as AnalysisSummary[]),
    getAnalysis: () => {
      throw Object.assign(new Error('No analysis 7'), { code: 'NOT_FOUND', params: { id: 7 } })
    },
    queryIps: record('queryIps', { rows: [], total: 0 }),
    renameAnalysis: () => Promise.reject({ info: { code: 'DB_LOCKED', message: 'locked' } }),
    deleteAnalysis: record('deleteAnalysis', null),
    startAnalysis: async (args) => {
      calls.push({ name: 'startAnalysis', args })
      return { analysisId: 3 }
    },
    cancelAnalysis: record('cancelAnalysis', null),
    retryAnalysis: record('retryAnalysis', { analysisId: 4, skipped: [] }),
    registerDroppedPaths: record('registerDroppedPaths', selection),
    openFileDialog: record('openFileDialog', null),
    openSample: () => {
      throw new TypeError('boom')
    },
    exportReport: record('exportReport', { path: null, fileName: 'r.html', bytes: 0 }),
  }
}

describe('registerIpcHandlers', () => {
  it('registers exactly one handler per call of the contract, and removes them', () => {
    const { ipc, handlers } = fakeIpcMain()
    const dispose = registerIpcHandlers(ipc, fakeHandlers(), { isTrustedSender })
    expect([...handlers.keys()].sort()).toEqual(
      Object.keys(callArgs)
        .map((n) => callChannel(n as never))
        .sort(),
    )
    expect(CALL_NAMES).toHaveLength(Object.keys(callArgs).length)
    dispose()
    expect(handlers.size).toBe(0)
  })

  it('wraps results in envelopes and passes validated arguments', async () => {
    const calls: { name: string; args: unknown }[] = []
    const { ipc, invoke } = fakeIpcMain()
    registerIpcHandlers(ipc, fakeHandlers(calls), { isTrustedSender })
    expect(await invoke(callChannel('listAnalyses'))).toEqual({ ok: true, value: [] })
    expect(
      await invoke(callChannel('startAnalysis'), { fileIds: ['f1'], name: '  mine  ' }),
    ).toEqual({ ok: true, value: { analysisId: 3 } })
    // zod's output (trimmed name) reaches the handler, not the raw input.
    expect(calls.at(-1)).toEqual({ name: 'startAnalysis', args: { fileIds: ['f1'], name: 'mine' } })
    expect(await invoke(callChannel('deleteAnalysis'), { id: 2 })).toEqual({
      ok: true,
      value: null,
    })
  })

  it('rejects bad input as data without calling the service', async () => {
    const calls: { name: string; args: unknown }[] = []
    const { ipc, invoke } = fakeIpcMain()
    registerIpcHandlers(ipc, fakeHandlers(calls), { isTrustedSender })
    const bad = [
      [callChannel('getAnalysis'), { id: -1 }],
      [callChannel('getAnalysis'), { id: '1' }],
      [callChannel('getAnalysis')],
      [
        callChannel('queryIps'),
        { id: 1, sort: 'pv; DROP TABLE', dir: 'asc', offset: 0, limit: 10 },
      ],
      [callChannel('queryIps'), { id: 1, sort: 'pv', dir: 'asc', offset: 0, limit: 1e9 }],
      [callChannel('registerDroppedPaths'), { paths: [] }],
      [callChannel('registerDroppedPaths'), { paths: ['x'.repeat(5000)] }],
      [callChannel('renameAnalysis'), { id: 1, name: '   ' }],
      [callChannel('listAnalyses'), { sneaky: true }],
      [callChannel('deleteAnalysis'), { id: 1 }, { id: 2 }],
      [callChannel('exportReport'), { id: 1, kind: 'exe', locale: 'en' }],
    ] as const
    for (const [channel, ...args] of bad) {
      const r = (await invoke(channel, ...args)) as { ok: boolean; error?: { code: string } }
      expect(r.ok, `${channel} ${JSON.stringify(args)}`).toBe(false)
      expect(r.error?.code).toBe('INVALID_INPUT')
    }
    expect(calls).toEqual([])
  })

  it('turns thrown errors into error envelopes with their code', async () => {
    const logs: string[] = []
    const { ipc, invoke } = fakeIpcMain()
    registerIpcHandlers(ipc, fakeHandlers(), {
      isTrustedSender,
      log: (_l, m) => logs.push(m),
    })
    expect(await invoke(callChannel('getAnalysis'), { id: 7 })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No analysis 7', params: { id: 7 } },
    })
    expect(await invoke(callChannel('renameAnalysis'), { id: 1, name: 'x' })).toEqual({
      ok: false,
      error: { code: 'DB_LOCKED', message: 'locked' },
    })
    expect(await invoke(callChannel('openSample'))).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    })
    expect(logs.some((l) => l.includes('openSample'))).toBe(true)
  })

  it('refuses callers that are not our top frame', async () => {
    const calls: { name: string; args: unknown }[] = []
    const { ipc, invokeFrom } = fakeIpcMain()
    registerIpcHandlers(ipc, fakeHandlers(calls), { isTrustedSender })
    for (const senderFrame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://loglens/index.html', parent: {} as never },
      null,
    ]) {
      const r = (await invokeFrom({ senderFrame }, callChannel('listAnalyses'))) as {
        ok: boolean
      }
      expect(r.ok).toBe(false)
    }
    expect(calls).toEqual([])
  })
})

describe('dispatchCall', () => {
  it('maps undefined results to null so the envelope survives structured clone', async () => {
    const h = fakeHandlers()
    h.cancelAnalysis = () => undefined as unknown as null
    expect(await dispatchCall(h, 'cancelAnalysis', [{ analysisId: 1 }])).toEqual({
      ok: true,
      value: null,
    })
  })
})

describe('toErrorInfo', () => {
  it('keeps known codes and hides nothing else', () => {
    expect(toErrorInfo({ code: 'DISK_FULL', message: 'full' })).toEqual({
      code: 'DISK_FULL',
      message: 'full',
    })
    expect(toErrorInfo(Object.assign(new Error('x'), { code: 'ENOENT' }))).toEqual({
      code: 'INTERNAL',
      message: 'x',
    })
    expect(toErrorInfo('plain')).toEqual({ code: 'INTERNAL', message: 'plain' })
    expect(toErrorInfo({ error: { code: 'CANCELLED', message: 'c' } })).toEqual({
      code: 'CANCELLED',
      message: 'c',
    })
  })
})

describe('forwardEvents', () => {
  it('sends service events to live windows only, and stops on unsubscribe', () => {
    const listeners = new Map<string, (p: unknown) => void>()
    const subscribe: Subscribe = (event, listener) => {
      listeners.set(event, listener as (p: unknown) => void)
      return () => listeners.delete(event)
    }
    const sent: [string, unknown][] = []
    const live = { isDestroyed: () => false, send: (c: string, p: unknown) => sent.push([c, p]) }
    const dead = {
      isDestroyed: () => true,
      send: () => {
        throw new Error('sent to a destroyed window')
      },
    }
    const off = forwardEvents(subscribe, () => [live, dead])
    expect([...listeners.keys()].sort()).toEqual(['analysesChanged', 'job', 'partial', 'progress'])
    const job = { analysisId: 1, state: 'running', error: null }
    listeners.get('job')!(job)
    expect(sent).toEqual([[eventChannel('job'), job]])
    off()
    expect(listeners.size).toBe(0)
  })
})
