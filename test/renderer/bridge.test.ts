import { describe, expect, it } from 'vitest'
import { createBridgeClient } from '../../src/renderer/src/api/bridge'
import { unwrap } from '../../src/renderer/src/api/client'
import { LogLensError } from '../../src/renderer/src/api/errors'

/** A scriptable stand-in for the browser's WebSocket. */
class FakeSocket {
  static OPEN = 1
  static all: FakeSocket[] = []
  static refuse = false
  readyState = 0
  sent: unknown[] = []
  onopen: (() => void) | null = null
  onclose: (() => void) | null = null
  onerror: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  constructor(public url: string) {
    FakeSocket.all.push(this)
    queueMicrotask(() => {
      if (FakeSocket.refuse) return this.close()
      this.readyState = 1
      this.onopen?.()
    })
  }
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.readyState = 3
    this.onclose?.()
  }
  reply(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) })
  }
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms))

function make() {
  FakeSocket.all = []
  FakeSocket.refuse = false
  return createBridgeClient({
    wsUrl: 'ws://127.0.0.1:1/t/abcdefghijklmnop/ws',
    httpBase: '/t/abcdefghijklmnop/',
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    backoffMs: [5],
    goneAfter: 2,
    fetchImpl: (async (url: string) => ({
      status: 200,
      json: async () => ({
        ok: true,
        value: { files: [{ id: 'x', name: String(url) }], skipped: [] },
      }),
    })) as unknown as typeof fetch,
  })
}

describe('browser bridge', () => {
  it('sends calls, resolves results by id and dispatches events', async () => {
    const b = make()
    const api = unwrap(b.raw)
    const events: unknown[] = []
    b.raw.on.job((p) => events.push(p))
    const p = api.getAnalysis({ id: 3 })
    await tick()
    const ws = FakeSocket.all[0]!
    expect(ws.sent[0]).toEqual({ type: 'call', id: 1, name: 'getAnalysis', args: { id: 3 } })
    ws.reply({
      type: 'event',
      name: 'job',
      payload: { analysisId: 3, state: 'complete', error: null },
    })
    ws.reply({ type: 'result', id: 1, envelope: { ok: true, value: { summary: { id: 3 } } } })
    expect(await p).toEqual({ summary: { id: 3 } })
    expect(events).toHaveLength(1)
    b.close()
  })

  it('turns error envelopes into LogLensError with code and params', async () => {
    const b = make()
    const api = unwrap(b.raw)
    const p = api.listAnalyses()
    await tick()
    FakeSocket.all[0]!.reply({
      type: 'result',
      id: 1,
      envelope: {
        ok: false,
        error: { code: 'DB_LOCKED', message: 'locked', params: { path: '/x' } },
      },
    })
    const err = await p.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LogLensError)
    expect(err).toMatchObject({ code: 'DB_LOCKED', params: { path: '/x' } })
    b.close()
  })

  it('fails calls in flight when the socket drops, reconnects, then reports the back end gone', async () => {
    const b = make()
    const api = unwrap(b.raw)
    const p = api.listAnalyses()
    await tick()
    let reconnected = 0
    b.onReconnect(() => reconnected++)
    FakeSocket.all[0]!.close()
    await expect(p).rejects.toMatchObject({ code: 'DISCONNECTED' })
    await tick(20)
    expect(b.connection.get()).toBe('open')
    expect(reconnected).toBe(1)
    FakeSocket.refuse = true
    FakeSocket.all[FakeSocket.all.length - 1]!.close()
    await tick(40)
    expect(b.connection.get()).toBe('gone')
    await expect(api.listAnalyses()).rejects.toMatchObject({ code: 'DISCONNECTED' })
    FakeSocket.refuse = false
    await tick(40)
    expect(b.connection.get()).toBe('open')
    b.close()
  })

  it('uploads a file to the token path with its name encoded', async () => {
    const b = make()
    const env = await b.upload(new Blob(['x']) as File, 'a b.log')
    expect(env.ok && env.value.files[0]!.name).toBe('/t/abcdefghijklmnop/upload?name=a%20b.log')
    b.close()
  })
})
