import type { Locale } from '../shared/contract'

/** The app's language for a locale tag (LANG, the OS's, --lang): Chinese or English. */
export function localeFrom(tag: string | undefined): Locale {
  return tag && /^zh/i.test(tag) ? 'zh-CN' : 'en'
}
