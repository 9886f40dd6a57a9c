// Live numbers of running analyses, kept from the moment the app starts so that no event is
// lost between startAnalysis and the analysis view mounting. One subscription per event kind.
import type { Api } from '../../../shared/contract'
import type { JobEvent, MemorySample, PartialEvent, ProgressEvent } from '../../../shared/types'
import { createStore, type Store } from './store'

export interface LiveState {
  progress: ProgressEvent | null
  partial: PartialEvent | null
  job: JobEvent | null
  /** Memory curve so far: the partials' samples, extended by each progress event. */
  memory: MemorySample[]
}

export interface LiveStore {
  store: Store<ReadonlyMap<number, LiveState>>
  get(id: number): LiveState | undefined
  dispose(): void
}

const KEEP = 8
const EMPTY: LiveState = { progress: null, partial: null, job: null, memory: [] }

/** Partial samples are authoritative; progress samples fill the time after the last one. */
export function mergeMemory(
  current: MemorySample[],
  fromPartial: MemorySample[] | null,
  extra: MemorySample | null,
): MemorySample[] {
  let base = current
  if (fromPartial && fromPartial.length > 0) {
    const firstT = fromPartial[0]!.t
    const lastT = fromPartial[fromPartial.length - 1]!.t
    // A partial may carry the whole curve or only the samples since the previous partial.
    const before = current.filter((s) => s.t < firstT)
    const after = current.filter((s) => s.t > lastT)
    base = [...before, ...fromPartial, ...after]
  }
  if (extra) {
    const last = base[base.length - 1]
    if (!last || extra.t > last.t) base = [...base, extra]
  }
  return base
}

export function createLiveStore(api: Pick<Api, 'on'>): LiveStore {
  const store = createStore<ReadonlyMap<number, LiveState>>(new Map())

  const update = (id: number, fn: (s: LiveState) => LiveState) => {
    store.set((prev) => {
      const next = new Map(prev)
      const cur = next.get(id) ?? EMPTY
      next.delete(id) // re-insert: the newest analysis is last
      next.set(id, fn(cur))
      while (next.size > KEEP) next.delete(next.keys().next().value as number)
      return next
    })
  }

  const offs = [
    api.on.progress((p) =>
      update(p.analysisId, (s) => ({
        ...s,
        progress: p,
        memory: mergeMemory(s.memory, null, {
          t: p.elapsedMs,
          rss: p.rssBytes,
          heapUsed: p.heapUsedBytes,
        }),
      })),
    ),
    api.on.partial((p) =>
      update(p.analysisId, (s) => ({
        ...s,
        partial: p,
        memory: mergeMemory(s.memory, p.memory, null),
      })),
    ),
    api.on.job((j) => update(j.analysisId, (s) => ({ ...s, job: j }))),
  ]

  return {
    store,
    get: (id) => store.get().get(id),
    dispose() {
      for (const off of offs) off()
    },
  }
}
