// Past analyses: open, rename, delete. A table, because analysts compare rows.
import { useState } from 'react'
import { HISTORY_LIMIT, type AnalysisSummary } from '../../../shared/types'
import { useI18n, useServices } from '../context'
import { useHistory } from '../state/useHistory'
import { useDebounced } from '../state/useIpQuery'
import { Dialog } from './Dialog'
import { Icon } from './Icon'
import { Empty, Panel } from './Panel'
import { SearchBox } from './SearchBox'
import { StatusBadge } from './StatusBadge'

/** More analyses than this, and the list gets a filter box. */
const FILTER_FROM = 8

export function HistoryList() {
  const { t, err } = useI18n()
  const [filterText, setFilterText] = useState('')
  const filter = useDebounced(filterText, 150).trim()
  const { state, reload } = useHistory(filter)
  // Shown once the list is long, and kept while a filter is typed (its result may be short).
  const [long, setLong] = useState(false)
  const isLong = state.status === 'ready' && state.items.length > FILTER_FROM
  if (isLong && !long) setLong(true)
  const [renaming, setRenaming] = useState<AnalysisSummary | null>(null)
  const [deleting, setDeleting] = useState<AnalysisSummary | null>(null)

  let body
  if (state.status === 'loading') body = <Empty>{t('common.loading')}</Empty>
  else if (state.status === 'error')
    body = (
      <Empty>
        <p>
          {t('history.loadError')} {err(state.error)}
        </p>
        <button type="button" className="btn btn-sm" onClick={reload}>
          <Icon name="refresh" />
          {t('common.retry')}
        </button>
      </Empty>
    )
  else if (state.items.length === 0)
    body = <Empty>{filter ? t('history.noMatch', { text: filter }) : t('history.empty')}</Empty>
  else
    body = (
      <>
        <div className="table-wrap">
          <table className="table history-table" data-testid="history">
            <thead>
              <tr>
                <th scope="col">{t('history.col.name')}</th>
                <th scope="col" className="history-files">
                  {t('history.col.files')}
                </th>
                <th scope="col" className="num history-size">
                  {t('history.col.size')}
                </th>
                <th scope="col">{t('history.col.date')}</th>
                <th scope="col" className="num">
                  {t('history.col.pv')}
                </th>
                <th scope="col" className="num">
                  {t('history.col.uv')}
                </th>
                <th scope="col">{t('history.col.status')}</th>
                <th scope="col" className="actions-col">
                  <span className="sr-only">{t('history.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.items.map((a) => (
                <HistoryRow key={a.id} a={a} onRename={setRenaming} onDelete={setDeleting} />
              ))}
            </tbody>
          </table>
        </div>
        {state.items.length >= HISTORY_LIMIT ? (
          <p className="panel-note" data-testid="history-limit">
            {t('history.limit', { count: HISTORY_LIMIT })}
          </p>
        ) : null}
      </>
    )

  const filterBox =
    long || filter ? (
      <SearchBox
        testId="history-filter"
        value={filterText}
        placeholder={t('history.filterPlaceholder')}
        label={t('history.filter')}
        onChange={setFilterText}
      />
    ) : null

  return (
    <Panel id="history" title={t('history.title')} className="history-panel" actions={filterBox}>
      {body}
      {renaming ? <RenameDialog a={renaming} onClose={() => setRenaming(null)} /> : null}
      {deleting ? <DeleteDialog a={deleting} onClose={() => setDeleting(null)} /> : null}
    </Panel>
  )
}

function HistoryRow(props: {
  a: AnalysisSummary
  onRename(a: AnalysisSummary): void
  onDelete(a: AnalysisSummary): void
}) {
  const { a } = props
  const { t, fmt } = useI18n()
  const { navigate } = useServices()
  const open = () => navigate({ name: 'analysis', id: a.id })
  const first = a.files[0]?.name ?? ''
  // A long name is cut, never the count after it: "access.log.5.gz +7" keeps its "+7".
  const tail = / \+\d+$/.exec(a.name)?.[0] ?? ''
  const head = a.name.slice(0, a.name.length - tail.length)
  return (
    <tr data-testid="history-row" data-id={a.id}>
      <th scope="row" className="history-name">
        <button
          type="button"
          className="link"
          onClick={open}
          title={t('history.openNamed', { name: a.name })}
        >
          <span className="cut">{head}</span>
          {tail ? <span className="cut-tail">{tail}</span> : null}
        </button>
      </th>
      <td className="history-files" title={a.files.map((f) => f.name).join('\n')}>
        <span className="cut-line">
          <span className="cut">{first}</span>
          {a.files.length > 1 ? (
            <span className="cut-tail">
              {' ' + t('history.moreFiles', { count: a.files.length - 1 })}
            </span>
          ) : null}
        </span>
      </td>
      <td className="num history-size">{fmt.bytes(a.totalBytes)}</td>
      <td className="nowrap">{fmt.dateTime(a.createdAt)}</td>
      <td className="num">{fmt.int(a.pv)}</td>
      <td className="num">{fmt.int(a.uv)}</td>
      <td>
        <StatusBadge status={a.status} pv={a.pv} />
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="btn btn-sm"
          onClick={open}
          aria-label={t('history.openNamed', { name: a.name })}
        >
          {t('history.open')}
        </button>
        <button
          type="button"
          className="btn btn-sm btn-ghost btn-icon"
          onClick={() => props.onRename(a)}
          aria-label={t('history.renameNamed', { name: a.name })}
          title={t('history.rename')}
        >
          <Icon name="pencil" />
        </button>
        <button
          type="button"
          className="btn btn-sm btn-ghost btn-icon btn-danger-ghost"
          onClick={() => props.onDelete(a)}
          aria-label={t('history.deleteNamed', { name: a.name })}
          title={t('common.delete')}
        >
          <Icon name="trash" />
        </button>
      </td>
    </tr>
  )
}

function RenameDialog({ a, onClose }: { a: AnalysisSummary; onClose(): void }) {
  const { t, err } = useI18n()
  const { api } = useServices()
  const [name, setName] = useState(a.name)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return
    setBusy(true)
    try {
      await api.renameAnalysis({ id: a.id, name: trimmed })
      onClose()
    } catch (x) {
      setError(err(x))
      setBusy(false)
    }
  }
  return (
    <Dialog title={t('history.renameTitle')} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <label className="field">
          <span>{t('history.nameLabel')}</span>
          <input
            data-autofocus
            type="text"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            onFocus={(e) => e.currentTarget.select()}
          />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

function DeleteDialog({ a, onClose }: { a: AnalysisSummary; onClose(): void }) {
  const { t, err } = useI18n()
  const { api } = useServices()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const confirm = async () => {
    setBusy(true)
    try {
      await api.deleteAnalysis({ id: a.id })
      onClose()
    } catch (x) {
      setError(err(x))
      setBusy(false)
    }
  }
  return (
    <Dialog
      title={t('history.deleteTitle')}
      onClose={onClose}
      tone="danger"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} data-autofocus>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-danger" onClick={confirm} disabled={busy}>
            <Icon name="trash" />
            {t('common.delete')}
          </button>
        </>
      }
    >
      <p>{t('history.deleteBody', { name: a.name })}</p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  )
}
