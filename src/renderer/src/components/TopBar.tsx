// The app's top bar: brand (home), language, theme, About.
import type { Locale } from '../../../shared/contract'
import { useI18n, useServices, useSettings } from '../context'
import type { ThemeChoice } from '../state/settings'
import { Icon, type IconName } from './Icon'

const THEMES: { id: ThemeChoice; icon: IconName }[] = [
  { id: 'system', icon: 'monitor' },
  { id: 'light', icon: 'sun' },
  { id: 'dark', icon: 'moon' },
]

export function TopBar({ onAbout }: { onAbout(): void }) {
  const { t, locale } = useI18n()
  const services = useServices()
  const settings = useSettings()
  const set = (patch: Partial<typeof settings>) =>
    services.settings.set((s) => ({ ...s, ...patch }))

  return (
    <header className="topbar">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <button
        type="button"
        className="brand"
        onClick={() => services.navigate({ name: 'home' })}
        aria-label={`${t('app.name')} — ${t('nav.home')}`}
      >
        <span className="brand-mark" aria-hidden="true">
          <Icon name="logo" size={18} />
        </span>
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-tag">{t('app.tagline')}</span>
      </button>
      <div className="topbar-tools">
        <label className="select-inline">
          <Icon name="globe" />
          <span className="sr-only">{t('settings.language')}</span>
          <select
            data-testid="language"
            value={locale}
            onChange={(e) => set({ locale: e.target.value as Locale })}
          >
            <option value="zh-CN" lang="zh-CN">
              简体中文
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </label>
        <div className="segmented" role="radiogroup" aria-label={t('settings.theme')}>
          {THEMES.map((th) => (
            <button
              key={th.id}
              type="button"
              role="radio"
              aria-checked={settings.theme === th.id}
              title={t(`settings.theme.${th.id}`)}
              aria-label={t(`settings.theme.${th.id}`)}
              data-testid={`theme-${th.id}`}
              className={settings.theme === th.id ? 'on' : ''}
              onClick={() => set({ theme: th.id })}
            >
              <Icon name={th.icon} />
            </button>
          ))}
        </div>
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          onClick={onAbout}
          title={t('settings.about')}
        >
          <Icon name="info" />
          <span className="sr-only">{t('settings.about')}</span>
        </button>
      </div>
    </header>
  )
}
