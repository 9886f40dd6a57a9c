// React contexts shared by every view: the api client, settings, translations and navigation.
import { createContext, useContext, useMemo, useSyncExternalStore } from 'react'
import type { Api, AppInfo, Locale } from '../../shared/contract'
import type { ApiClient } from './api/client'
import type { RendererErrorInfo } from './api/errors'
import type { Formatter, TimeZoneChoice } from './i18n/format'
import type { Translate } from './i18n/translate'
import type { LiveStore } from './state/live'
import type { Notices } from './state/notices'
import type { Settings } from './state/settings'
import type { Store } from './state/store'

export type Route = { name: 'home' } | { name: 'analysis'; id: number }

export interface AppServices {
  client: ApiClient
  api: Api
  settings: Store<Settings>
  live: LiveStore
  notices: Notices
  appInfo: AppInfo | null
  format: Store<string>
  openRequests: Store<number>
  navigate(route: Route): void
  /** Opens the hidden file input (browser) or the native dialog (Electron). */
  openFiles(): void
}

export interface I18n {
  locale: Locale
  t: Translate
  fmt: Formatter
  /** Error (LogLensError, ErrorInfo or anything thrown) → translated sentence. */
  err(e: unknown): string
  errInfo(info: RendererErrorInfo): string
}

export const ServicesContext = createContext<AppServices | null>(null)
export const I18nContext = createContext<I18n | null>(null)

export function useServices(): AppServices {
  const s = useContext(ServicesContext)
  if (!s) throw new Error('ServicesContext missing')
  return s
}

export function useI18n(): I18n {
  const v = useContext(I18nContext)
  if (!v) throw new Error('I18nContext missing')
  return v
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get)
}

export function useSettings(): Settings {
  return useStore(useServices().settings)
}

/** The time zone choice for one analysis (the log's own offset, or local time). */
export function useTimeZone(offsetMinutes: number | null): TimeZoneChoice {
  const { timeMode } = useSettings()
  const mode = offsetMinutes === null ? 'local' : timeMode
  // One object per choice, so memoised chart parts keep their identity across renders.
  return useMemo(() => ({ mode, offsetMinutes }), [mode, offsetMinutes])
}
