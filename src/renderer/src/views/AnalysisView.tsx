// The dashboard of one analysis: live while it runs, then the full stored view.
import { MEMORY_BUDGET_BYTES, undatedRequests } from '../../../shared/types'
import { useMemoryShape, useStatusShape, useTopIpsShape, useTrafficShape } from '../charts/hooks'
import { useId, useState } from 'react'
import { AnalysisFileList, AnalysisMeta } from '../components/AnalysisMeta'
import { ExportMenu } from '../components/ExportMenu'
import { Icon } from '../components/Icon'
import { InvalidPanel } from '../components/InvalidPanel'
import { IpTable } from '../components/IpTable'
import { KpiCards } from '../components/KpiCards'
import { MemoryChart } from '../components/MemoryChart'
import { OutcomeBanner } from '../components/OutcomeBanner'
import { ProgressPanel, RunSummary } from '../components/ProgressPanel'
import { StatusBadge } from '../components/StatusBadge'
import { StatusPanel } from '../components/StatusPanel'
import { TimeModeSwitch } from '../components/TimeModeSwitch'
import { TopIpsChart } from '../components/TopIpsChart'
import { TopLists } from '../components/TopLists'
import { TrafficChart } from '../components/TrafficChart'
import { useI18n, useServices } from '../context'
import { useActions } from '../state/actions'
import { isActive, useAnalysis } from '../state/useAnalysis'
import { ExportContext, useExporter } from '../state/useExport'

export function AnalysisView({ id }: { id: number }) {
  const { t, err } = useI18n()
  const { navigate, appInfo } = useServices()
  const actions = useActions()
  const [filesOpen, setFilesOpen] = useState(false)
  const fileListId = useId()
  const { state, model: m, reload } = useAnalysis(id)
  const traffic = useTrafficShape(m.series)
  const memory = useMemoryShape(m.memory)
  const topIps = useTopIpsShape(m.topIps)
  const statuses = useStatusShape(m.statuses)

  const detail = m.detail
  const s = detail?.summary
  const tzOffset = s?.tzOffsetMinutes ?? null
  const budget = appInfo?.memoryBudgetBytes ?? MEMORY_BUDGET_BYTES
  // Finished once the stored detail itself says so: between the job's end and the final detail,
  // the live panel stays (a stale "running" detail must not flash an empty run summary).
  const finished = !!detail && !isActive(detail.summary.status)
  const waiting = !finished && m.known
  const exporter = useExporter(id, !finished)

  const back = (
    <button
      type="button"
      className="btn btn-ghost btn-sm back"
      onClick={() => navigate({ name: 'home' })}
    >
      <Icon name="back" />
      {t('analysis.back')}
    </button>
  )

  if (!m.known && state.status === 'loading') {
    return (
      <div className="analysis" aria-busy="true">
        {back}
        <div className="skeleton skeleton-title" />
        <div className="kpis">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="kpi skeleton-kpi" />
          ))}
        </div>
        <p className="sr-only" role="status">
          {t('common.loading')}
        </p>
      </div>
    )
  }

  if (state.status === 'error' && !m.known) {
    return (
      <div className="analysis">
        {back}
        <div className="outcome outcome-error" role="alert">
          <Icon name="alert" size={18} />
          <div className="outcome-body">
            <p className="outcome-title">{t('analysis.loadError')}</p>
            <p className="outcome-line">{err(state.error)}</p>
            <div className="outcome-actions">
              <button type="button" className="btn btn-primary" onClick={reload}>
                <Icon name="refresh" />
                {t('common.retry')}
              </button>
              <button type="button" className="btn" onClick={() => navigate({ name: 'home' })}>
                {t('nav.home')}
              </button>
            </div>
          </div>
        </div>
      </div>
    )
  }

  const files = s?.files ?? []

  return (
    <div className="analysis" data-testid="analysis" data-status={m.status} data-id={id}>
      <div className="analysis-head">
        <div className="analysis-head-main">
          {back}
          <div className="analysis-title-row">
            <h1 className="analysis-title">
              {s?.name ?? (state.status === 'loading' ? t('common.loading') : '—')}
            </h1>
            <StatusBadge status={m.status} pv={s?.pv} />
          </div>
          {s ? (
            <AnalysisMeta
              summary={s}
              listOpen={filesOpen}
              listId={fileListId}
              onToggleList={() => setFilesOpen((o) => !o)}
            />
          ) : null}
        </div>
        <div className="analysis-actions">
          <TimeModeSwitch offsetMinutes={tzOffset} />
          {finished ? (
            <button
              type="button"
              className="btn"
              onClick={() => void actions.rerun(id)}
              data-testid="rerun"
            >
              <Icon name="refresh" />
              {t('analysis.rerun')}
            </button>
          ) : null}
          <ExportMenu exporter={exporter} />
        </div>
      </div>

      {s && filesOpen && files.length > 1 ? <AnalysisFileList summary={s} id={fileListId} /> : null}

      {waiting ? <ProgressPanel id={id} onCancel={actions.cancel} /> : null}
      {finished ? <OutcomeBanner detail={detail} status={m.status} /> : null}
      {finished ? <RunSummary s={detail.summary} /> : null}

      <KpiCards m={m} tzOffset={tzOffset} />

      <ExportContext.Provider value={exporter}>
        <div className="grid">
          <TrafficChart
            shape={traffic}
            tzOffset={tzOffset}
            live={waiting}
            undated={finished ? undatedRequests(detail.summary.pv, detail.series) : 0}
          />
          <StatusPanel rows={statuses} live={waiting} />
          <MemoryChart
            shape={memory}
            budget={budget}
            live={waiting}
            peak={finished ? s!.peakRssBytes : undefined}
          />
          <TopIpsChart rows={topIps} live={waiting} />
          <IpTable id={id} ready={finished && s!.pv > 0} tzOffset={tzOffset} live={waiting} />
          <TopLists top={finished ? detail.top : null} total={m.pv} live={waiting} />
          <InvalidPanel
            invalid={finished ? detail.invalid : null}
            totalInvalid={m.invalid}
            live={waiting}
            showFiles={files.length > 1}
          />
        </div>
      </ExportContext.Provider>
    </div>
  )
}
