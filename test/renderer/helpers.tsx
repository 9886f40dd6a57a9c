// Test-only helpers for renderer tests in jsdom: a scriptable fake ApiClient and a tiny render
// helper (react-dom + act, no testing library). Never imported by the app.
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach } from 'vitest'
import type {
  Api,
  CallName,
  CallResults,
  EventName,
  EventPayloads,
} from '../../src/shared/contract'
import type { AnalysisDetail, AnalysisSummary, FileSelection } from '../../src/shared/types'
import type { ApiClient, UploadProgress } from '../../src/renderer/src/api/client'
import type { ConnectionState } from '../../src/renderer/src/api/bridge'
import { createStore } from '../../src/renderer/src/state/store'
import { App } from '../../src/renderer/src/App'
import { createCore, type Core } from '../../src/renderer/src/core'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

// Every test that imports these helpers starts clean (stored settings, URL) and leaves nothing
// mounted: apps rendered with renderApp are unmounted after each test.
const mounted: Rendered[] = []
beforeEach(() => {
  localStorage.clear()
  sessionStorage.clear()
  window.location.hash = ''
})
afterEach(() => {
  for (const app of mounted.splice(0)) app.unmount()
})

// jsdom has no ResizeObserver (recharts' `responsive` uses it) and no matchMedia.
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
const g = globalThis as Record<string, unknown>
g.ResizeObserver ??= NoopResizeObserver
if (typeof window !== 'undefined' && !window.matchMedia) {
  window.matchMedia = ((q: string) => ({
    matches: false,
    media: q,
    addEventListener() {},
    removeEventListener() {},
  })) as unknown as typeof window.matchMedia
}

type Handler<N extends CallName> = (args: never) => CallResults[N] | Promise<CallResults[N]>

export interface FakeApi {
  client: ApiClient
  calls: { name: CallName; args: unknown }[]
  handle<N extends CallName>(
    name: N,
    fn: (args: never) => CallResults[N] | Promise<CallResults[N]>,
  ): void
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void
  addFilesResult: FileSelection
}

export function fakeClient(): FakeApi {
  const handlers = new Map<CallName, Handler<CallName>>()
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  const calls: FakeApi['calls'] = []
  const fake = {} as FakeApi
  const api = new Proxy({} as Api, {
    get(_t, prop: string) {
      if (prop === 'on') {
        return new Proxy(
          {},
          {
            get:
              (_x, ev: string) =>
              (l: (p: unknown) => void): (() => void) => {
                let set = listeners.get(ev as EventName)
                if (!set) listeners.set(ev as EventName, (set = new Set()))
                set.add(l)
                return () => set.delete(l)
              },
          },
        )
      }
      return async (args: unknown) => {
        calls.push({ name: prop as CallName, args })
        const h = handlers.get(prop as CallName)
        if (!h) throw Object.assign(new Error('no handler ' + prop), { code: 'NOT_SUPPORTED' })
        return h(args as never)
      }
    },
  })
  const client: ApiClient = {
    api,
    front: 'browser',
    connection: createStore<ConnectionState>('open'),
    uploads: createStore<UploadProgress | null>(null),
    cancelUploads: () => undefined,
    onReconnect: () => () => {},
    addFiles: async () => fake.addFilesResult,
    addDropped: async () => fake.addFilesResult,
  }
  Object.assign(fake, {
    client,
    calls,
    addFilesResult: { files: [], skipped: [] },
    handle: (name: CallName, fn: Handler<CallName>) => handlers.set(name, fn),
    emit: (name: EventName, payload: unknown) => {
      for (const l of [...(listeners.get(name) ?? [])]) l(payload)
    },
  })
  return fake
}

