// One analysis for the dashboard: the stored detail (getAnalysis) merged with live events while
// it runs. The detail is fetched again when the job ends, after a reconnect, and on request.
import { startTransition, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react'
import type {
  AnalysisDetail,
  AnalysisStatus,
  JobEvent,
  MemorySample,
  Series,
  StatusCount,
} from '../../../shared/types'
import { useServices, useStore } from '../context'
import type { LiveState } from './live'
import { AUTO_FORMAT } from './actions'

export type LoadState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; detail: AnalysisDetail }

const ACTIVE: AnalysisStatus[] = ['queued', 'running']
// Stable empties, so memoised panels do not re-render for a new [] each time.
const NO_MEMORY: MemorySample[] = []
const NO_IPS: { ip: string; pv: number }[] = []
const NO_STATUSES: StatusCount[] = []
export const isActive = (s: AnalysisStatus | undefined | null): boolean => !!s && ACTIVE.includes(s)

/** What the dashboard draws, whichever source it came from. */
export interface DashboardModel {
  status: AnalysisStatus
  /** Something is known about this analysis: its stored detail or a live event. */
  known: boolean
  live: boolean
  /**
   * Running, and its first partial results (UV, bandwidth, charts: every second) not here yet:
   * PV and invalid lines already count up from progress, UV and bandwidth are not known.
   */
  counting: boolean
  pv: number
  uv: number
  uvEstimate: boolean
  invalid: number
  linesRead: number
  bodyBytes: number
  firstTime: number | null
  lastTime: number | null
  format: string | null
  formatDetected: boolean | null
  series: Series | null
  memory: MemorySample[]
  topIps: { ip: string; pv: number }[]
  statuses: StatusCount[]
  detail: AnalysisDetail | null
  job: JobEvent | null
}

export function buildModel(
  detail: AnalysisDetail | null,
  live: LiveState | undefined,
): DashboardModel {
  const sum = detail?.summary
  const jobState = live?.job?.state
  // A job event is newer than a detail fetched before it; a finished detail wins over partials.
  // When the job has ended but the detail on hand is still an active one, the final figures are
  // being fetched: keep showing the run until they arrive, so "complete" never shows stale (or
  // zero) figures. A detail fetched while the job still waited for its process says queued: the
  // progress that came since says it ran.
  const status: AnalysisStatus =
    sum && !isActive(sum.status)
      ? sum.status
      : sum && jobState && !isActive(jobState)
        ? sum.status === 'queued' && live?.progress
          ? 'running'
          : sum.status
        : (jobState ?? sum?.status ?? 'queued')
  const useLive = isActive(status) || (!!live?.partial && (!sum || isActive(sum.status)))
  const p = useLive ? live?.partial : null
  const known = !!sum || !!live?.progress || !!live?.partial || !!live?.job
  return {
    status,
    known,
    live: known && isActive(status),
    counting: known && isActive(status) && !p,
    // While it runs, progress (every 250 ms) is fresher than partial results (every second).
    pv: Math.max(
      p ? p.pv : (sum?.pv ?? live?.progress?.pv ?? 0),
      (useLive && live?.progress?.pv) || 0,
    ),
    uv: p ? p.uv : (sum?.uv ?? 0),
    uvEstimate: !!p && isActive(status),
    invalid: Math.max(
      p ? p.invalid : (sum?.invalid ?? live?.progress?.invalid ?? 0),
      (useLive && live?.progress?.invalid) || 0,
    ),
    linesRead: useLive ? (live?.progress?.lines ?? 0) : (sum?.linesRead ?? 0),
    bodyBytes: p ? p.bodyBytes : (sum?.bodyBytes ?? 0),
    firstTime: p ? p.firstTime : (sum?.firstTime ?? null),
    lastTime: p ? p.lastTime : (sum?.lastTime ?? null),
    // The stored row holds the format asked for until the job has its own: 'auto' is none yet
    // (still detecting, or the run ended before it read a line).
    format: p ? p.format : sum?.format === AUTO_FORMAT ? null : (sum?.format ?? null),
    // Known only once the stored summary is final (detection may still be under way).
    formatDetected:
      p || isActive(status) || sum?.format === AUTO_FORMAT ? null : (sum?.formatDetected ?? null),
    series: p ? p.series : (detail?.series ?? null),
    memory: (useLive ? live?.memory : detail?.memory) ?? NO_MEMORY,
    topIps: (p ? p.topIps : detail?.topIps) ?? NO_IPS,
    statuses: (p ? p.statuses : detail?.statuses) ?? NO_STATUSES,
    detail,
    job: live?.job ?? null,
  }
}

export function useAnalysis(id: number) {
  const { api, client, live } = useServices()
  const [state, setState] = useState<LoadState>({ status: 'loading' })
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => setTick((n) => n + 1), [])
  const liveNow = useStore(live.store).get(id)
  // Live events re-render the dashboard in the background (time-sliced), so a burst of
  // partials never blocks the page; the progress bar reads the store directly.
  const liveState = useDeferredValue(liveNow)
  const jobState = liveNow?.job?.state
  // The job ended: fetch the full, final detail (the key changes once, when it ends).
  const ended = jobState && !isActive(jobState) ? jobState : ''

  useEffect(() => {
    let alive = true
    api.getAnalysis({ id }).then(
      (detail) => alive && startTransition(() => setState({ status: 'ready', detail })),
      (error: unknown) =>
        // While running, live events carry the dashboard even if the detail is not there yet.
        alive && setState((prev) => (prev.status === 'ready' ? prev : { status: 'error', error })),
    )
    return () => {
      alive = false
    }
  }, [api, id, tick, ended])

  useEffect(() => client.onReconnect(reload), [client, reload])

  const detail = state.status === 'ready' && state.detail.summary.id === id ? state.detail : null
  const model = useMemo(() => buildModel(detail, liveState), [detail, liveState])
  return { state, model, reload }
}
