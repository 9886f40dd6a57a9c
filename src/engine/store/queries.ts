// The read side (and the small bookkeeping writes the service makes): every query is indexed or
// bounded, so it can run on the Electron main thread without freezing it.
import type {
  AnalysisDetail,
  AnalysisFile,
  AnalysisStatus,
  AnalysisSummary,
  BucketSize,
  ErrorInfo,
  InvalidReason,
  InvalidSummary,
  IpRow,
  IpSortKey,
  MemorySample,
  SeriesPoint,
  StatusCount,
  TopItem,
  TopKind,
} from '../../shared/types'
import { HISTORY_LIMIT } from '../../shared/types'
import type { Db } from './db'
import { clientTextOfKey, prefixQuery } from './client-key'
import { TOP_INDEX_ROWS, ipTableName, ipTopWhere } from './migrations'

interface AnalysisRow {
  id: number
  name: string
  status: string
  created_at: number
  finished_at: number | null
  files: string
  total_bytes: number
  format: string
  format_request: string
  format_detected: number
  format_suggestion: string | null
  pv: number
  uv: number
  invalid: number
  body_bytes: number
  first_time: number | null
  last_time: number | null
  tz_offset: number | null
  bucket: string
  bytes_read: number
  lines_read: number
  elapsed_ms: number
  peak_rss: number
  error: string | null
  /** Since schema 5. */
  errors?: string | null
  ip_table: string | null
  ip_indexed: number
  top_pv_min: number | null
}

export interface StoredFile extends AnalysisFile {
  /** Where the aggregator reads it (for uploads: the saved copy). */
  sourcePath?: string
  mtimeMs?: number
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

function toSummary(r: AnalysisRow): AnalysisSummary {
  const files = parseJson<StoredFile[]>(r.files, []).map((f) => ({
    name: f.name,
    size: f.size,
    ...(f.path ? { path: f.path } : {}),
  }))
  return {
    id: r.id,
    name: r.name,
    status: r.status as AnalysisStatus,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    files,
    totalBytes: r.total_bytes,
    format: r.format || r.format_request,
    formatDetected: r.format_detected === 1,
    pv: r.pv,
    uv: r.uv,
    invalid: r.invalid,
    bodyBytes: r.body_bytes,
    firstTime: r.first_time,
    lastTime: r.last_time,
    tzOffsetMinutes: r.tz_offset,
    bytesRead: r.bytes_read,
    linesRead: r.lines_read,
    elapsedMs: r.elapsed_ms,
    peakRssBytes: r.peak_rss,
    error: parseJson<ErrorInfo | null>(r.error, null),
    ...errorsOf(r.errors ?? null),
  }
}

/** The stored list of an analysis's errors, when there were several. */
function errorsOf(text: string | null): { errors?: ErrorInfo[] } {
  const list = parseJson<unknown>(text, null)
  return Array.isArray(list) && list.length > 1 ? { errors: list as ErrorInfo[] } : {}
}

/**
 * The most recent analyses, newest first. `search`: only those whose name, or one of whose files'
 * names, holds it (any case for Latin letters; `%` and `_` are plain characters).
 */
export function listAnalyses(db: Db, limit = HISTORY_LIMIT, search?: string): AnalysisSummary[] {
  const text = search?.trim() ?? ''
  // The files column is JSON: each file's name is matched as parsed (JSON escapes quotes).
  const where = text
    ? `WHERE name LIKE :like ESCAPE '\\'
         OR EXISTS (SELECT 1 FROM json_each(analyses.files) f
                    WHERE json_extract(f.value, '$.name') LIKE :like ESCAPE '\\')`
    : ''
  const like = '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%'
  const rows = db
    .prepare(`SELECT * FROM analyses ${where} ORDER BY created_at DESC, id DESC LIMIT :limit`)
    .all(text ? { like, limit } : { limit }) as AnalysisRow[]
  return rows.map(toSummary)
}

export function getAnalysisRow(db: Db, id: number): AnalysisRow | undefined {
  return db.prepare('SELECT * FROM analyses WHERE id = ?').get(id) as AnalysisRow | undefined
}

export function getSummary(db: Db, id: number): AnalysisSummary | null {
  const r = getAnalysisRow(db, id)
  return r ? toSummary(r) : null
}

export function getStoredFiles(db: Db, id: number): StoredFile[] {
  const r = db.prepare('SELECT files FROM analyses WHERE id = ?').get(id) as
    { files: string } | undefined
  return parseJson<StoredFile[]>(r?.files ?? null, [])
}

export function getFormatRequest(db: Db, id: number): string {
  const r = db.prepare('SELECT format_request FROM analyses WHERE id = ?').get(id) as
    { format_request: string } | undefined
  return r?.format_request ?? 'auto'
}

function tableExists(db: Db, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  )
}

