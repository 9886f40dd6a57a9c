// The write side of one analysis, used only by the aggregator process (one writer).
// Per-IP rows are bulk-loaded in key order in multi-row statements; spills upsert. Everything
// that makes an analysis "complete" is written in one final transaction, so a crash can never
// leave a half-finished analysis looking complete.
import type {
  ErrorInfo,
  InvalidSummary,
  MemorySample,
  Series,
  StatusCount,
} from '../../shared/types'
import type { AnalysisStatus, TopItem, TopKind } from '../../shared/types'
import type { MergedRow, RowCursor } from '../aggregate/ip-table'
import { mergeCursors } from '../aggregate/ip-table'
import type { Db } from './db'
import { V4_KEY_BYTES, V6_KEY_BYTES } from './client-key'
import {
  IP_TABLE_COLUMNS,
  TOP_INDEX_ROWS,
  ipTableIndexes,
  ipTableName,
  ipTopIndex,
} from './migrations'
import { PvRanks } from './pv-ranks'
import { addMemorySamples } from './queries'

const ROWS_PER_STATEMENT = 100
/**
 * Hooks run every 32 statements (3,200 rows, a few ms) and every 4,096 (409,600 rows): young
 * collections take the rows' garbage as it goes, a full one now and then is enough (each costs
 * ~5 ms; every 51,200 rows they were ~7% of the final write, with the same peak RSS).
 */
const TICK_STATEMENTS = 0x1f
const COLLECT_STATEMENTS = 0xfff
/**
 * The final rows commit every 512 statements (51,200 rows): another connection can copy what is
 * committed into the database file (a passive checkpoint) while the rest is written, on the
 * other core (WriteHooks.committed). 500k clients: the write 346-366 ms either way, the
 * checkpoint after it 23-28 ms instead of 100-128 (experiment: one process writing, another
 * checkpointing on each commit).
 */
const COMMIT_STATEMENTS = 0x1ff

/** Called back while rows are written (the thread is busy for the whole transaction). */
export interface WriteHooks {
  /** Often (every few ms): time for telemetry to take a sample. */
  tick?: () => void
  /** Now and then: time to collect garbage. */
  collect?: () => void
  /**
   * The final rows only (writeFinalIps): part of them is committed. Given, the rows commit in
   * parts (COMMIT_STATEMENTS); without it, in one transaction.
   */
  committed?: () => void
}
const COLS = 9

export interface FinalTotals {
  status: AnalysisStatus
  /** Parse threads used. */
  jobs: number
  error: ErrorInfo | null
  /** Every error, `error` first (kept when there is more than one). */
  errors?: ErrorInfo[]
  format: string
  formatDetected: boolean
  formatSuggestion: string | null
  pv: number
  invalid: number
  bodyBytes: number
  firstTime: number | null
  lastTime: number | null
  tzOffset: number | null
  bytesRead: number
  /**
   * The bytes of the files analysed: the row's total was the whole selection's, a file left out
   * (not a log, gone) included. Undefined keeps it.
   */
  totalBytes?: number
  linesRead: number
  elapsedMs: number
  peakRss: number
  series: Series
  statuses: StatusCount[]
  top: Record<TopKind, TopItem[]>
  invalidReasons: InvalidSummary[]
}

export class AnalysisWriter {
  readonly table: string
  private spilled = false
  /**
   * The requests of every client written so far, while each was written once and whole (fresh
   * spills, then final rows that are all new): the top-N index's threshold then needs no sort of
   * the table (buildTopIndex). Null once a write may have added to a row already there.
   */
  private ranks: PvRanks | null = new PvRanks()
  private readonly insertMany: ReturnType<Db['prepare']>
  private readonly insertOne: ReturnType<Db['prepare']>
  private readonly upsertMany: ReturnType<Db['prepare']>
  private readonly upsertOne: ReturnType<Db['prepare']>
  private readonly args = new Array<Buffer | string | number>(ROWS_PER_STATEMENT * COLS)
  /**
   * Key buffers per row of a statement, for IPv4 and IPv6 keys: SQLite copies a bound blob, so
   * they are rewritten for every statement (no buffer to allocate and collect per row).
   */
  private readonly keys4 = Array.from({ length: ROWS_PER_STATEMENT }, () =>
    Buffer.allocUnsafe(V4_KEY_BYTES),
  )
  private readonly keys6 = Array.from({ length: ROWS_PER_STATEMENT }, () =>
    Buffer.allocUnsafe(V6_KEY_BYTES),
  )

