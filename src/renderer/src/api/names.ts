// The contract's call and event names as runtime values, without pulling the argument schemas
// (and zod) into the renderer bundle. The `satisfies` clauses make the compiler check these lists
// against src/shared/contract.ts: a call or event added there and missing here fails the build.
import type { CallName, EventName, ExportKind, Locale } from '../../../shared/contract'

type Exhaustive<K extends string> = Record<K, true>

const calls = {
  getAppInfo: true,
  listAnalyses: true,
  getAnalysis: true,
  queryIps: true,
  renameAnalysis: true,
  deleteAnalysis: true,
  startAnalysis: true,
  cancelAnalysis: true,
  retryAnalysis: true,
  registerDroppedPaths: true,
  openFileDialog: true,
  openSample: true,
  exportReport: true,
} as const satisfies Exhaustive<CallName>

const events = {
  progress: true,
  partial: true,
  job: true,
  analysesChanged: true,
  menu: true,
} as const satisfies Exhaustive<EventName>

const exportKinds = {
  html: true,
  pdf: true,
  png: true,
  csv: true,
  json: true,
} as const satisfies Exhaustive<ExportKind>

export const CALL_NAMES = Object.keys(calls) as CallName[]
export const EVENT_NAMES = Object.keys(events) as EventName[]
export const EXPORT_KIND_LIST = Object.keys(exportKinds) as ExportKind[]

const locales = { 'zh-CN': true, en: true } as const satisfies Exhaustive<Locale>
export const LOCALE_LIST = Object.keys(locales) as Locale[]
