// Browser front (`loglens serve`): the RawApi over the WebSocket bridge described in
// src/shared/bridge-protocol.ts, plus file uploads over HTTP. Reconnects when the socket drops and
// publishes the connection state so the UI can say when the back end is gone.
import type { BridgeClientMessage, BridgeServerMessage } from '../../../shared/bridge-protocol'
import type { CallName, EventName, RawApi } from '../../../shared/contract'
import type { Envelope, FileSelection } from '../../../shared/types'
import { createStore, type Store } from '../state/store'
import { CALL_NAMES, EVENT_NAMES } from './names'

/** `gone`: several reconnect attempts failed; we keep trying, slowly, in the background. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'gone'

export interface BridgeOptions {
  /** ws://host/t/<token>/ws */
  wsUrl: string
  /** /t/<token>/ — prefix for upload URLs. */
  httpBase: string
  WebSocketImpl?: typeof WebSocket
  /** Uploads go through fetch when given (no progress until the end), else XMLHttpRequest. */
  fetchImpl?: typeof fetch
  /** Backoff steps in ms; the last one repeats. */
  backoffMs?: number[]
  /** Failed attempts in a row before the state becomes `gone`. */
  goneAfter?: number
}

export interface BridgeClient {
  raw: RawApi
  connection: Store<ConnectionState>
  /** Called after every successful reconnect (not the first connect). */
  onReconnect(listener: () => void): () => void
  upload(file: File, name?: string, opts?: UploadOptions): Promise<Envelope<FileSelection>>
  close(): void
}

export interface UploadOptions {
  /** Bytes of the file sent so far, as the browser reports them. */
  onProgress?(sent: number): void
  /** Aborts the upload: it then resolves to a CANCELLED envelope. */
  signal?: AbortSignal
}

const cancelledEnvelope: Envelope<never> = {
  ok: false,
  error: { code: 'CANCELLED', message: 'The upload was cancelled' },
}

type Pending = { resolve: (env: Envelope<unknown>) => void }

const disconnectedEnvelope: Envelope<never> = {
  ok: false,
  // The renderer maps DISCONNECTED itself; cast because the back end never sends it.
  error: { code: 'DISCONNECTED' as never, message: 'The LogLens back end is not reachable' },
}

