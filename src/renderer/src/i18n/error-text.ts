// An ErrorInfo as one sentence outside the app's window (the CLI's error lines, the reports'
// partial-results note). English keeps the engine's own sentence (it carries the most detail);
// Chinese uses the app's translation of the same error code. Plain data and functions, no DOM.
import type { Locale } from '../../../shared/contract'
import type { ErrorInfo } from '../../../shared/types'
import { errorMessage, makeTranslate } from './translate'

const zhNumber = new Intl.NumberFormat('zh-CN')
const tZh = makeTranslate('zh-CN', (n) => zhNumber.format(n))

/** `cli`: the sentence names --format where a log may need a format of its own. */
export function errorText(info: ErrorInfo, lang: Locale, where: 'cli' | 'report'): string {
  return lang === 'zh-CN'
    ? errorMessage(info, tZh, 'zh-CN', where === 'cli' ? 'cli' : null)
    : info.message
}