  constructor(
    private readonly db: Db,
    readonly analysisId: number,
    opts: { reuseTable?: boolean } = {},
  ) {
    this.table = ipTableName(analysisId)
    if (!opts.reuseTable) {
      db.exec(`DROP TABLE IF EXISTS ${this.table}`)
      db.exec(`CREATE TABLE ${this.table} (${IP_TABLE_COLUMNS}) WITHOUT ROWID`)
    } else this.ranks = null // rows of before: requests not counted here
    const one = '(' + new Array(COLS).fill('?').join(',') + ')'
    const many = new Array(ROWS_PER_STATEMENT).fill(one).join(',')
    const upsert = ` ON CONFLICT(key) DO UPDATE SET pv = pv + excluded.pv, bytes = bytes + excluded.bytes,
      first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen),
      s2xx = s2xx + excluded.s2xx, s3xx = s3xx + excluded.s3xx, s4xx = s4xx + excluded.s4xx,
      s5xx = s5xx + excluded.s5xx`
    const cols = `${this.table} (key, pv, bytes, first_seen, last_seen, s2xx, s3xx, s4xx, s5xx) VALUES `
    const ins = `INSERT INTO ${cols}`
    // Plain inserts (nothing spilled: every key new, once) as OR ROLLBACK: a failure ends the
    // whole transaction, as the caller does anyway, so SQLite keeps no statement journal (a
    // 64 KB buffer and a copy of every page a statement changes, 5,000 times for 500k clients).
    // Upserts keep one whatever their conflict clause.
    this.insertMany = db.prepare(`INSERT OR ROLLBACK INTO ${cols}${many}`)
    this.insertOne = db.prepare(`INSERT OR ROLLBACK INTO ${cols}${one}`)
    this.upsertMany = db.prepare(ins + many + upsert)
    this.upsertOne = db.prepare(ins + one + upsert)
  }

  addMemorySamples(samples: MemorySample[]): void {
    addMemorySamples(this.db, this.analysisId, samples)
  }

  /** The analysis stopped before its result could be written (not a log, read error…). */
  markEnded(status: AnalysisStatus, error: ErrorInfo, elapsedMs: number, peakRss: number): void {
    this.db
      .prepare(
        `UPDATE analyses SET status = ?, error = ?, errors = NULL, finished_at = ?, worker_pid = NULL,
           elapsed_ms = ?, peak_rss = max(peak_rss, ?) WHERE id = ?`,
      )
      .run(status, JSON.stringify(error), Date.now(), elapsedMs, peakRss, this.analysisId)
  }

  /**
   * A full table: its rows, in key order, in one transaction. Upserted, unless `fresh`: every
   * client whole and not written before, nor to be written again (a key range counted at the
   * end, job.ts). Those are plain inserts, as the final rows are: no statement journal, and their
   * requests stay known for the top-N threshold. A fresh row whose key is there fails the spill.
   */
  spill(rows: RowCursor, hooks?: WriteHooks, fresh = false): void {
    this.spilled = true
    if (!fresh) this.ranks = null
    this.db.transaction(() => this.writeRows([rows], !fresh, hooks)).immediate()
  }

  /**
   * A spill written by another connection into this analysis's table (a key range, by the range
   * writer thread), kept account of here as spill() does. Returns where that spill's requests go
   * while its rows are packed: null when the top-N threshold will be read from the table anyway.
   */
  spilledElsewhere(fresh: boolean): PvRanks | null {
    this.spilled = true
    if (!fresh) this.ranks = null
    return this.ranks
  }

