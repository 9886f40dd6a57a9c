// Domain types shared by every process: engine, aggregator, service, main, preload, renderer.
// Pure type declarations and tiny constants only; no Node, no DOM, no Electron.

/**
 * Where an analysis stands. `incomplete` = stopped by an error or a crash, results so far kept;
 * `failed` = nothing could be read (e.g. not a log file).
 */
export type AnalysisStatus =
  'queued' | 'running' | 'complete' | 'cancelled' | 'incomplete' | 'failed'

/** Codes for every error a user can meet. The renderer maps each to a translated sentence. */
export const ERROR_CODES = [
  'NOT_A_LOG',
  'EMPTY_INPUT',
  'UNREADABLE',
  'NOT_FOUND',
  'FILE_CHANGED',
  'GZIP_CORRUPT',
  'DB_LOCKED',
  'DB_READONLY',
  'DISK_FULL',
  'DB_ERROR',
  'AGGREGATOR_CRASHED',
  'AGGREGATOR_TIMEOUT',
  'CANCELLED',
  'INVALID_INPUT',
  'BAD_FORMAT',
  'NOT_SUPPORTED',
  'EXPORT_FAILED',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** An error as data: crosses every process boundary intact. `message` is English, for logs and the CLI. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
  /** Values the translated sentence needs, e.g. { file: 'access.log', formats: 'combined, common' }. */
  params?: Record<string, string | number>
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** A file the user chose (dialog, drop, upload, sample, command line), registered with the service. */
export interface InputFileInfo {
  id: string
  name: string
  size: number
  compressed: boolean
  source: 'path' | 'upload' | 'sample'
}

export interface FileSelection {
  files: InputFileInfo[]
  /** Files left out of the selection (not logs, unreadable…), each with the reason. */
  skipped: { name: string; error: ErrorInfo }[]
}

export interface AnalysisFile {
  name: string
  size: number
  /** Absolute path when the file came from this machine's disk (not shown for uploads). */
  path?: string
}

export type BucketSize = 'minute' | 'hour' | 'day' | 'month' | 'year'

export interface AnalysisSummary {
  id: number
  name: string
  status: AnalysisStatus
  /** Epoch ms. */
  createdAt: number
  finishedAt: number | null
  files: AnalysisFile[]
  totalBytes: number
  /** The format used: a preset id (`combined`…) or the user's log_format string. */
  format: string
  formatDetected: boolean
  pv: number
  uv: number
  invalid: number
  /** Sum of the bytes field over valid lines. */
  bodyBytes: number
  /** Epoch ms of the first and last request seen, null when no valid line. */
  firstTime: number | null
  lastTime: number | null
  /** The log's own UTC offset in minutes (from the first valid line), e.g. +480 for +0800. */
  tzOffsetMinutes: number | null
  bytesRead: number
  linesRead: number
  elapsedMs: number
  peakRssBytes: number
  error: ErrorInfo | null
  /**
   * Every error of the analysis when there was more than one (files left out, a file gone
   * mid-run…), `error` first; absent when there was at most one.
   */
  errors?: ErrorInfo[]
}

/** Every error of an analysis, the first first: its list when it had several, else its one. */
export function analysisErrors(s: Pick<AnalysisSummary, 'error' | 'errors'>): ErrorInfo[] {
  return s.errors ?? (s.error ? [s.error] : [])
}

/**
 * A complete analysis that counted no line (the wrong format chosen): the app's badge, the
 * report and the CLI say so rather than a plain "Complete".
 */
export function countedNothing(s: { status: AnalysisStatus; pv: number }): boolean {
  return s.status === 'complete' && s.pv === 0
}

/** NOT_A_LOG's `kind` for a file of UTF-16 text (the app then says to save it as UTF-8). */
export const UTF16_TEXT = 'UTF-16 text'

/**
 * NOT_A_LOG's `kind` for a web server's error log (by its name in a folder, or by its lines, and
 * then with `server`: the app says to open the access log instead).
 */
export const ERROR_LOG = 'error log'

/**
 * True when every error of an analysis is a file no format reads: such files are left out before
 * any reading (chooseFormats in job.ts), so trying again cannot read them, and nothing stopped.
 */
export function onlyFilesLeftOut(errors: readonly ErrorInfo[]): boolean {
  return errors.length > 0 && errors.every((e) => e.code === 'NOT_A_LOG')
}

export interface MemorySample {
  /** Ms since the analysis started. */
  t: number
  rss: number
  heapUsed: number
}

export interface SeriesPoint {
  /** Bucket start, epoch ms (UTC). */
  t: number
  pv: number
  uv: number
  /** False when `uv` is an estimate (shown with ≈). */
  uvExact: boolean
  bytes: number
}

export interface Series {
  bucket: BucketSize
  points: SeriesPoint[]
}

/**
 * Requests counted but not in the series: those dated before 1991 (a server clock that was not
 * set; EARLIEST_SEC in engine/aggregate/time-series.ts). Of a finished analysis only: while one
 * runs, its figures and its series are not from the same moment.
 */
export function undatedRequests(pv: number, series: Series | null | undefined): number {
  let drawn = 0
  for (const p of series?.points ?? []) drawn += p.pv
  return Math.max(0, pv - drawn)
}

export interface IpRow {
  ip: string
  pv: number
  bytes: number
  /** Epoch ms. */
  firstSeen: number
  lastSeen: number
  s2xx: number
  s3xx: number
  s4xx: number
  s5xx: number
}

export type IpSortKey = 'pv' | 'bytes' | 'firstSeen' | 'lastSeen' | 'ip'

export interface TopItem {
  key: string
  count: number
  /** Upper bound of the over-count (Space-Saving error); 0 when exact. */
  error: number
  /** For user agents: looks like a bot or crawler. */
  bot?: boolean
}

export type TopKind = 'path' | 'agent' | 'referrer'

export const INVALID_REASONS = [
  'not_a_log_line',
  'bad_client',
  'bad_time',
  'bad_request',
  'bad_status',
  'bad_bytes',
  'truncated',
  'unexpected_text',
] as const
export type InvalidReason = (typeof INVALID_REASONS)[number]

export interface InvalidSummary {
  reason: InvalidReason
  count: number
  /** A few example lines, cut to a sane length. */
  samples: string[]
  /**
   * The name of each sample's file (as the analysis shows its files), sample for sample; absent
   * for analyses stored before it was kept.
   */
  sampleFiles?: string[]
}

export interface StatusCount {
  status: number
  count: number
}

/** Everything the dashboard shows for one analysis. */
export interface AnalysisDetail {
  summary: AnalysisSummary
  series: Series
  memory: MemorySample[]
  statuses: StatusCount[]
  topIps: IpRow[]
  top: Record<TopKind, TopItem[]>
  invalid: InvalidSummary[]
  /** When most lines failed: the preset that would have parsed them. */
  formatSuggestion: string | null
}

/** Live numbers while an analysis runs (at least every 250 ms). */
export interface ProgressEvent {
  analysisId: number
  bytesDone: number
  bytesTotal: number
  lines: number
  pv: number
  invalid: number
  elapsedMs: number
  mbPerSecond: number
  linesPerSecond: number
  /** Null until there is enough to estimate. */
  etaMs: number | null
  rssBytes: number
  heapUsedBytes: number
  currentFile: string | null
  /**
   * Every line is read and the clients are being counted range by range (logs with more
   * clients than the aggregator's table holds): ranges done of total.
   */
  ranges?: { done: number; total: number }
  /** Every line is counted and the per-client rows (this many) are being written. */
  saving?: { clients: number }
}

/** Partial results while the file is read (about once a second). */
export interface PartialEvent {
  analysisId: number
  pv: number
  /** Estimate while running; exact once the analysis completes. */
  uv: number
  invalid: number
  bodyBytes: number
  topIps: { ip: string; pv: number }[]
  statuses: StatusCount[]
  series: Series
  /** Epoch ms of the earliest and latest valid line counted so far (null before any). */
  firstTime: number | null
  lastTime: number | null
  memory: MemorySample[]
  format: string
}

export type JobState = AnalysisStatus

export interface JobEvent {
  analysisId: number
  state: JobState
  error: ErrorInfo | null
}

export const MEMORY_BUDGET_BYTES = 100 * 1024 * 1024

/** At most this many analyses in a list (the history, the app menu's recent ones). */
export const HISTORY_LIMIT = 500

/** The lesson's hidden field: carried by exported JSON and the database, displayed nowhere. */
export const HIDDEN_BY = '程序员晚枫'
export const LEGEND_CREDIT = '程序员晚枫出品'
export const WATERMARK_TEXT = '程序员晚枫'
