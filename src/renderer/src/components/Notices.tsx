// Messages under the top bar: skipped files, export results, failed actions.
import { useI18n, useServices, useStore } from '../context'
import { Icon } from './Icon'

export function NoticeList() {
  const { notices } = useServices()
  const list = useStore(notices.store)
  const { t } = useI18n()
  return (
    <div className="notices" aria-live="polite" aria-relevant="additions">
      {list.map((n) => (
        <div
          key={n.id}
          className={'notice notice-' + n.tone}
          role={n.tone === 'error' ? 'alert' : 'status'}
        >
          <Icon name={n.tone === 'success' ? 'check' : n.tone === 'info' ? 'info' : 'alert'} />
          <div className="notice-text">
            <p className="notice-title">{n.title}</p>
            {n.lines && n.lines.length > 0 ? (
              <ul className="notice-lines">
                {n.lines.map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <div className="notice-actions">
            {n.href ? (
              <a className="btn btn-sm btn-primary" href={n.href.url} download={n.href.fileName}>
                <Icon name="download" />
                {n.href.label}
              </a>
            ) : null}
            {n.actions?.map((a, i) => (
              <button
                key={i}
                type="button"
                className="btn btn-sm"
                onClick={() => {
                  notices.dismiss(n.id)
                  a.run()
                }}
              >
                {a.label}
              </button>
            ))}
            <button
              type="button"
              className="btn btn-sm btn-ghost btn-icon"
              onClick={() => notices.dismiss(n.id)}
              aria-label={t('common.dismiss')}
              title={t('common.dismiss')}
            >
              <Icon name="close" />
            </button>
          </div>
        </div>
      ))}
    </div>
  )
}
