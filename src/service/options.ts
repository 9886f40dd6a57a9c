import type { AggregatorLauncher } from './launcher'

export type LogLevel = 'info' | 'warn' | 'error'

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
  /** Parser threads per analysis; 0 = one per core. */
  jobs?: number
  /** better-sqlite3 native binding built for this runtime (Electron passes its own). */
  nativeBinding?: string
  /** How long a fresh aggregator may take to say it is ready. */
  readyTimeoutMs?: number
  /** The operating system's language (Electron: app.getLocale()); defaults to the environment's. */
  osLocale?: string
  log?: (level: LogLevel, message: string) => void
}
