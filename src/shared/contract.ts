// The one contract between the renderer and the back end (Electron main or `loglens serve`).
// Every call and event is named here once, with its argument schema (validated where it crosses a
// process boundary) and its result type. Main's IPC handlers, the preload bridge, the browser
// bridge and the renderer are all typed from this module; test/contract.test-d.ts pins it.
import { z } from 'zod'
import type {
  AnalysisDetail,
  AnalysisSummary,
  Envelope,
  FileSelection,
  IpRow,
  JobEvent,
  PartialEvent,
  ProgressEvent,
} from './types'

const id = z.number().int().positive()
const noArgs = z.undefined()

export const EXPORT_KINDS = ['html', 'pdf', 'png', 'csv', 'json'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

/** Argument schemas, one per call. A call takes one argument object, or none. */
export const callArgs = {
  getAppInfo: noArgs,
  /** The most recent analyses (HISTORY_LIMIT); `search`: only those whose name or a file's name holds it. */
  listAnalyses: z
    .object({ search: z.string().max(200).optional() })
    .strict()
    .optional(),
  getAnalysis: z.object({ id }),
  queryIps: z.object({
    id,
    search: z.string().max(200).optional(),
    sort: z.enum(['pv', 'bytes', 'firstSeen', 'lastSeen', 'ip']),
    dir: z.enum(['asc', 'desc']),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(5000),
  }),
  renameAnalysis: z.object({ id, name: z.string().trim().min(1).max(200) }),
  deleteAnalysis: z.object({ id }),
  startAnalysis: z.object({
    fileIds: z.array(z.string().min(1).max(100)).min(1).max(10_000),
    /** `auto`, a preset id, or an nginx `log_format` / Apache `LogFormat` string. */
    format: z.string().min(1).max(4000).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  }),
  cancelAnalysis: z.object({ analysisId: id }),
  /** Re-run the same files (with another format when given). */
  retryAnalysis: z.object({ analysisId: id, format: z.string().min(1).max(4000).optional() }),
  /** Electron only: the paths of files dropped on the window (resolved by the preload). */
  registerDroppedPaths: z.object({
    paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
  }),
  /** Electron only: File → Open…. Null when the user cancels. */
  openFileDialog: noArgs,
  openSample: noArgs,
  exportReport: z.object({
    id,
    kind: z.enum(EXPORT_KINDS),
    locale: z.enum(LOCALES),
    /** For PNG: one chart id, or the whole dashboard when absent. */
    chart: z.string().max(50).optional(),
  }),
} as const

export type CallName = keyof typeof callArgs
export type CallArgs<N extends CallName> = z.input<(typeof callArgs)[N]>

export interface AppInfo {
  version: string
  front: 'electron' | 'browser'
  platform: string
  /** Language the operating system (or browser) prefers, mapped to a supported locale. */
  osLocale: Locale
  dbPath: string
  memoryBudgetBytes: number
  cpuCount: number
}

export interface ExportResult {
  /** Where the file was saved (Electron, CLI), or null when the user cancelled the save dialog. */
  path: string | null
  /** Browser front: a one-time URL (token-protected) the renderer downloads. */
  downloadUrl?: string
  fileName: string
  bytes: number
}

/** Result type of every call. */
export interface CallResults {
  getAppInfo: AppInfo
  listAnalyses: AnalysisSummary[]
  getAnalysis: AnalysisDetail
  queryIps: { rows: IpRow[]; total: number }
  renameAnalysis: AnalysisSummary
  deleteAnalysis: null
  startAnalysis: { analysisId: number }
  cancelAnalysis: null
  /** `skipped`: files of the analysis that could not be read again (gone, moved…), each with why. */
  retryAnalysis: { analysisId: number; skipped: FileSelection['skipped'] }
  registerDroppedPaths: FileSelection
  openFileDialog: FileSelection | null
  openSample: FileSelection
  exportReport: ExportResult
}

/** Application menu commands forwarded to the renderer (Electron). */
export type MenuCommand = 'open' | 'export' | 'about' | 'home' | 'toggleLanguage' | 'openAnalysis'

/**
 * What main asks the window to do. `openAnalysis` shows one analysis: picked from File → Open
 * Recent, or just started from paths main received (command line, a second launch, "Open
 * with", File → Open Folder…, the sample from the menu).
 */
export type MenuEvent =
  | { command: Exclude<MenuCommand, 'openAnalysis'> }
  | { command: 'openAnalysis'; analysisId: number }

/** Events pushed to the renderer. */
export interface EventPayloads {
  progress: ProgressEvent
  partial: PartialEvent
  job: JobEvent
  analysesChanged: { reason: 'created' | 'updated' | 'deleted' }
  menu: MenuEvent
}
export type EventName = keyof EventPayloads
export const EVENT_NAMES = [
  'progress',
  'partial',
  'job',
  'analysesChanged',
  'menu',
] as const satisfies readonly EventName[]

/** Channel naming for Electron IPC and the browser bridge. */
export const CHANNEL_PREFIX = 'loglens:'
export const callChannel = (name: CallName): string => CHANNEL_PREFIX + name
export const eventChannel = (name: EventName): string => CHANNEL_PREFIX + 'event:' + name

/** No argument for a call that takes none; an optional object where one may be left out. */
type ArgList<N extends CallName> = [CallArgs<N>] extends [undefined]
  ? []
  : undefined extends CallArgs<N>
    ? [args?: Exclude<CallArgs<N>, undefined>]
    : [CallArgs<N>]

/**
 * What a front exposes to the renderer: one function per call returning an envelope
 * (errors travel as data), and one subscription per event returning an unsubscribe function.
 */
export type RawApi = {
  [N in CallName]: (...args: ArgList<N>) => Promise<Envelope<CallResults[N]>>
} & {
  on: { [E in EventName]: (listener: (payload: EventPayloads[E]) => void) => () => void }
}

/** The same calls with envelopes unwrapped: results resolve, errors reject with LogLensError. */
export type Api = {
  [N in CallName]: (...args: ArgList<N>) => Promise<CallResults[N]>
} & { on: RawApi['on'] }

/** What the service implements for the fronts (args already validated). */
export type CallHandlers = {
  [N in CallName]: (
    args: z.output<(typeof callArgs)[N]>,
  ) => Promise<CallResults[N]> | CallResults[N]
}

/** The renderer-side surface of the Electron preload: the raw API plus file-path resolution. */
export interface PreloadApi extends RawApi {
  /** Electron only: turn dropped File objects into paths (webUtils.getPathForFile). */
  pathsForFiles(files: File[]): string[]
}

/** Validate a call's argument where it crosses a process boundary. */
export function parseCallArgs<N extends CallName>(
  name: N,
  raw: unknown,
): { ok: true; value: z.output<(typeof callArgs)[N]> } | { ok: false; message: string } {
  const schema = callArgs[name] as z.ZodType
  const result = schema.safeParse(raw)
  if (result.success) return { ok: true, value: result.data as z.output<(typeof callArgs)[N]> }
  return { ok: false, message: z.prettifyError(result.error) }
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(callArgs, name)
}
