// User settings remembered in localStorage: language, theme, and which clock times are shown in.
import type { Locale } from '../../../shared/contract'
import { LOCALE_LIST } from '../api/names'
import type { TimeMode } from '../i18n/format'
import { createStore, type Store } from './store'

export type LocaleChoice = Locale | 'system'
export type ThemeChoice = 'system' | 'light' | 'dark'

export interface Settings {
  locale: LocaleChoice
  theme: ThemeChoice
  timeMode: TimeMode
}

const KEY = 'loglens.settings.v1'
const DEFAULTS: Settings = { locale: 'system', theme: 'system', timeMode: 'log' }

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

export function loadSettings(): Settings {
  try {
    const raw = storage()?.getItem(KEY)
    if (!raw) return DEFAULTS
    const v = JSON.parse(raw) as Partial<Settings>
    return {
      locale:
        v.locale === 'system' || (LOCALE_LIST as string[]).includes(v.locale ?? '')
          ? (v.locale as LocaleChoice)
          : DEFAULTS.locale,
      theme: v.theme === 'light' || v.theme === 'dark' ? v.theme : DEFAULTS.theme,
      timeMode: v.timeMode === 'local' ? 'local' : DEFAULTS.timeMode,
    }
  } catch {
    return DEFAULTS
  }
}

export function createSettingsStore(): Store<Settings> {
  const store = createStore(loadSettings())
  store.subscribe(() => {
    try {
      storage()?.setItem(KEY, JSON.stringify(store.get()))
    } catch {
      // Private mode or a full quota: settings simply are not remembered.
    }
  })
  return store
}
