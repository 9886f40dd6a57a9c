// Lines that did not match the format: counts by reason, with a few samples shown as text (and,
// when the analysis read several files, the file each came from).
import { memo } from 'react'
import type { InvalidSummary } from '../../../shared/types'
import { useI18n } from '../context'
import { Icon } from './Icon'
import { Empty, Panel } from './Panel'

function InvalidPanelView(props: {
  invalid: InvalidSummary[] | null
  totalInvalid: number
  live: boolean
  /** Name each sample's file (the analysis read more than one). */
  showFiles?: boolean
}) {
  const { t, fmt } = useI18n()
  const list = [...(props.invalid ?? [])].sort((a, b) => b.count - a.count)
  return (
    <Panel
      id="invalid"
      className="span-12"
      title={t('invalid.title')}
      subtitle={
        props.totalInvalid > 0 ? t('invalid.count', { count: props.totalInvalid }) : undefined
      }
    >
      <div data-testid="invalid-panel">
        {!props.invalid ? (
          <Empty tone="wait">{props.live ? t('analysis.afterFinish') : t('common.noData')}</Empty>
        ) : list.length === 0 || props.totalInvalid === 0 ? (
          <Empty>{t('invalid.none')}</Empty>
        ) : (
          <ul className="invalid-list">
            {list.map((r) => (
              <li key={r.reason} className="invalid-item">
                <details>
                  <summary>
                    <span className="invalid-reason">
                      <Icon name="chevronRight" size={14} />
                      {t(`invalid.reason.${r.reason}`)}
                    </span>
                    <span className="num">{fmt.int(r.count)}</span>
                  </summary>
                  {r.samples.length > 0 ? (
                    <div className="samples">
                      <p className="samples-title">{t('invalid.samples')}</p>
                      <ol>
                        {r.samples.map((s, i) => {
                          const file = props.showFiles ? r.sampleFiles?.[i] : undefined
                          return (
                            <li key={i}>
                              {file ? (
                                <span className="sample-file">
                                  {t('invalid.sampleFile', { file })}
                                </span>
                              ) : null}
                              <code>{s}</code>
                            </li>
                          )
                        })}
                      </ol>
                    </div>
                  ) : null}
                </details>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Panel>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const InvalidPanel = memo(InvalidPanelView)
