import type { AppInfo } from '../../../shared/contract'
import { useI18n } from '../context'
import { Dialog } from './Dialog'
import { Icon } from './Icon'

export function AboutDialog({ info, onClose }: { info: AppInfo | null; onClose(): void }) {
  const { t } = useI18n()
  return (
    <Dialog
      title={t('about.title')}
      onClose={onClose}
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus>
          {t('common.close')}
        </button>
      }
    >
      <div className="about">
        <span className="brand-mark brand-mark-lg" aria-hidden="true">
          <Icon name="logo" size={26} />
        </span>
        <div>
          <p className="about-name">LogLens</p>
          {info ? <p className="muted">{t('about.version', { version: info.version })}</p> : null}
        </div>
      </div>
      <p>{t('about.body')}</p>
      <p className="muted">{t('about.credit')}</p>
      {info?.dbPath ? (
        <p className="muted small mono-wrap">{t('about.db', { path: info.dbPath })}</p>
      ) : null}
    </Dialog>
  )
}
