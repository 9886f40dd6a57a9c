// The list of past analyses, refreshed whenever the back end says it changed.
import { useCallback, useEffect, useState } from 'react'
import type { AnalysisSummary } from '../../../shared/types'
import { useServices } from '../context'

export type HistoryState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; items: AnalysisSummary[] }

/**
 * The most recent analyses; with `search` (trimmed by the caller), those whose name or a file's
 * name holds it.
 */
export function useHistory(search = ''): { state: HistoryState; reload(): void } {
  const { api, client } = useServices()
  const [state, setState] = useState<HistoryState>({ status: 'loading' })
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => setTick((n) => n + 1), [])

  useEffect(() => {
    let alive = true
    api.listAnalyses(search ? { search } : undefined).then(
      (items) => alive && setState({ status: 'ready', items }),
      (error: unknown) => alive && setState({ status: 'error', error }),
    )
    return () => {
      alive = false
    }
  }, [api, tick, search])

  useEffect(() => {
    const offs = [api.on.analysesChanged(reload), api.on.job(reload), client.onReconnect(reload)]
    return () => offs.forEach((off) => off())
  }, [api, client, reload])

  return { state, reload }
}
