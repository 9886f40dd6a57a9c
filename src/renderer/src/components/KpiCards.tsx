// The headline numbers. data-value carries the raw integer for tests and tools.
import { memo, type ReactNode } from 'react'
import { useI18n, useTimeZone } from '../context'
import { formatShort } from '../formats'
import type { DashboardModel } from '../state/useAnalysis'

/**
 * Longer figures (≈ 1,999,773; a PV in the hundreds of millions) take a smaller face, so a
 * six-across row still shows them whole at 1280 px.
 */
const LONG_VALUE = 9

function Kpi(props: {
  id: string
  label: string
  value: ReactNode
  raw?: number
  sub?: ReactNode
  title?: string
  accent?: boolean
  /** Words rather than a number: a smaller face so names fit. */
  text?: boolean
}) {
  return (
    <div
      className={'kpi' + (props.accent ? ' kpi-accent' : '')}
      data-testid={`kpi-${props.id}`}
      data-value={props.raw}
      role="group"
      aria-labelledby={`kpi-${props.id}-label`}
    >
      <div className="kpi-label" id={`kpi-${props.id}-label`}>
        {props.label}
      </div>
      <div
        className={
          'kpi-value' +
          (props.text ? ' kpi-value-text' : '') +
          (typeof props.value === 'string' && props.value.length > LONG_VALUE
            ? ' kpi-value-long'
            : '')
        }
        title={props.title ?? (typeof props.value === 'string' ? props.value : undefined)}
      >
        {props.value}
      </div>
      {props.sub ? <div className="kpi-sub">{props.sub}</div> : null}
    </div>
  )
}

function KpiCardsView({ m, tzOffset }: { m: DashboardModel; tzOffset: number | null }) {
  const { t, fmt } = useI18n()
  const tz = useTimeZone(tzOffset)
  const lines = m.pv + m.invalid
  const range =
    m.firstTime !== null && m.lastTime !== null ? (
      <span className="kpi-range">
        <span>{fmt.logTime(m.firstTime, 'full', tz)}</span>
        <span>{fmt.logTime(m.lastTime, 'full', tz)}</span>
      </span>
    ) : (
      '—'
    )
  return (
    <div className="kpis" aria-live="off">
      <Kpi
        id="pv"
        label={t('kpi.pv')}
        value={fmt.int(m.pv)}
        raw={m.pv}
        sub={t('kpi.pvSub')}
        accent
      />
      <Kpi
        id="uv"
        label={t('kpi.uv')}
        value={m.counting ? '—' : (m.uvEstimate ? '≈ ' : '') + fmt.int(m.uv)}
        raw={m.counting ? undefined : m.uv}
        sub={m.counting ? t('kpi.counting') : m.uvEstimate ? t('kpi.uvEstimate') : t('kpi.uvExact')}
        accent
      />
      <Kpi
        id="invalid"
        label={t('kpi.invalid')}
        value={fmt.int(m.invalid)}
        raw={m.invalid}
        sub={lines > 0 ? t('kpi.invalidShare', { share: fmt.share(m.invalid / lines) }) : undefined}
      />
      <Kpi
        id="bandwidth"
        label={t('kpi.bandwidth')}
        value={m.counting ? '—' : fmt.bytes(m.bodyBytes)}
        raw={m.counting ? undefined : m.bodyBytes}
        sub={m.counting ? t('kpi.counting') : t('kpi.bandwidthSub')}
      />
      <Kpi
        id="range"
        label={t('kpi.range')}
        value={range}
        sub={
          m.firstTime !== null && m.lastTime !== null
            ? `${t('kpi.rangeSpan', { duration: fmt.duration(m.lastTime - m.firstTime) })} · ${fmt.zoneLabel(tz)}`
            : undefined
        }
      />
      <Kpi
        id="format"
        text
        label={t('kpi.format')}
        value={m.format ? formatShort(m.format) : '—'}
        title={m.format ?? undefined}
        sub={
          m.formatDetected === null
            ? undefined
            : m.formatDetected
              ? t('format.detected')
              : t('format.chosen')
        }
      />
    </div>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const KpiCards = memo(KpiCardsView)
