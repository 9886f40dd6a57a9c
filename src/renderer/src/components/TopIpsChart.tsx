// The busiest client IPs as horizontal bars (HTML: crisp text, no chart engine needed).
import { memo } from 'react'
import type { BarRow } from '../charts/shape'
import { useI18n } from '../context'
import { Empty, Panel } from './Panel'

function TopIpsChartView(props: { rows: BarRow[]; live: boolean }) {
  const { t, fmt } = useI18n()
  const { rows } = props
  const max = rows[0]?.value || 1
  return (
    <Panel
      id="top-ips"
      className="span-6"
      title={t('chart.topIps')}
      subtitle={t('chart.topIps.sub')}
    >
      {rows.length === 0 ? (
        <Empty tone={props.live ? 'wait' : 'muted'}>
          {props.live ? t('analysis.liveNote') : t('common.noData')}
        </Empty>
      ) : (
        <div
          className="chart"
          role="img"
          data-testid="chart-top-ips"
          data-top-ip={rows[0]!.key}
          aria-label={t('chart.topIps.aria', {
            count: rows.length,
            ip: rows[0]!.key,
            requests: rows[0]!.value,
          })}
        >
          <ol className="hbars" aria-hidden="true">
            {rows.map((r) => (
              <li key={r.key}>
                <span className="hbar-key mono" title={r.key}>
                  {r.key}
                </span>
                <span className="hbar-track">
                  <span className="hbar-fill" style={{ width: `${(r.value / max) * 100}%` }} />
                </span>
                <span className="num">{fmt.int(r.value)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </Panel>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const TopIpsChart = memo(TopIpsChartView)
