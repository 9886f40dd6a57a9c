// Message lookup and interpolation, plus ErrorInfo → translated sentence.
import type { Locale } from '../../../shared/contract'
import { ERROR_LOG, UTF16_TEXT } from '../../../shared/types'
import { pluralize } from '../../../shared/plural'
import type { RendererErrorInfo } from '../api/errors'
import { en, type MessageKey } from './en'
import { zhCN } from './zh-CN'

export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN }

export function interpolate(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m,
  )
}

export function makeTranslate(locale: Locale, number: (n: number) => string): Translate {
  const cat = catalogs[locale]
  return (key, params) => {
    const tpl = cat[key] ?? en[key] ?? key
    if (!params) return tpl
    // Plural forms (`{count|line|lines}`) go by the numbers themselves, before they are formatted.
    // Numbers are formatted for the locale; strings (file names, IPs, formatted sizes) pass as is.
    const p: Params = {}
    for (const [k, v] of Object.entries(params)) p[k] = typeof v === 'number' ? number(v) : v
    return interpolate(pluralize(tpl, params), p)
  }
}

/** Pick the supported locale for a BCP 47 tag (`zh`, `zh-Hans-CN`, `zh-TW` → zh-CN; else en). */
export function matchLocale(tag: string | null | undefined): Locale {
  return tag && /^zh\b/i.test(tag) ? 'zh-CN' : 'en'
}

/**
 * Every ErrorCode (and the renderer's own) → one sentence in the user's language. `hint`: where
 * a log that no preset format matches can be given its own format (the app's format menu, the
 * CLI's --format), or null for no such hint.
 */
export function errorMessage(
  info: RendererErrorInfo,
  t: Translate,
  locale: Locale,
  hint: 'app' | 'cli' | null = 'app',
): string {
  const raw = info.params ?? {}
  const params: Params = { ...raw }
  if (typeof raw.file === 'string' && raw.file) {
    params.file = locale === 'zh-CN' ? `“${raw.file}”` : raw.file
  } else {
    params.file = t('error.theFile')
  }
  if (raw.format === undefined) params.format = '—'
  // An upload's copy is gone with the session that took it (see retryAnalysis).
  const key = (
    info.code === 'NOT_FOUND' && raw.uploaded
      ? 'error.NOT_FOUND.uploaded'
      : info.code === 'NOT_A_LOG' && raw.kind === UTF16_TEXT
        ? 'error.NOT_A_LOG.utf16'
        : info.code === 'NOT_A_LOG' && raw.kind === ERROR_LOG
          ? 'error.NOT_A_LOG.errorLog'
          : `error.${info.code}`
  ) as MessageKey
  let text = Object.prototype.hasOwnProperty.call(en, key) ? t(key, params) : t('error.INTERNAL')
  const sep = locale === 'zh-CN' ? '' : ' '
  if (info.code === 'NOT_A_LOG' && raw.formats !== undefined) {
    text += sep + t('error.NOT_A_LOG.expected', params)
    // No preset matched: the log may be in a format of its own (not for a file left out of
    // several: one format is given for all of them).
    if (hint !== null && raw.leftOut !== 'yes')
      text += sep + t(hint === 'app' ? 'error.NOT_A_LOG.custom' : 'error.NOT_A_LOG.customCli')
  }
  // An error log known by its lines (not only by its name in a folder), and chosen alone: the
  // user meant the access log.
  if (info.code === 'NOT_A_LOG' && raw.kind === ERROR_LOG && raw.server && raw.leftOut !== 'yes')
    text += sep + t('error.NOT_A_LOG.errorLogAdvice')
  // Left out of an analysis of several files (the others were read).
  if (info.code === 'NOT_A_LOG' && raw.leftOut === 'yes') text += sep + t('error.NOT_A_LOG.leftOut')
  return text
}
