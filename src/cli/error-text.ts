// The CLI's error lines in the chosen language. English keeps the engine's own sentences (they
// carry the most detail); Chinese uses the app's translations of the same error codes (the
// renderer's catalogue: plain data and functions, no DOM).
import type { Locale } from '../shared/contract'
import type { ErrorInfo } from '../shared/types'
import { errorMessage, makeTranslate } from '../renderer/src/i18n/translate'

const zhNumber = new Intl.NumberFormat('zh-CN')
const tZh = makeTranslate('zh-CN', (n) => zhNumber.format(n))

export function errorText(info: ErrorInfo, lang: Locale): string {
  return lang === 'zh-CN' ? errorMessage(info, tZh, 'zh-CN') : info.message
}

/** `loglens: skipped NAME: why` — a file of the selection left out. */
export function skippedLine(name: string, info: ErrorInfo, lang: Locale): string {
  return lang === 'zh-CN'
    ? `loglens: 已跳过 ${name}：${errorText({ ...info, params: { file: name, ...info.params } }, lang)}`
    : `loglens: skipped ${name}: ${info.message}`
}
