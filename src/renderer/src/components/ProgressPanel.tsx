// Live progress while an analysis runs: bytes bar, lines, speed, ETA, elapsed, memory, Cancel.
import { useState } from 'react'
import type { ProgressEvent } from '../../../shared/types'
import { useI18n } from '../context'
import { Icon } from './Icon'

export function ProgressPanel(props: {
  progress: ProgressEvent | null
  onCancel(): Promise<void>
}) {
  const { t, fmt } = useI18n()
  const [cancelling, setCancelling] = useState(false)
  const p = props.progress
  const ratio = p && p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0
  const pct = Math.floor(ratio * 100)

  const stats: { label: string; value: string; testId: string }[] = p
    ? [
        { label: t('progress.lines'), value: fmt.int(p.lines), testId: 'progress-lines' },
        {
          label: t('progress.speed'),
          value: t('progress.mbps', {
            value: fmt.decimal(p.mbPerSecond, p.mbPerSecond < 100 ? 1 : 0),
          }),
          testId: 'progress-speed',
        },
        {
          label: t('progress.eta'),
          value: p.etaMs === null ? t('progress.estimating') : fmt.duration(p.etaMs),
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
    <section className="progress-panel" aria-labelledby="progress-title">
      <div className="progress-head">
        <div>
          <h2 className="progress-title" id="progress-title">
            <span className="pulse" aria-hidden="true" />
            {t('progress.title')}
          </h2>
          <p className="progress-sub">
            {p
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
          disabled={cancelling}
          onClick={() => {
            setCancelling(true)
            void props.onCancel()
          }}
        >
          <Icon name="stop" />
          {cancelling ? t('progress.cancelling') : t('progress.cancel')}
        </button>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        data-testid="progress"
        aria-label={t('progress.label')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={fmt.percent(ratio)}
        data-value={pct}
      >
        <div className="progress-fill" style={{ transform: `scaleX(${ratio})` }} />
      </div>
      <dl className="progress-stats">
        {stats.map((s) => (
          <div key={s.testId} className="stat">
            <dt>{s.label}</dt>
            <dd data-testid={s.testId}>{s.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