export function createBridgeClient(opts: BridgeOptions): BridgeClient {
  const WS = opts.WebSocketImpl ?? WebSocket
  const doFetch = opts.fetchImpl ?? fetch.bind(globalThis)
  const backoff = opts.backoffMs ?? [250, 500, 1000, 2000, 4000]
  const goneAfter = opts.goneAfter ?? 4
  const connection = createStore<ConnectionState>('connecting')
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  const reconnectListeners = new Set<() => void>()
  const pending = new Map<number, Pending>()
  let queue: BridgeClientMessage[] = []
  let nextId = 1
  let socket: WebSocket | null = null
  let failures = 0
  let everOpened = false
  let closed = false
  let timer: ReturnType<typeof setTimeout> | null = null

  function connect(): void {
    if (closed) return
    let ws: WebSocket
    try {
      ws = new WS(opts.wsUrl)
    } catch {
      scheduleReconnect()
      return
    }
    socket = ws
    let opened = false
    ws.onopen = () => {
      opened = true
      failures = 0
      connection.set('open')
      const wasReconnect = everOpened
      everOpened = true
      const q = queue
      queue = []
      for (const m of q) ws.send(JSON.stringify(m))
      if (wasReconnect) for (const l of [...reconnectListeners]) l()
    }
    ws.onmessage = (ev: MessageEvent) => {
      let msg: BridgeServerMessage
      try {
        msg = JSON.parse(String(ev.data)) as BridgeServerMessage
      } catch {
        return
      }
      if (msg.type === 'result') {
        const p = pending.get(msg.id)
        if (p) {
          pending.delete(msg.id)
          p.resolve(msg.envelope)
        }
      } else if (msg.type === 'event') {
        const set = listeners.get(msg.name)
        if (set) for (const l of [...set]) l(msg.payload)
      }
    }
    ws.onclose = () => {
      if (socket === ws) socket = null
      // Calls in flight may or may not have run: report them as failed, never hang.
      for (const [id, p] of pending) {
        pending.delete(id)
        p.resolve(disconnectedEnvelope)
      }
      if (!opened) failures++
      else failures = 1
      if (!closed) scheduleReconnect()
    }
    ws.onerror = () => {
      // onclose follows and does the work.
    }
  }

  function scheduleReconnect(): void {
    if (closed) return
    connection.set(failures >= goneAfter ? 'gone' : everOpened ? 'reconnecting' : 'connecting')
    if (failures >= goneAfter) {
      // Queued calls would wait forever: fail them so the UI can say why.
      for (const m of queue) pending.get(m.id)?.resolve(disconnectedEnvelope)
      for (const m of queue) pending.delete(m.id)
      queue = []
    }
    const delay = backoff[Math.min(Math.max(failures - 1, 0), backoff.length - 1)] ?? 1000
    timer = setTimeout(connect, delay)
  }

  function call(name: CallName, args: unknown): Promise<Envelope<unknown>> {
    if (connection.get() === 'gone' && !socket) return Promise.resolve(disconnectedEnvelope)
    const id = nextId++
    const msg: BridgeClientMessage =
      args === undefined ? { type: 'call', id, name } : { type: 'call', id, name, args }
    return new Promise((resolve) => {
      pending.set(id, { resolve })
      if (socket && socket.readyState === WS.OPEN) socket.send(JSON.stringify(msg))
      else queue.push(msg)
    })
  }

  const on = Object.fromEntries(
    EVENT_NAMES.map((name) => [
      name,
      (listener: (p: unknown) => void) => {
        let set = listeners.get(name)
        if (!set) listeners.set(name, (set = new Set()))
        set.add(listener)
        return () => set.delete(listener)
      },
    ]),
  ) as unknown as RawApi['on']

  // One function per call, named by the contract (nothing stringly typed twice).
  const raw = Object.fromEntries([
    ...CALL_NAMES.map((name) => [name, (args?: unknown) => call(name, args)]),
    ['on', on],
  ]) as unknown as RawApi

  const failed = (name: string, status: number): Envelope<never> => ({
    ok: false,
    error: {
      code: 'UPLOAD_FAILED' as never,
      message: `Upload failed (HTTP ${status})`,
      params: { file: name, status },
    },
  })

  async function upload(
    file: File,
    name = file.name,
    up: UploadOptions = {},
  ): Promise<Envelope<FileSelection>> {
    const url = opts.httpBase + 'upload?name=' + encodeURIComponent(name)
    if (up.signal?.aborted) return cancelledEnvelope
    if (!opts.fetchImpl && typeof XMLHttpRequest !== 'undefined')
      return uploadXhr(url, file, name, up)
    let res: Response
    try {
      res = await doFetch(url, { method: 'POST', body: file, signal: up.signal ?? null })
    } catch {
      return up.signal?.aborted ? cancelledEnvelope : disconnectedEnvelope
    }
    try {
      const env = (await res.json()) as Envelope<FileSelection>
      up.onProgress?.(file.size)
      return env
    } catch {
      return failed(name, res.status)
    }
  }

  /** fetch cannot tell how much of a request body was sent; XMLHttpRequest can. */
  function uploadXhr(
    url: string,
    file: File,
    name: string,
    up: UploadOptions,
  ): Promise<Envelope<FileSelection>> {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest()
      const abort = (): void => xhr.abort()
      const done = (env: Envelope<FileSelection>): void => {
        up.signal?.removeEventListener('abort', abort)
        resolve(env)
      }
      xhr.open('POST', url)
      xhr.responseType = 'text'
      xhr.upload.onprogress = (e) => up.onProgress?.(e.loaded)
      xhr.onload = () => {
        try {
          done(JSON.parse(xhr.responseText) as Envelope<FileSelection>)
        } catch {
          done(failed(name, xhr.status))
        }
      }
      xhr.onerror = () => done(disconnectedEnvelope)
      xhr.onabort = () => done(cancelledEnvelope)
      up.signal?.addEventListener('abort', abort)
      xhr.send(file)
    })
  }

  connect()

  return {
    raw,
    connection,
    onReconnect(l) {
      reconnectListeners.add(l)
      return () => reconnectListeners.delete(l)
    },
    upload,
    close() {
      closed = true
      if (timer) clearTimeout(timer)
      socket?.close()
    },
  }
}
