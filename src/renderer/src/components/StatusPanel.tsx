// Status codes: the class split as one stacked bar, then the most frequent codes.
import { memo } from 'react'
import type { StatusClass, StatusRow } from '../charts/shape'
import { useI18n } from '../context'
import { Empty, Panel } from './Panel'

const CLASSES: StatusClass[] = ['2xx', '3xx', '4xx', '5xx', '1xx', 'other']

function StatusPanelView(props: { rows: StatusRow[]; live: boolean }) {
  const { t, fmt } = useI18n()
  const { rows } = props
  const byClass = new Map<StatusClass, number>()
  let total = 0
  for (const r of rows) {
    byClass.set(r.cls, (byClass.get(r.cls) ?? 0) + r.count)
    total += r.count
  }
  const max = rows[0]?.count ?? 1
  const summary = rows.map((r) => `${r.status}: ${fmt.int(r.count)}`).join(', ')
  return (
    <Panel
      id="statuses"
      exportChart={rows.length > 0 ? 'statuses' : undefined}
      className="span-4"
      title={t('chart.statuses')}
    >
      {rows.length === 0 ? (
        <Empty tone={props.live ? 'wait' : 'muted'}>
          {props.live ? t('analysis.liveNote') : t('common.noData')}
        </Empty>
      ) : (
        <div
          className="statuses"
          role="img"
          aria-label={t('chart.statuses.aria', { list: summary })}
          data-testid="statuses"
        >
          <div className="status-split" aria-hidden="true">
            {CLASSES.filter((c) => byClass.get(c)).map((c) => (
              <span
                key={c}
                className={'seg cls-' + c}
                style={{ flexGrow: byClass.get(c) }}
                title={c}
              />
            ))}
          </div>
          <ul className="status-classes" aria-hidden="true">
            {CLASSES.filter((c) => byClass.get(c)).map((c) => (
              <li key={c}>
                <span className={'dot cls-' + c} />
                {c}
                <b>{fmt.share((byClass.get(c) ?? 0) / (total || 1))}</b>
              </li>
            ))}
          </ul>
          <ol className="bar-list" aria-hidden="true">
            {rows.map((r) => (
              <li key={r.status}>
                <span className={'code cls-' + r.cls}>{r.status}</span>
                <span className="bar-track">
                  <span
                    className={'bar-fill cls-' + r.cls}
                    style={{ width: `${(r.count / max) * 100}%` }}
                  />
                </span>
                <span className="num">{fmt.int(r.count)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </Panel>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const StatusPanel = memo(StatusPanelView)
