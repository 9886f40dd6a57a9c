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
const MEMORY_EVERY_MS = 1000
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

  // Progress brings a memory sample ≥ 4 times a second; the chart needs about one update a
  // second, so samples wait here and join the curve at most once per MEMORY_EVERY_MS.
  const pending = new Map<number, MemorySample[]>()
  const takePending = (id: number): MemorySample[] => {
    const list = pending.get(id) ?? []
    pending.delete(id)
    return list
  }

  const offs = [
    api.on.progress((p) => {
      const sample = { t: p.elapsedMs, rss: p.rssBytes, heapUsed: p.heapUsedBytes }
      const list = pending.get(p.analysisId) ?? []
      list.push(sample)
      pending.set(p.analysisId, list)
      update(p.analysisId, (s) => {
        const last = s.memory[s.memory.length - 1]
        if (last && sample.t - last.t < MEMORY_EVERY_MS) return { ...s, progress: p }
        let memory = s.memory
        for (const m of takePending(p.analysisId)) memory = mergeMemory(memory, null, m)
        return { ...s, progress: p, memory }
      })
    }),
    api.on.partial((p) =>
      update(p.analysisId, (s) => {
        let memory = mergeMemory(s.memory, p.memory, null)
        for (const m of takePending(p.analysisId)) memory = mergeMemory(memory, null, m)
        return { ...s, partial: p, memory }
      }),
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
