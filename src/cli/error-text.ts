// The CLI's error lines in the chosen language (see renderer/src/i18n/error-text.ts).
import type { Locale } from '../shared/contract'
import type { ErrorInfo } from '../shared/types'
import { errorText } from '../renderer/src/i18n/error-text'

export { errorText }

/** `loglens: skipped NAME: why` — a file of the selection left out. */
export function skippedLine(name: string, info: ErrorInfo, lang: Locale): string {
  return lang === 'zh-CN'
    ? `loglens: 已跳过 ${name}：${errorText({ ...info, params: { file: name, ...info.params } }, lang, 'cli')}`
    : `loglens: skipped ${name}: ${info.message}`
}
