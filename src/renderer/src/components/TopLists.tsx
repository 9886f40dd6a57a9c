// Top requested paths, user agents (bots marked) and referrers, as tabs. Log text is rendered as
// React text only: a path like `<script>` shows as those characters, never as markup.
import { memo, useRef, useState } from 'react'
import type { TopItem, TopKind } from '../../../shared/types'
import { useI18n } from '../context'
import type { MessageKey } from '../i18n/en'
import { Icon } from './Icon'
import { Empty, Panel } from './Panel'

const COLLAPSED_ROWS = 20

const TABS: { kind: TopKind; label: MessageKey }[] = [
  { kind: 'path', label: 'top.paths' },
  { kind: 'agent', label: 'top.agents' },
  { kind: 'referrer', label: 'top.referrers' },
]

function TopListsView(props: {
  top: Record<TopKind, TopItem[]> | null
  total: number
  live: boolean
}) {
  const { t } = useI18n()
  const [tab, setTab] = useState<TopKind>('path')
  // The first rows answer most questions; the rest (up to 100) on request.
  const [expanded, setExpanded] = useState(false)
  const refs = useRef<(HTMLButtonElement | null)[]>([])

  const onKey = (e: React.KeyboardEvent, i: number) => {
    const n = TABS.length
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % n
        : e.key === 'ArrowLeft'
          ? (i - 1 + n) % n
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : -1
    if (next < 0) return
    e.preventDefault()
    setTab(TABS[next]!.kind)
    refs.current[next]?.focus()
  }

  const tabs = (
    <div
      className="tabs"
      role="tablist"
      aria-label={t('top.paths') + ' / ' + t('top.agents') + ' / ' + t('top.referrers')}
    >
      {TABS.map((tb, i) => (
        <button
          key={tb.kind}
          ref={(el) => {
            refs.current[i] = el
          }}
          type="button"
          role="tab"
          id={`tab-${tb.kind}`}
          aria-selected={tab === tb.kind}
          aria-controls={`tabpanel-${tb.kind}`}
          tabIndex={tab === tb.kind ? 0 : -1}
          className={tab === tb.kind ? 'on' : ''}
          onClick={() => setTab(tb.kind)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t(tb.label)}
        </button>
      ))}
    </div>
  )

  const items = props.top?.[tab] ?? []
  return (
    <Panel
      id="top-lists"
      className="span-12"
      title={t(TABS.find((x) => x.kind === tab)!.label)}
      actions={tabs}
    >
      <div
        role="tabpanel"
        id={`tabpanel-${tab}`}
        aria-labelledby={`tab-${tab}`}
        data-testid={`top-${tab}`}
      >
        {!props.top ? (
          <Empty tone="wait">{props.live ? t('analysis.afterFinish') : t('common.noData')}</Empty>
        ) : items.length === 0 ? (
          <Empty>{t('top.empty')}</Empty>
        ) : (
          <>
            <TopList
              items={expanded ? items : items.slice(0, COLLAPSED_ROWS)}
              total={props.total}
              kind={tab}
            />
            {items.length > COLLAPSED_ROWS ? (
              <button
                type="button"
                className="btn btn-ghost top-more"
                aria-expanded={expanded}
                onClick={() => setExpanded((x) => !x)}
                data-testid="top-more"
              >
                <Icon name={expanded ? 'chevronUp' : 'chevronDown'} size={14} />
                {expanded ? t('top.showFewer') : t('top.showAll', { n: items.length })}
              </button>
            ) : null}
          </>
        )}
      </div>
    </Panel>
  )
}

function TopList({ items, total, kind }: { items: TopItem[]; total: number; kind: TopKind }) {
  const { t, fmt } = useI18n()
  const max = items[0]?.count || 1
  return (
    <ol
      className="top-list"
      style={{ '--rows': Math.ceil(items.length / 2) } as React.CSSProperties}
    >
      {items.map((it, i) => {
        const empty = it.key === '' || it.key === '-'
        return (
          <li key={i} className="top-item">
            <span className="top-rank" aria-hidden="true">
              {i + 1}
            </span>
            <span className="top-main">
              <span className="top-key-row">
                <span
                  className={
                    'top-key' + (kind === 'agent' ? '' : ' mono') + (empty ? ' muted' : '')
                  }
                  title={it.key}
                >
                  {empty ? t('common.none') : it.key}
                </span>
                {it.bot ? (
                  <span className="tag tag-bot">
                    <Icon name="bot" size={12} />
                    {t('top.bot')}
                  </span>
                ) : null}
              </span>
              <span className="bar-track" aria-hidden="true">
                <span
                  className={'bar-fill' + (it.bot ? ' is-bot' : '')}
                  style={{ width: `${(it.count / max) * 100}%` }}
                />
              </span>
            </span>
            <span
              className="top-count num"
              title={it.error > 0 ? t('top.approx', { error: it.error }) : undefined}
            >
              {it.error > 0 ? '≤ ' : ''}
              {fmt.int(it.count)}
              <span className="top-share">{total > 0 ? fmt.share(it.count / total) : ''}</span>
            </span>
          </li>
        )
      })}
    </ol>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const TopLists = memo(TopListsView)
