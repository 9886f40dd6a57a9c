// Every client IP, paged from SQLite: search by IP or prefix, sort by any column.
import { Fragment, memo, useState, type ReactNode } from 'react'
import type { IpRow, IpSortKey } from '../../../shared/types'
import { useI18n, useTimeZone } from '../context'
import type { MessageKey } from '../i18n/en'
import { useDebounced, useIpQuery, type IpQuery } from '../state/useIpQuery'
import { Icon } from './Icon'
import { Empty, Panel } from './Panel'
import { SearchBox } from './SearchBox'

const PAGE_SIZE = 50

const COLUMNS: { key: IpSortKey; label: MessageKey; num?: boolean; firstDir: 'asc' | 'desc' }[] = [
  { key: 'ip', label: 'ips.col.ip', firstDir: 'asc' },
  { key: 'pv', label: 'ips.col.pv', num: true, firstDir: 'desc' },
  { key: 'bytes', label: 'ips.col.bytes', num: true, firstDir: 'desc' },
  { key: 'firstSeen', label: 'ips.col.firstSeen', firstDir: 'asc' },
  { key: 'lastSeen', label: 'ips.col.lastSeen', firstDir: 'desc' },
]

function IpTableView(props: {
  id: number
  ready: boolean
  tzOffset: number | null
  live: boolean
}) {
  const { t, fmt, err } = useI18n()
  const tz = useTimeZone(props.tzOffset)
  const [searchText, setSearchText] = useState('')
  const search = useDebounced(searchText, 200)
  const [sort, setSort] = useState<{ key: IpSortKey; dir: 'asc' | 'desc' }>({
    key: 'pv',
    dir: 'desc',
  })
  const [pageNo, setPageNo] = useState(0)
  const [reloadKey, setReloadKey] = useState(0)
  const q: IpQuery = { search, sort: sort.key, dir: sort.dir, page: pageNo, pageSize: PAGE_SIZE }
  const page = useIpQuery(props.id, q, props.ready, reloadKey)
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE))
  const from = page.total === 0 ? 0 : pageNo * PAGE_SIZE + 1
  const to = Math.min(page.total, (pageNo + 1) * PAGE_SIZE)
  const sortLabel = t(COLUMNS.find((c) => c.key === sort.key)!.label)

  const toggleSort = (key: IpSortKey, firstDir: 'asc' | 'desc') => {
    setSort((s) =>
      s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: firstDir },
    )
    setPageNo(0)
  }

  const searchBox = (
    <SearchBox
      testId="ip-search"
      value={searchText}
      placeholder={t('ips.searchPlaceholder')}
      label={t('ips.search')}
      disabled={!props.ready}
      onChange={(text) => {
        setSearchText(text)
        setPageNo(0)
      }}
    />
  )

  let body
  if (!props.ready)
    body = <Empty tone="wait">{props.live ? t('analysis.afterFinish') : t('common.noData')}</Empty>
  else
    body = (
      <>
        <div className="table-wrap ip-table-wrap">
          <table
            className="table ip-table"
            data-testid="ip-table"
            aria-busy={page.status === 'loading'}
          >
            <caption className="sr-only">
              {t('ips.caption', {
                column: sortLabel,
                dir: t(sort.dir === 'asc' ? 'ips.asc' : 'ips.desc'),
              })}
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const active = sort.key === c.key
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.num ? 'num' : ''}
                      aria-sort={
                        active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'
                      }
                    >
                      <button
                        type="button"
                        className={'sort' + (active ? ' is-active' : '')}
                        onClick={() => toggleSort(c.key, c.firstDir)}
                        data-testid={`ip-sort-${c.key}`}
                        title={t('ips.sortBy', { column: t(c.label) })}
                      >
                        {t(c.label)}
                        <span
                          className={'sort-arrow ' + (active ? sort.dir : '')}
                          aria-hidden="true"
                        >
                          {active ? (sort.dir === 'asc' ? '↑' : '↓') : '↕'}
                        </span>
                      </button>
                    </th>
                  )
                })}
                <th scope="col">{t('ips.col.statuses')}</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <IpTr key={r.ip} r={r} fmtTime={(ms) => fmt.logTime(ms, 'full', tz)} />
              ))}
            </tbody>
          </table>
          {page.status === 'ready' && page.rows.length === 0 ? (
            <Empty>
              {search.trim() ? t('ips.noMatch', { query: search.trim() }) : t('ips.empty')}
            </Empty>
          ) : null}
          {page.status === 'error' ? (
            <Empty>
              <p role="alert">{err(page.error)}</p>
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => setReloadKey((k) => k + 1)}
              >
                <Icon name="refresh" />
                {t('common.retry')}
              </button>
            </Empty>
          ) : null}
        </div>
        <nav className="pager" aria-label={t('ips.page', { page: pageNo + 1, pages })}>
          <span
            className="pager-range"
            data-testid="ip-range"
            data-total={page.total}
            aria-live="polite"
          >
            {page.total === 0
              ? t('ips.rangeEmpty', { total: 0 })
              : t('ips.range', { from, to, total: page.total })}
          </span>
          <span className="pager-buttons">
            <PagerButton
              icon="chevronsLeft"
              label={t('ips.first')}
              disabled={pageNo === 0}
              onClick={() => setPageNo(0)}
            />
            <PagerButton
              icon="chevronLeft"
              label={t('ips.prev')}
              disabled={pageNo === 0}
              onClick={() => setPageNo((p) => p - 1)}
            />
            <span className="pager-page">{t('ips.page', { page: pageNo + 1, pages })}</span>
            <PagerButton
              icon="chevronRight"
              label={t('ips.next')}
              disabled={pageNo >= pages - 1}
              onClick={() => setPageNo((p) => p + 1)}
            />
            <PagerButton
              icon="chevronsRight"
              label={t('ips.last')}
              disabled={pageNo >= pages - 1}
              onClick={() => setPageNo(pages - 1)}
            />
          </span>
        </nav>
      </>
    )

  return (
    <Panel id="ip-table" className="span-12" title={t('ips.title')} actions={searchBox}>
      {body}
    </Panel>
  )
}

