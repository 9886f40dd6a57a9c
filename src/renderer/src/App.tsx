// The app shell: providers, top bar, routing (home ↔ analysis), theme and language.
import { startTransition, useCallback, useEffect, useMemo, useState } from 'react'
import type { AppInfo } from '../../shared/contract'
import { toErrorInfo } from './api/errors'
import { ChartWarmup } from './charts/ChartWarmup'
import { AboutDialog } from './components/AboutDialog'
import { ConnectionBanner } from './components/ConnectionBanner'
import { FileOpener } from './components/FileOpener'
import { NoticeList } from './components/Notices'
import { TopBar } from './components/TopBar'
import {
  I18nContext,
  ServicesContext,
  useStore,
  type AppServices,
  type I18n,
  type Route,
} from './context'
import type { Core } from './core'
import { createFormatter } from './i18n/format'
import { errorMessage, makeTranslate, matchLocale } from './i18n/translate'
import { AnalysisView } from './views/AnalysisView'
import { HomeView } from './views/HomeView'

export function parseHash(hash: string): Route {
  const m = /^#\/analysis\/(\d+)$/.exec(hash)
  return m ? { name: 'analysis', id: Number(m[1]) } : { name: 'home' }
}

function routeHash(r: Route): string {
  return r.name === 'analysis' ? `#/analysis/${r.id}` : '#/'
}

const darkQuery = () =>
  typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null

function useSystemDark(): boolean {
  const [dark, setDark] = useState(() => darkQuery()?.matches ?? false)
  useEffect(() => {
    const query = darkQuery()
    if (!query) return
    const on = () => setDark(query.matches)
    query.addEventListener('change', on)
    return () => query.removeEventListener('change', on)
  }, [])
  return dark
}

export function App({ core }: { core: Core }) {
  const { client } = core
  const api = client.api
  const settings = useStore(core.settings)
  const format = useStore(core.format)
  const [appInfo, setAppInfo] = useState<AppInfo | null>(null)
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash))
  const [about, setAbout] = useState(false)
  const systemDark = useSystemDark()

  // App info (OS language, budget); again after a reconnect: the back end may have restarted.
  useEffect(() => {
    let alive = true
    const load = () =>
      api.getAppInfo().then(
        (info) => alive && setAppInfo(info),
        () => {},
      )
    void load()
    const off = client.onReconnect(() => void load())
    return () => {
      alive = false
      off()
    }
  }, [api, client])

  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash))
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])

  // "System" is the OS language in Electron; in a browser, the browser's own language wins (the
  // serve process's OS may not be the user's machine).
  const locale =
    settings.locale !== 'system'
      ? settings.locale
      : client.front === 'electron' && appInfo
        ? appInfo.osLocale
        : matchLocale(navigator.languages?.[0] ?? navigator.language)
  const theme = settings.theme === 'system' ? (systemDark ? 'dark' : 'light') : settings.theme

  useEffect(() => {
    document.documentElement.lang = locale
    document.documentElement.dataset.theme = theme
  }, [locale, theme])

  const i18n = useMemo<I18n>(() => {
    const fmt = createFormatter(locale)
    const t = makeTranslate(locale, fmt.int)
    return {
      locale,
      t,
      fmt,
      err: (e) => errorMessage(toErrorInfo(e), t, locale),
      errInfo: (info) => errorMessage(info, t, locale),
    }
  }, [locale])

  const navigate = useCallback((r: Route) => {
    const hash = routeHash(r)
    if (window.location.hash !== hash) window.location.hash = hash
    // A view change mounts a whole dashboard: let React render it in slices.
    startTransition(() => setRoute(r))
    window.scrollTo?.({ top: 0 })
  }, [])

  const openFiles = useCallback(() => core.openRequests.set((n) => n + 1), [core])

  const services = useMemo<AppServices>(
    () => ({ ...core, api, appInfo, navigate, openFiles }),
    [core, api, appInfo, navigate, openFiles],
  )

  // Application menu (Electron).
  useEffect(
    () =>
      api.on.menu((event) => {
        const { command } = event
        if (command === 'openAnalysis') navigate({ name: 'analysis', id: event.analysisId })
        else if (command === 'open') openFiles()
        else if (command === 'about') setAbout(true)
        else if (command === 'home') navigate({ name: 'home' })
        else if (command === 'toggleLanguage')
          core.settings.set((s) => ({ ...s, locale: locale === 'en' ? 'zh-CN' : 'en' }))
        else if (command === 'export')
          document.querySelector<HTMLButtonElement>('[data-testid="export"]')?.click()
      }),
    [api, core.settings, locale, navigate, openFiles],
  )

  // Unexpected failures still reach the user as a sentence, never as a blank screen.
  useEffect(() => {
    const onRejection = (e: PromiseRejectionEvent) =>
      core.notices.push({ tone: 'error', title: i18n.err(e.reason) })
    window.addEventListener('unhandledrejection', onRejection)
    return () => window.removeEventListener('unhandledrejection', onRejection)
  }, [core.notices, i18n])

  return (
    <ServicesContext.Provider value={services}>
      <I18nContext.Provider value={i18n}>
        <div className="app">
          <TopBar onAbout={() => setAbout(true)} />
          <ConnectionBanner />
          <NoticeList />
          <main id="main" className="main" tabIndex={-1}>
            {route.name === 'home' ? (
              <HomeView format={format} onFormat={core.format.set} />
            ) : (
              <AnalysisView key={route.id} id={route.id} />
            )}
          </main>
          <FileOpener />
          <ChartWarmup />
          {about ? <AboutDialog info={appInfo} onClose={() => setAbout(false)} /> : null}
        </div>
      </I18nContext.Provider>
    </ServicesContext.Provider>
  )
}