export function summary(over: Partial<AnalysisSummary> = {}): AnalysisSummary {
  return {
    id: 1,
    name: 'access.log',
    status: 'complete',
    createdAt: Date.UTC(2024, 2, 10, 8, 0),
    finishedAt: Date.UTC(2024, 2, 10, 8, 1),
    files: [{ name: 'access.log', size: 1234567 }],
    totalBytes: 1234567,
    format: 'combined',
    formatDetected: true,
    pv: 1000,
    uv: 42,
    invalid: 3,
    bodyBytes: 5_000_000,
    firstTime: Date.UTC(2024, 2, 10, 0, 0),
    lastTime: Date.UTC(2024, 2, 10, 2, 0),
    tzOffsetMinutes: 480,
    bytesRead: 1234567,
    linesRead: 1003,
    elapsedMs: 900,
    peakRssBytes: 60 * 1024 * 1024,
    error: null,
    ...over,
  }
}

export function detail(
  over: Partial<AnalysisDetail> = {},
  sum: Partial<AnalysisSummary> = {},
): AnalysisDetail {
  const s = summary(sum)
  return {
    summary: s,
    series: {
      bucket: 'minute',
      points: Array.from({ length: 120 }, (_, i) => ({
        t: s.firstTime! + i * 60_000,
        pv: 5 + (i % 7),
        uv: 3,
        uvExact: true,
        bytes: 1000,
      })),
    },
    memory: Array.from({ length: 10 }, (_, i) => ({
      t: i * 100,
      rss: (40 + i) * 1048576,
      heapUsed: 20 * 1048576,
    })),
    statuses: [
      { status: 200, count: 900 },
      { status: 404, count: 80 },
      { status: 500, count: 20 },
    ],
    topIps: [
      {
        ip: '10.0.0.1',
        pv: 300,
        bytes: 1,
        firstSeen: s.firstTime!,
        lastSeen: s.lastTime!,
        s2xx: 300,
        s3xx: 0,
        s4xx: 0,
        s5xx: 0,
      },
      {
        ip: '10.0.0.2',
        pv: 200,
        bytes: 1,
        firstSeen: s.firstTime!,
        lastSeen: s.lastTime!,
        s2xx: 200,
        s3xx: 0,
        s4xx: 0,
        s5xx: 0,
      },
    ],
    top: {
      path: [
        { key: '/index.html', count: 500, error: 0 },
        { key: '<script>alert(1)</script>', count: 5, error: 0 },
      ],
      agent: [
        { key: 'Mozilla/5.0', count: 700, error: 0 },
        { key: 'Googlebot/2.1', count: 100, error: 0, bot: true },
      ],
      referrer: [{ key: '-', count: 900, error: 0 }],
    },
    invalid: [{ reason: 'bad_time', count: 3, samples: ['<img src=x onerror=alert(1)>'] }],
    formatSuggestion: null,
    ...over,
  }
}

export interface Rendered {
  container: HTMLElement
  core: Core
  unmount(): void
}

export async function renderApp(fake: FakeApi, opts: { hash?: string } = {}): Promise<Rendered> {
  window.location.hash = opts.hash ?? ''
  const container = document.createElement('div')
  document.body.appendChild(container)
  const core = createCore(fake.client)
  let root!: Root
  await act(async () => {
    root = createRoot(container)
    root.render(<App core={core} />)
  })
  await flush()
  let gone = false
  const rendered: Rendered = {
    container,
    core,
    unmount: () => {
      if (gone) return
      gone = true
      act(() => root.unmount())
      container.remove()
    },
  }
  mounted.push(rendered)
  return rendered
}

/** Let pending promises and the React updates they cause settle. */
export async function flush(ms = 0): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, ms))
  })
}

export function byTestId(root: ParentNode, id: string): HTMLElement {
  const el = root.querySelector<HTMLElement>(`[data-testid="${id}"]`)
  if (!el) throw new Error(`no [data-testid="${id}"]`)
  return el
}

export async function click(el: Element): Promise<void> {
  await act(async () => {
    ;(el as HTMLElement).click()
  })
  await flush()
}

/** Set an input's value the way React notices (through the native setter). */
export async function typeInto(
  el: HTMLInputElement | HTMLSelectElement,
  value: string,
): Promise<void> {
  const proto =
    el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')!.set!
  await act(async () => {
    setter.call(el, value)
    el.dispatchEvent(
      new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }),
    )
  })
  await flush()
}