  /** Distinct clients written so far. */
  clientCount(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM ${this.table}`).get() as { n: number }).n
  }

  /**
   * What the tables hold at the end, merged by key and written (plain inserts when nothing
   * spilled: the fastest path). Returns the exact number of distinct clients.
   */
  writeFinalIps(sources: RowCursor[], hooks?: WriteHooks): number {
    let distinct: number
    const db = this.db
    const committed = hooks?.committed
    // In parts when asked: the analysis is still running until finalize(), so a crash between
    // parts leaves it incomplete with the rows written so far, as after a spill.
    const commit = committed
      ? (): void => {
          db.exec('COMMIT')
          committed()
          db.exec('BEGIN IMMEDIATE')
        }
      : undefined
    db.exec('BEGIN IMMEDIATE')
    try {
      distinct = this.writeRows(sources, this.spilled, { ...hooks, commit })
      db.exec('COMMIT')
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw e
    }
    committed?.()
    // Upserted after spills, a row may have added to one there: its requests are not its own.
    if (this.spilled && distinct > 0) this.ranks = null
    if (this.spilled) {
      distinct = (this.db.prepare(`SELECT count(*) AS n FROM ${this.table}`).get() as { n: number })
        .n
    }
    return distinct
  }

  private writeRows(
    sources: RowCursor[],
    upsert: boolean,
    hooks?: WriteHooks & { commit?: () => void },
  ): number {
    const many = upsert ? this.upsertMany : this.insertMany
    const one = upsert ? this.upsertOne : this.insertOne
    const args = this.args
    let k = 0
    let statements = 0
    const flush = (): void => {
      // The values as arguments, not one array: better-sqlite3 reads an array's elements one
      // V8 call each, arguments directly (500k rows, 4.5M values: ~30% of the write).
      many.run(...args)
      k = 0
      ++statements
      // The caller's clock (telemetry) keeps ticking while this thread is busy writing.
      if ((statements & TICK_STATEMENTS) === 0) hooks?.tick?.()
      // The strings of written rows are garbage: let the caller collect now and then.
      if ((statements & COLLECT_STATEMENTS) === 0) hooks?.collect?.()
      if ((statements & COMMIT_STATEMENTS) === 0) hooks?.commit?.()
    }
    const keys4 = this.keys4
    const keys6 = this.keys6
    // A copy of the key into this statement's buffers: a cursor's key is only valid until it
    // moves on.
    const putKey = (key: Buffer, o: number): void => {
      const n = key.length
      const to =
        n === V4_KEY_BYTES ? keys4[k]! : n === V6_KEY_BYTES ? keys6[k]! : Buffer.allocUnsafe(n)
      for (let j = 0; j < n; j++) to[j] = key[j]!
      args[o] = to
    }
    const ranks = this.ranks
    const put = (r: MergedRow): void => {
      const o = k * COLS
      ranks?.add(r.pv)
      putKey(r.key, o)
      args[o + 1] = r.pv
      args[o + 2] = r.bytes
      args[o + 3] = r.first
      args[o + 4] = r.last
      args[o + 5] = r.s2xx
      args[o + 6] = r.s3xx
      args[o + 7] = r.s4xx
      args[o + 8] = r.s5xx
      if (++k === ROWS_PER_STATEMENT) flush()
    }
    const live = sources.filter((c) => c.key !== null)
    const only = live.length === 1 ? live[0]! : null
    let n = 0
    if (only?.putCounts) {
      // One source (the usual end: no hostnames, nothing spilled): rows straight into the
      // statement's arguments, no merge.
      for (let key = only.key; key !== null; key = only.key) {
        const o = k * COLS
        putKey(key, o)
        only.putCounts(args, o + 1)
        ranks?.add(args[o + 1] as number)
        n++
        only.next()
        if (++k === ROWS_PER_STATEMENT) flush()
      }
    } else n = mergeCursors(live, put)
    for (let j = 0; j < k; j++) one.run(...args.slice(j * COLS, j * COLS + COLS))
    k = 0
    return n
  }

  /**
   * The one transaction that makes the analysis visible as finished. It begins by reading (the
   * top-N threshold after spills; the schema): begun deferred, it failed at once with SQLITE_BUSY
   * when another connection (the service saving progress) held the write lock or had committed
   * since that read, as a read cannot be turned into a write then. Begun IMMEDIATE, it waits for
   * the lock like any write (busy_timeout), as every write transaction here does.
   */
  finalize(t: FinalTotals, uv: number): void {
    const id = this.analysisId
    const db = this.db
    db.transaction(() => {
      this.buildTopIndex()
      const s = db.prepare(
        'INSERT OR REPLACE INTO series (analysis_id, t, pv, uv, uv_exact, bytes) VALUES (?, ?, ?, ?, ?, ?)',
      )
      for (const p of t.series.points) s.run(id, p.t, p.pv, p.uv, p.uvExact ? 1 : 0, p.bytes)
      const st = db.prepare(
        'INSERT OR REPLACE INTO status_counts (analysis_id, status, count) VALUES (?, ?, ?)',
      )
      for (const x of t.statuses) st.run(id, x.status, x.count)
      const ti = db.prepare(
        'INSERT OR REPLACE INTO top_items (analysis_id, kind, rank, key, count, error, bot) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      for (const kind of Object.keys(t.top) as TopKind[]) {
        t.top[kind].forEach((item, rank) =>
          ti.run(id, kind, rank, item.key, item.count, item.error, item.bot ? 1 : 0),
        )
      }
      const iv = db.prepare(
        'INSERT OR REPLACE INTO invalid_reasons (analysis_id, reason, count, samples, sample_files) VALUES (?, ?, ?, ?, ?)',
      )
      for (const r of t.invalidReasons) {
        const files = r.sampleFiles ? JSON.stringify(r.sampleFiles) : null
        iv.run(id, r.reason, r.count, JSON.stringify(r.samples), files)
      }
      db.prepare(
        `UPDATE analyses SET status = ?, error = ?, finished_at = ?, format = ?, format_detected = ?,
           format_suggestion = ?, pv = ?, uv = ?, invalid = ?, body_bytes = ?, first_time = ?,
           last_time = ?, tz_offset = ?, bucket = ?, bytes_read = ?, lines_read = ?, elapsed_ms = ?,
           peak_rss = max(peak_rss, ?), worker_pid = NULL, jobs = ?, ip_table = ?,
           total_bytes = coalesce(?, total_bytes), errors = ?
         WHERE id = ?`,
      ).run(
        t.status,
        t.error ? JSON.stringify(t.error) : null,
        Date.now(),
        t.format,
        t.formatDetected ? 1 : 0,
        t.formatSuggestion,
        t.pv,
        uv,
        t.invalid,
        t.bodyBytes,
        t.firstTime,
        t.lastTime,
        t.tzOffset,
        t.series.bucket,
        t.bytesRead,
        t.linesRead,
        t.elapsedMs,
        t.peakRss,
        t.jobs,
        this.table,
        t.totalBytes ?? null,
        t.errors && t.errors.length > 1 ? JSON.stringify(t.errors) : null,
        id,
      )
    }).immediate()
  }

  recordElapsed(ms: number): void {
    this.db.prepare('UPDATE analyses SET elapsed_ms = ? WHERE id = ?').run(ms, this.analysisId)
  }

  /**
   * The top-N index (ipTopIndex) and its threshold, the requests of the TOP_INDEX_ROWS-th
   * busiest client (0 when there are fewer), on the analysis row. Part of finalize(): a finished
   * analysis always has both. Made again if it is there already (the rows may have changed).
   */
  buildTopIndex(): number {
    const minPv = this.ranks
      ? this.ranks.nth(TOP_INDEX_ROWS)
      : ((this.db
          .prepare(`SELECT pv FROM ${this.table} ORDER BY pv DESC LIMIT 1 OFFSET ?`)
          .pluck()
          .get(TOP_INDEX_ROWS - 1) as number | undefined) ?? 0)
    this.db.exec(`DROP INDEX IF EXISTS ${this.table}_top`)
    this.db.exec(ipTopIndex(this.table, minPv))
    this.db.prepare('UPDATE analyses SET top_pv_min = ? WHERE id = ?').run(minPv, this.analysisId)
    return minPv
  }

  /**
   * Indexes over all the clients, for what the table view sorts by (deeper than the top-N
   * index's pages), built after the analysis is visible: until they are there, the same queries
   * scan the table (~0.1 s per 500k clients) instead of reading an index. `ip_indexed` is set
   * once all of them are there.
   */
  buildSortIndexes(): void {
    for (const ix of ipTableIndexes(this.table)) this.db.exec(ix)
    this.db.prepare('UPDATE analyses SET ip_indexed = 1 WHERE id = ?').run(this.analysisId)
  }
}
