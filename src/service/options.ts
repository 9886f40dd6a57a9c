import type { ExportKind } from '../shared/contract'
import type { PrinterFactory } from '../engine/report/printer'
import type { AggregatorLauncher } from './launcher'

export type LogLevel = 'info' | 'warn' | 'error'

/**
 * How a front delivers exports. Plain functions, so the service stays Electron-free: the desktop
 * app asks where to save with its dialog and prints with a hidden window; `loglens serve` offers
 * a one-time download URL (attached later with attachExportTarget, see src/service/export.ts).
 * Without any, exports are written under workDir/exports and their path is returned.
 */
export interface ExportTarget {
  /** Ask where to save. Null when the user cancels (the export then returns path: null). */
  chooseSavePath?: (suggestedName: string, kind: ExportKind) => Promise<string | null>
  /** Turn a finished file into a one-time, token-protected download URL (browser front). */
  offerDownload?: (path: string, fileName: string) => string
  /** Renders PDF and PNG. Default: Chromium through playwright-core (engine/report/chromium). */
  createPrinter?: PrinterFactory
}

export interface ServiceOptions {
  /** The SQLite database (created with its schema when missing). */
  dbPath: string
  /** The built aggregator entry (out/main/aggregator.js). */
  aggregatorEntry: string
  /** Starts the aggregator: utilityProcess in Electron, child_process.fork elsewhere. */
  launcher: AggregatorLauncher
  /** The bundled sample log ("Try with a sample log"). */
  samplePath: string
  /** Where uploaded files (browser front) and temporary exports are kept. */
  workDir: string
  front: 'electron' | 'browser'
  version: string
  /** Parser threads per analysis; 0 = one per core, at most two (job.ts, BUDGET_THREADS). */
  jobs?: number
  /**
   * The IP-table indexes each analysis's aggregator builds before it exits: 'all' (default), or
   * 'top' (only the top-N index, made with the final write) for a caller that waits for the
   * process and leaves (the CLI).
   * A long-lived front builds what is missing later (AnalysisService.indexWhenIdle).
   */
  sortIndexes?: 'all' | 'top'
  /** Live partial results of a running analysis (default true); the CLI shows only progress. */
  livePartials?: boolean
  /**
   * Copy the final rows into the database file as the aggregator commits them (a passive
   * checkpoint on the service's connection for each part), for a caller that waits for the
   * aggregator with a core to spare (the CLI): its checkpoint after the analysis then has ~a
   * tenth left. Off by default: in the app the main process's thread stays free.
   */
  checkpointAlong?: boolean
  /** Progress and memory samples of a running analysis, every this many ms (default 200, at most 250). */
  sampleIntervalMs?: number
  /** better-sqlite3 native binding built for this runtime (Electron passes its own). */
  nativeBinding?: string
  /** How long a fresh aggregator may take to say it is ready. */
  readyTimeoutMs?: number
  /** The operating system's language (Electron: app.getLocale()); defaults to the environment's. */
  osLocale?: string
  log?: (level: LogLevel, message: string) => void
  /** Where exports go and how PDF/PNG are rendered (see ExportTarget). */
  exportTarget?: ExportTarget
  /** The built export worker (default: export-worker.js beside the aggregator entry). */
  exportWorkerEntry?: string
}
