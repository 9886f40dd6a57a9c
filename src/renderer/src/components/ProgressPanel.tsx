// Progress of an analysis: live while it runs (bytes bar, lines, speed, ETA, elapsed, memory,
// Cancel), then a finished strip with the same bar and what the run took.
import { memo, useState } from 'react'
import type { AnalysisSummary, ProgressEvent } from '../../../shared/types'
import { useI18n, useServices, useStore } from '../context'
import { Icon } from './Icon'

const MB = 1024 * 1024

interface Stat {
  label: string
  value: string
  testId: string
}

export function Bar({
  ratio,
  label,
  testId = 'progress',
  valueText,
}: {
  ratio: number
  label: string
  testId?: string
  /** What a screen reader says for the value (default: the percentage). */
  valueText?: string
}) {
  const { fmt } = useI18n()
  const pct = Math.floor(ratio * 100)
  return (
    <div
      className="progress-track"
      role="progressbar"
      data-testid={testId}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={valueText ?? fmt.percent(ratio)}
      data-value={pct}
    >
      <div className="progress-fill" style={{ transform: `scaleX(${ratio})` }} />
    </div>
  )
}

function Stats({ stats }: { stats: Stat[] }) {
  return (
    <dl className="progress-stats">
      {stats.map((s) => (
        <div key={s.testId} className="stat">
          <dt>{s.label}</dt>
          <dd data-testid={s.testId}>{s.value}</dd>
        </div>
      ))}
    </dl>
  )
}

/** Live progress of one analysis; subscribes to the live store itself (updates ≥ 4 per second). */
export const ProgressPanel = memo(function ProgressPanel(props: {
  id: number
  onCancel(id: number): Promise<void>
}) {
  const { t, fmt } = useI18n()
  const { live } = useServices()
  const [cancelling, setCancelling] = useState(false)
  const entry = useStore(live.store).get(props.id)
  const p: ProgressEvent | null = entry?.progress ?? null
  // The job has ended and the final figures are on their way: nothing left to cancel.
  const ended = !!entry?.job && entry.job.state !== 'running' && entry.job.state !== 'queued'
  const ratio = p && p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0
  const stats: Stat[] = p
    ? [
        { label: t('progress.lines'), value: fmt.int(p.lines), testId: 'progress-lines' },
        {
          label: t('progress.speed'),
          value: t('progress.mbps', { value: fmt.speed(p.mbPerSecond) }),
          testId: 'progress-speed',
        },
        {
          label: t('progress.eta'),
          value: p.saving
            ? '—'
            : p.etaMs === null
              ? t('progress.estimating')
              : fmt.duration(p.etaMs),
          testId: 'progress-eta',
        },
        {
          label: t('progress.elapsed'),
          value: fmt.duration(p.elapsedMs),
          testId: 'progress-elapsed',
        },
        { label: t('progress.memory'), value: fmt.bytes(p.rssBytes), testId: 'progress-memory' },
      ]
    : []

  return (
    <section className="progress-panel" aria-labelledby="progress-title" data-state="running">
      <div className="progress-head">
        <div>
          <h2 className="progress-title" id="progress-title">
            <span className="pulse" aria-hidden="true" />
            {t(
              p?.saving
                ? 'progress.titleSaving'
                : p?.ranges
                  ? 'progress.titleCounting'
                  : 'progress.title',
            )}
          </h2>
          <p className="progress-sub">
            {p?.saving
              ? t('progress.saving', {
                  total: fmt.bytes(p.bytesTotal),
                  clients: fmt.int(p.saving.clients),
                })
              : p?.ranges
                ? t('progress.ranges', {
                    total: fmt.bytes(p.bytesTotal),
                    done: fmt.int(p.ranges.done),
                    ranges: fmt.int(p.ranges.total),
                  })
                : p
                  ? t('progress.read', {
                      done: fmt.bytes(p.bytesDone),
                      total: fmt.bytes(p.bytesTotal),
                    }) + (p.currentFile ? ' · ' + t('progress.file', { file: p.currentFile }) : '')
                  : t('progress.starting')}
          </p>
        </div>
        <div className="progress-pct" aria-hidden="true">
          {fmt.percent(ratio)}
        </div>
        <button
          type="button"
          className="btn"
          data-testid="cancel"
          disabled={cancelling || ended}
          onClick={() => {
            setCancelling(true)
            void props.onCancel(props.id)
          }}
        >
          <Icon name="stop" />
          {cancelling ? t('progress.cancelling') : t('progress.cancel')}
        </button>
      </div>
      <Bar ratio={ratio} label={t('progress.label')} />
      <Stats stats={stats} />
    </section>
  )
})

/** After the run: the bar where reading stopped, and what it took. */
export function RunSummary({ s }: { s: AnalysisSummary }) {
  const { t, fmt } = useI18n()
  const ratio = s.totalBytes > 0 ? Math.min(1, s.bytesRead / s.totalBytes) : 1
  const mbps = s.elapsedMs > 0 ? s.bytesRead / MB / (s.elapsedMs / 1000) : 0
  const done = s.status === 'complete'
  // Every byte read (a file left out is not counted in the total): not "stopped after".
  const readAll = done || (s.status !== 'running' && s.bytesRead >= s.totalBytes)
  return (
    <section
      className={'progress-panel run-summary' + (done ? ' is-done' : ' is-stopped')}
      aria-labelledby="run-title"
      data-state={s.status}
    >
      <div className="progress-head">
        <div>
          <h2 className="progress-title" id="run-title">
            <Icon name={done ? 'check' : 'alert'} />
            {t(readAll ? 'run.done' : 'run.stopped', {
              read: fmt.bytes(s.bytesRead),
              total: fmt.bytes(s.totalBytes),
            })}
          </h2>
        </div>
        <div className="progress-pct" aria-hidden="true">
          {fmt.percent(ratio)}
        </div>
      </div>
      <Bar ratio={ratio} label={t('progress.label')} />
      <Stats
        stats={[
          { label: t('progress.lines'), value: fmt.int(s.linesRead), testId: 'run-lines' },
          {
            label: t('run.speed'),
            value: t('progress.mbps', { value: fmt.speed(mbps) }),
            testId: 'run-speed',
          },
          { label: t('run.elapsed'), value: fmt.duration(s.elapsedMs), testId: 'run-elapsed' },
          { label: t('run.peak'), value: fmt.bytes(s.peakRssBytes), testId: 'run-peak' },
          {
            label: t('run.finished'),
            value: s.finishedAt ? fmt.dateTime(s.finishedAt) : '—',
            testId: 'run-finished',
          },
        ]}
      />
    </section>
  )
}
