// Browser front only: says when the WebSocket to `loglens serve` is down, and when it is gone.
import { useI18n, useServices, useStore } from '../context'
import { Icon } from './Icon'

export function ConnectionBanner() {
  const { client } = useServices()
  const state = useStore(client.connection)
  const { t } = useI18n()
  if (state === 'open' || state === 'connecting') return null
  const gone = state === 'gone'
  return (
    <div
      className={'conn-banner ' + (gone ? 'conn-gone' : 'conn-retry')}
      role="alert"
      data-testid="connection"
    >
      <Icon name={gone ? 'alert' : 'refresh'} />
      <span>{gone ? t('conn.gone') : t('conn.reconnecting')}</span>
      {gone ? (
        <button type="button" className="btn btn-sm" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </button>
      ) : null}
    </div>
  )
}