function PagerButton(props: {
  icon: 'chevronsLeft' | 'chevronLeft' | 'chevronRight' | 'chevronsRight'
  label: string
  disabled: boolean
  onClick(): void
}) {
  return (
    <button
      type="button"
      className="btn btn-sm btn-icon"
      aria-label={props.label}
      title={props.label}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <Icon name={props.icon} />
    </button>
  )
}

function IpTr({ r, fmtTime }: { r: IpRow; fmtTime(ms: number): string }) {
  const { fmt } = useI18n()
  const total = r.s2xx + r.s3xx + r.s4xx + r.s5xx || 1
  const classes: [string, number][] = [
    ['2xx', r.s2xx],
    ['3xx', r.s3xx],
    ['4xx', r.s4xx],
    ['5xx', r.s5xx],
  ]
  return (
    <tr data-testid="ip-row">
      <td className="mono ip-cell">{breakableIp(r.ip)}</td>
      <td className="num">{fmt.int(r.pv)}</td>
      <td className="num">{fmt.bytes(r.bytes)}</td>
      <td className="seen-cell muted">{fmtTime(r.firstSeen)}</td>
      <td className="seen-cell muted">{fmtTime(r.lastSeen)}</td>
      <td>
        <span
          className="mini-split"
          role="img"
          aria-label={classes.map(([c, n]) => `${c} ${fmt.int(n)}`).join(', ')}
          title={classes.map(([c, n]) => `${c}: ${fmt.int(n)}`).join('\n')}
        >
          {classes.map(([c, n]) =>
            n > 0 ? (
              <span key={c} className={'seg cls-' + c} style={{ flexGrow: n / total }} />
            ) : null,
          )}
        </span>
      </td>
    </tr>
  )
}

/**
 * An IPv6 address may break after a colon when the window is narrow (<wbr> adds no character:
 * what is copied is the address). IPv4 addresses are short and never break.
 */
function breakableIp(ip: string): ReactNode {
  if (!ip.includes(':')) return ip
  const parts = ip.split(':')
  return parts.map((p, i) => (
    <Fragment key={i}>
      {p}
      {i < parts.length - 1 ? (
        <>
          :<wbr />
        </>
      ) : null}
    </Fragment>
  ))
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const IpTable = memo(IpTableView)
