// Messages between the service (parent) and the aggregator process (child). Plain data only:
// they cross a process boundary by structured clone (Electron MessagePort or Node IPC with
// 'advanced' serialization).
import type { AnalysisStatus, ErrorInfo, PartialEvent, ProgressEvent } from '../shared/types'

export interface JobInput {
  /** Absolute path of a file on this machine (uploads are saved to disk first). */
  path: string
  /** Name shown to the user. */
  name: string
  size: number
  /** Stored with the analysis; omitted for uploads (their path is a temp file). */
  displayPath?: string
}

/** Inputs smaller than this (bytes as stored) are parsed on the coordinator's thread alone. */
export const INLINE_BELOW_BYTES = 16 << 20

/**
 * Environment variable: parse workers the aggregator starts ahead of its job (default: one fewer
 * than the job's threads). A caller that knows the job parses inline sets 0 (the CLI, for small
 * files): a worker's boot takes CPU the process's own start needs on two cores.
 */
export const STANDBY_WORKERS_ENV = 'LOGLENS_STANDBY_WORKERS'

export interface JobSpec {
  analysisId: number
  dbPath: string
  inputs: JobInput[]
  /** `auto`, a preset id, or a log_format / LogFormat string. */
  format: string
  /** Parser threads; 0 = one per core, at most two (job.ts, BUDGET_THREADS). */
  jobs: number
  /** Slots of the in-memory IP table; it spills to SQLite at 75% full. 0 = default. */
  ipTableSlots?: number
  /**
   * Once the IP table has filled, write lines to key-range records beside the database and count
   * the ranges one by one at the end (default); false: spill the whole table to SQLite each time
   * it fills (also what happens when no spill directory can be made).
   */
  partitionSpill?: boolean
  /** Key ranges once the table fills (tests); default: from the share of the input read. */
  keyRanges?: number
  /**
   * false: each key range is written to SQLite on the coordinator's thread before the next is
   * counted (tests, comparisons); default: by the range writer thread meanwhile (range-writes.ts).
   */
  rangeWriter?: boolean
  /**
   * Free disk space to assume beside the database (tests): for key ranges, and for the final
   * rows in parts (job.ts); default: what the disk says.
   */
  diskFreeBytes?: number
  /** Write-ahead log size past which a spill checkpoints it (tests); default job.ts WAL_LIMIT_BYTES. */
  walLimitBytes?: number
  /** Inputs smaller than this are parsed on the coordinator's own thread; default 16 MB. */
  inlineBelowBytes?: number
  /** Telemetry period in ms (≤ 250). */
  sampleIntervalMs?: number
  /** Locale of progress lines the child may print ('zh-CN' | 'en'). */
  locale?: string
  /** better-sqlite3 binary built for the child's runtime (Electron's utility process). */
  nativeBinding?: string
  /**
   * Secondary indexes of the IP table built once the analysis is visible: 'all' (default), or
   * 'top', for a caller that exits right after (the CLI): none beyond the top-N index that the
   * final write makes (ipTopIndex); the table-sort ones (requests, bytes, first and last seen)
   * are then left to a later IndexSpec.
   */
  sortIndexes?: 'all' | 'top'
  /**
   * Partial results (live top clients, series, statuses) about once a second and once more when
   * every line is read, for a dashboard (default true). false for a caller that shows only
   * progress (the CLI): no thread snapshots and no scans of the client table meanwhile.
   */
  livePartials?: boolean
}

/** Build the IP-table indexes an earlier job left out (see JobSpec.sortIndexes), in order. */
export interface IndexSpec {
  dbPath: string
  analysisIds: number[]
  nativeBinding?: string
}

export type ParentToChild =
  | { type: 'start'; job: JobSpec }
  | { type: 'index'; spec: IndexSpec }
  | { type: 'cancel' }
  | { type: 'shutdown' }

export interface DoneSummary {
  analysisId: number
  status: AnalysisStatus
  error: ErrorInfo | null
}

export type ChildToParent =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; progress: ProgressEvent }
  | { type: 'partial'; partial: PartialEvent }
  | { type: 'done'; done: DoneSummary }
  /**
   * Part of the final rows is committed (the final write commits every COMMIT_STATEMENTS of
   * writer.ts): a caller with its own connection and a core to spare (the CLI) may copy the log
   * into the database file meanwhile, a passive checkpoint, which leaves less for the one after.
   */
  | { type: 'committed' }
  /** An IndexSpec's analysis has its indexes now. */
  | { type: 'indexed'; analysisId: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
