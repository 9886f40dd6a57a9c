// "Log's time zone / My local time": which clock the charts and tables show times in.
import { useI18n, useServices, useSettings } from '../context'
import { offsetLabel, type TimeMode } from '../i18n/format'
import { Icon } from './Icon'

export function TimeModeSwitch({ offsetMinutes }: { offsetMinutes: number | null }) {
  const { t } = useI18n()
  const { settings: store } = useServices()
  const settings = useSettings()
  const unknown = offsetMinutes === null
  return (
    <label className="select-inline" title={t('settings.times')}>
      <Icon name="clock" />
      <span className="sr-only">{t('settings.times')}</span>
      <select
        value={unknown ? 'local' : settings.timeMode}
        disabled={unknown}
        data-testid="time-mode"
        onChange={(e) => store.set((s) => ({ ...s, timeMode: e.target.value as TimeMode }))}
      >
        <option value="log">
          {t('settings.times.log')}
          {unknown ? '' : ` (${offsetLabel(offsetMinutes)})`}
        </option>
        <option value="local">{t('settings.times.local')}</option>
      </select>
    </label>
  )
}