interface IpDbRow {
  key: Buffer
  pv: number
  bytes: number
  first_seen: number
  last_seen: number
  s2xx: number
  s3xx: number
  s4xx: number
  s5xx: number
}

const toIpRow = (r: IpDbRow): IpRow => ({
  ip: clientTextOfKey(r.key),
  pv: r.pv,
  bytes: r.bytes,
  firstSeen: r.first_seen * 1000,
  lastSeen: r.last_seen * 1000,
  s2xx: r.s2xx,
  s3xx: r.s3xx,
  s4xx: r.s4xx,
  s5xx: r.s5xx,
})

export function topIps(db: Db, id: number, limit: number): IpRow[] {
  const table = ipTableName(id)
  if (!tableExists(db, table)) return []
  const where = limit <= TOP_INDEX_ROWS ? topWhere(db, id) : ''
  const rows = db
    .prepare(`SELECT ${IP_COLUMNS} FROM ${table} ${where} ORDER BY pv DESC, key LIMIT ?`)
    .all(limit) as IpDbRow[]
  return rows.map(toIpRow)
}

/**
 * `WHERE …` that reads the analysis's top-N index (ipTopIndex), for a query of the busiest
 * TOP_INDEX_ROWS clients at most; '' for an analysis without one (written before it existed).
 */
function topWhere(db: Db, id: number): string {
  const min = db.prepare('SELECT top_pv_min FROM analyses WHERE id = ?').pluck().get(id) as
    number | null | undefined
  return min === null || min === undefined ? '' : `WHERE ${ipTopWhere(min)}`
}

const SORT_COLUMNS: Record<IpSortKey, string> = {
  pv: 'pv',
  bytes: 'bytes',
  firstSeen: 'first_seen',
  lastSeen: 'last_seen',
  // Natural client order (IPv4 numerically, then IPv6, then hostnames): see client-key.ts.
  ip: 'key',
}

const IP_COLUMNS = 'key, pv, bytes, first_seen, last_seen, s2xx, s3xx, s4xx, s5xx'

export interface IpQuery {
  id: number
  search?: string
  sort: IpSortKey
  dir: 'asc' | 'desc'
  offset: number
  limit: number
}

/** One page of the per-IP table. Prefix search is key ranges (an IPv6 scan for IPv6 text). */
export function queryIps(db: Db, q: IpQuery): { rows: IpRow[]; total: number } {
  const table = ipTableName(q.id)
  if (!tableExists(db, table)) return { rows: [], total: 0 }
  const col = SORT_COLUMNS[q.sort]
  const dir = q.dir === 'asc' ? 'ASC' : 'DESC'
  const search = q.search?.trim().toLowerCase() ?? ''
  let where = ''
  const params: (Buffer | string | number)[] = []
  if (search) {
    // Ranges of the primary key, plus IPv6 clients matched by their text (see client-key.ts).
    const p = prefixQuery(search)
    const terms = p.ranges.map(([lo, hi]) => {
      params.push(lo, hi)
      return '(key BETWEEN ? AND ?)'
    })
    if (p.v6) {
      terms.push(`(key >= x'06' AND key < x'07' AND substr(loglens_client_text(key), 1, ?) = ?)`)
      params.push(search.length, search)
    }
    where = `WHERE ${terms.join(' OR ')}`
  }
  const total = search
    ? (db.prepare(`SELECT count(*) AS n FROM ${table} ${where}`).get(...params) as { n: number }).n
    : ((
        db.prepare('SELECT uv AS n FROM analyses WHERE id = ?').get(q.id) as
          { n: number } | undefined
      )?.n ?? 0)
  // The first pages by requests, busiest first: from the top-N index.
  if (!search && col === 'pv' && dir === 'DESC' && q.offset + q.limit <= TOP_INDEX_ROWS)
    where = topWhere(db, q.id)
  const order = col === 'key' ? `key ${dir}` : `${col} ${dir}, key`
  const rows = db
    .prepare(`SELECT ${IP_COLUMNS} FROM ${table} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...params, q.limit, q.offset) as IpDbRow[]
  return { rows: rows.map(toIpRow), total }
}

export function getAnalysisDetail(db: Db, id: number, topIpCount = 100): AnalysisDetail | null {
  const row = getAnalysisRow(db, id)
  if (!row) return null
  const summary = toSummary(row)
  const points = (
    db
      .prepare('SELECT t, pv, uv, uv_exact, bytes FROM series WHERE analysis_id = ? ORDER BY t')
      .all(id) as { t: number; pv: number; uv: number; uv_exact: number; bytes: number }[]
  ).map((p): SeriesPoint => ({
    t: p.t,
    pv: p.pv,
    uv: p.uv,
    uvExact: p.uv_exact === 1,
    bytes: p.bytes,
  }))
  const memory = (
    db
      .prepare('SELECT t, rss, heap_used FROM memory_samples WHERE analysis_id = ? ORDER BY t')
      .all(id) as { t: number; rss: number; heap_used: number }[]
  ).map((m): MemorySample => ({ t: m.t, rss: m.rss, heapUsed: m.heap_used }))
  const statuses = db
    .prepare(
      'SELECT status, count FROM status_counts WHERE analysis_id = ? ORDER BY count DESC, status',
    )
    .all(id) as StatusCount[]
  const top: Record<TopKind, TopItem[]> = { path: [], agent: [], referrer: [] }
  for (const t of db
    .prepare(
      'SELECT kind, key, count, error, bot FROM top_items WHERE analysis_id = ? ORDER BY kind, rank',
    )
    .all(id) as { kind: TopKind; key: string; count: number; error: number; bot: number }[]) {
    const item: TopItem = { key: t.key, count: t.count, error: t.error }
    if (t.kind === 'agent') item.bot = t.bot === 1
    top[t.kind]?.push(item)
  }
  const invalid = (
    db
      .prepare(
        'SELECT reason, count, samples, sample_files FROM invalid_reasons WHERE analysis_id = ? ORDER BY count DESC',
      )
      .all(id) as { reason: string; count: number; samples: string; sample_files: string | null }[]
  ).map((r): InvalidSummary => {
    const samples = parseJson<string[]>(r.samples, [])
    const files = parseJson<unknown>(r.sample_files, null)
    const named =
      Array.isArray(files) &&
      files.length === samples.length &&
      files.every((f) => typeof f === 'string')
    return {
      reason: r.reason as InvalidReason,
      count: r.count,
      samples,
      ...(named ? { sampleFiles: files as string[] } : {}),
    }
  })
  return {
    summary,
    series: { bucket: row.bucket as BucketSize, points },
    memory,
    statuses,
    topIps: topIps(db, id, topIpCount),
    top,
    invalid,
    formatSuggestion: row.format_suggestion,
  }
}

export interface NewAnalysis {
  name: string
  files: StoredFile[]
  formatRequest: string
}

export function createAnalysis(db: Db, a: NewAnalysis): number {
  const totalBytes = a.files.reduce((s, f) => s + f.size, 0)
  const info = db
    .prepare(
      `INSERT INTO analyses (name, status, created_at, files, total_bytes, format_request)
       VALUES (?, 'queued', ?, ?, ?, ?)`,
    )
    .run(a.name, Date.now(), JSON.stringify(a.files), totalBytes, a.formatRequest)
  return Number(info.lastInsertRowid)
}

export function renameAnalysis(db: Db, id: number, name: string): boolean {
  return db.prepare('UPDATE analyses SET name = ? WHERE id = ?').run(name, id).changes === 1
}

/** Finished analyses whose IP table lacks some of its indexes (JobSpec.sortIndexes), oldest first. */
export function analysesLackingIndexes(db: Db): number[] {
  return db
    .prepare(
      `SELECT id FROM analyses WHERE ip_indexed = 0 AND ip_table IS NOT NULL
           AND status IN ('complete', 'incomplete', 'cancelled') ORDER BY id`,
    )
    .pluck()
    .all() as number[]
}

/** Drop the analysis and everything stored with it, in one transaction. */
export function deleteAnalysis(db: Db, id: number): boolean {
  return db
    .transaction(() => {
      db.exec(`DROP TABLE IF EXISTS ${ipTableName(id)}`)
      return db.prepare('DELETE FROM analyses WHERE id = ?').run(id).changes === 1
    })
    .immediate()
}

/**
 * An analysis whose aggregator went away (crash, kill) or that never started: keep what was
 * stored and say why. Only touches rows still queued or running.
 */
export function markInterrupted(db: Db, id: number, error: ErrorInfo): void {
  db.prepare(
    `UPDATE analyses SET status = CASE WHEN status = 'queued' THEN 'failed' ELSE 'incomplete' END,
       error = ?, finished_at = ?, worker_pid = NULL
     WHERE id = ? AND status IN ('queued', 'running')`,
  ).run(JSON.stringify(error), Date.now(), id)
}

/**
 * The aggregator ended the analysis (`status`, not complete) but could not write so itself (its
 * own database writes failed: the disk full, the database locked by another program for longer
 * than the busy timeout). Only touches rows still queued or running; true when it did. Reads
 * first: nearly always the aggregator wrote it, and a write would wait for the lock it may hold
 * right after (building indexes), on the caller's thread (the app's main process).
 */
export function markEnded(
  db: Db,
  id: number,
  status: AnalysisStatus,
  error: ErrorInfo | null,
): boolean {
  const now = db.prepare('SELECT status FROM analyses WHERE id = ?').pluck().get(id)
  if (now !== 'queued' && now !== 'running') return false
  return (
    db
      .prepare(
        `UPDATE analyses SET status = ?, error = ?, finished_at = ?, worker_pid = NULL
         WHERE id = ? AND status IN ('queued', 'running')`,
      )
      .run(status, error ? JSON.stringify(error) : null, Date.now(), id).changes === 1
  )
}

/** At start-up: analyses left running by a process that no longer exists. */
export function recoverInterrupted(db: Db, isAlive: (pid: number) => boolean): number[] {
  const rows = db
    .prepare("SELECT id, worker_pid FROM analyses WHERE status IN ('queued', 'running')")
    .all() as { id: number; worker_pid: number | null }[]
  const ids: number[] = []
  for (const r of rows) {
    if (r.worker_pid !== null && isAlive(r.worker_pid)) continue
    markInterrupted(db, r.id, {
      code: 'AGGREGATOR_CRASHED',
      message: 'LogLens stopped while this analysis was running.',
    })
    ids.push(r.id)
  }
  return ids
}

export function getMeta(db: Db, key: string): string | null {
  const r = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
    { value: string } | undefined
  return r?.value ?? null
}

/** The aggregator said it is ready: the analysis runs in process `pid`. */
export function markRunning(db: Db, id: number, pid: number): void {
  db.prepare(
    `UPDATE analyses SET status = 'running', started_at = ?, worker_pid = ?
     WHERE id = ? AND status = 'queued'`,
  ).run(Date.now(), pid, id)
}

/** Running totals, so an interrupted analysis still shows how far it got. */
export function saveProgress(
  db: Db,
  id: number,
  p: {
    pv: number
    invalid: number
    bytesRead: number
    linesRead: number
    elapsedMs: number
    rss: number
  },
): void {
  db.prepare(
    `UPDATE analyses SET pv = ?, invalid = ?, bytes_read = ?, lines_read = ?, elapsed_ms = ?,
       peak_rss = max(peak_rss, ?) WHERE id = ? AND status = 'running'`,
  ).run(p.pv, p.invalid, p.bytesRead, p.linesRead, p.elapsedMs, p.rss, id)
}

export function addMemorySamples(db: Db, id: number, samples: MemorySample[]): void {
  if (samples.length === 0) return
  const st = db.prepare(
    'INSERT OR REPLACE INTO memory_samples (analysis_id, t, rss, heap_used) VALUES (?, ?, ?, ?)',
  )
  db.transaction(() => {
    for (const m of samples) st.run(id, m.t, m.rss, m.heapUsed)
  }).immediate()
}
