// CSV exports. UTF-8 with a BOM (Excel then reads Chinese correctly), CRLF line ends (RFC 4180),
// headers in the report's language, numbers as plain digits, times as `YYYY-MM-DD HH:MM:SS` in
// the log's own offset (named in the header). Text cells that a spreadsheet would run as a formula
// (= + - @, tab, CR, and their full-width forms) are prefixed with a single quote (OWASP's CSV
// injection advice); the value stays readable and is never evaluated.
//
// The per-IP table is streamed straight from SQLite with an iterator and written in chunks: memory
// stays flat whether the analysis has a thousand clients or ten million.
import type { Locale } from '../../shared/contract'
import { withEmptyBuckets } from '../../shared/series'
import { CSV_TABLES, isCsvTable, type CsvTable } from '../../shared/export-parts'
import type { AnalysisDetail, TopKind } from '../../shared/types'
import type { Db } from '../store/db'
import { clientTextOfKey } from '../store/client-key'
import { ipTableName } from '../store/migrations'
import { offsetLabel, plainTime } from './format'
import { reasonKey, reportStrings, type ReportT } from './strings'

/** What `--chart` (the contract's `chart`) selects for a CSV export; `ips` is the default. The
 * list is shared with the renderer's Export menu. */
export { CSV_TABLES, isCsvTable, type CsvTable }

export const BOM = '\uFEFF'
const EOL = '\r\n'
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/
const NEEDS_QUOTES = /[",\r\n]/

/** One text cell: neutralised against formula injection, quoted when needed. */
export function csvText(value: string): string {
  const v = FORMULA_START.test(value) ? "'" + value : value
  return NEEDS_QUOTES.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v
}

export type CsvValue = string | number | boolean | null

export function csvRow(cells: CsvValue[]): string {
  let line = ''
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]
    if (i > 0) line += ','
    if (c === null) continue
    line += typeof c === 'string' ? csvText(c) : String(c)
  }
  return line + EOL
}

/**
 * Where CSV goes, awaited for back-pressure. Bytes passed in may be reused by the caller once the
 * returned promise resolves.
 */
export interface TextSink {
  write(data: string | Uint8Array): Promise<void>
}

export interface IpCsvOptions {
  id: number
  locale: Locale
  /** The log's UTC offset in minutes (null: UTC). */
  tzOffsetMinutes: number | null
  /** Rows between progress reports. */
  chunkRows?: number
  onProgress?: (rows: number) => void
}

function tableExists(db: Db, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  )
}

/**
 * Rows encoded straight into one reused buffer: no string per row beyond what SQLite hands over,
 * so millions of rows make little garbage and the heap stays small. The buffer is handed to the
 * sink when nearly full; the sink has consumed it once its write() resolves.
 */
class RowEncoder {
  private readonly buf = Buffer.allocUnsafe(256 * 1024)
  private pos = 0
  private day = NaN
  private readonly date = Buffer.alloc(11)

  constructor(
    private readonly sink: TextSink,
    /** Seconds added to epoch seconds for the log's offset. */
    private readonly shift: number,
  ) {}

  get nearlyFull(): boolean {
    return this.pos > this.buf.length - 4096
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return
    const n = this.pos
    this.pos = 0
    await this.sink.write(this.buf.subarray(0, n))
  }

  byte(c: number): void {
    this.buf[this.pos++] = c
  }

  /** A non-negative whole number in decimal. */
  uint(n: number): void {
    if (n < 10) {
      this.buf[this.pos++] = 48 + n
      return
    }
    let digits = 1
    for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++
    let v = n
    for (let i = this.pos + digits - 1; i >= this.pos; i--) {
      this.buf[i] = 48 + (v % 10)
      v = Math.floor(v / 10)
    }
    this.pos += digits
  }

  /** Text that fits the headroom (callers check); utf-8. */
  text(t: string): void {
    this.pos += this.buf.write(t, this.pos, 'utf8')
  }

  /** `YYYY-MM-DD HH:MM:SS` in the log's offset; the date part is cached per day. */
  time(epochSeconds: number): void {
    const local = epochSeconds + this.shift
    const day = Math.floor(local / 86_400)
    if (day !== this.day) {
      this.day = day
      this.date.write(plainTime(day * 86_400_000, 0).slice(0, 11), 'latin1')
    }
    this.date.copy(this.buf, this.pos)
    this.pos += 11
    const r = local - day * 86_400
    this.two(Math.floor(r / 3600))
    this.byte(58)
    this.two(Math.floor(r / 60) % 60)
    this.byte(58)
    this.two(r % 60)
  }

  private two(n: number): void {
    this.buf[this.pos++] = 48 + Math.floor(n / 10)
    this.buf[this.pos++] = 48 + (n % 10)
  }
}

function ipHeader(t: ReportT, zone: string): CsvValue[] {
  return [
    t('col.ip'),
    t('col.requests'),
    t('col.bytesRaw'),
    `${t('col.firstSeen')} (${zone})`,
    `${t('col.lastSeen')} (${zone})`,
    '2xx',
    '3xx',
    '4xx',
    '5xx',
  ]
}

/** Page cache (and so sort run) size for a per-IP CSV sorted without the requests index. */
const SORT_CACHE_KIB = 2048

/**
 * Every per-IP row, busiest first. Read through the requests index where it is built; without
 * it (`loglens analyze` leaves only the top-N index) SQLite sorts the rows first, in runs of at
 * most SORT_CACHE_KIB spilled to temporary files, so memory does not grow with the table.
 * Returns the number of rows written.
 */
export async function writeIpCsv(db: Db, sink: TextSink, o: IpCsvOptions): Promise<number> {
  const t = reportStrings(o.locale)
  const off = o.tzOffsetMinutes ?? 0
  await sink.write(BOM + csvRow(ipHeader(t, offsetLabel(off))))
  const table = ipTableName(o.id)
  if (!tableExists(db, table)) return 0
  const indexed =
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?")
      .get(`${table}_pv`) !== undefined
  // SQLite's sorter keeps runs of about the page cache's size in memory.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number
  if (!indexed) db.pragma(`cache_size = -${SORT_CACHE_KIB}`)
  try {
    return await writeIpRows(db, table, sink, o, off)
  } finally {
    db.pragma(`cache_size = ${cacheSize}`)
  }
}

async function writeIpRows(
  db: Db,
  table: string,
  sink: TextSink,
  o: IpCsvOptions,
  off: number,
): Promise<number> {
  const stmt = db
    .prepare(
      `SELECT key, pv, bytes, first_seen, last_seen, s2xx, s3xx, s4xx, s5xx FROM ${table}
       ORDER BY pv DESC, key`,
    )
    .raw(true)
  const enc = new RowEncoder(sink, off * 60)
  const progressEvery = o.chunkRows ?? 4096
  let rows = 0
  // The iterator holds a read transaction open across the awaits below; it is this
  // connection's only statement while it runs (the service gives exports their own connection).
  for (const r of stmt.iterate() as IterableIterator<
    [Buffer, number, number, number, number, number, number, number, number]
  >) {
    const client = clientTextOfKey(r[0])
    const ip = csvText(client)
    if (ip.length > 1024) {
      // Not an address the parser makes; written the slow way, whole.
      await enc.flush()
      await sink.write(
        csvRow([
          client,
          r[1],
          r[2],
          plainTime(r[3] * 1000, off),
          plainTime(r[4] * 1000, off),
          r[5],
          r[6],
          r[7],
          r[8],
        ]),
      )
    } else {
      enc.text(ip)
      enc.byte(44)
      enc.uint(r[1])
      enc.byte(44)
      enc.uint(r[2])
      enc.byte(44)
      enc.time(r[3])
      enc.byte(44)
      enc.time(r[4])
      for (let i = 5; i < 9; i++) {
        enc.byte(44)
        enc.uint(r[i] as number)
      }
      enc.byte(13)
      enc.byte(10)
      if (enc.nearlyFull) await enc.flush()
    }
    if (++rows % progressEvery === 0) o.onProgress?.(rows)
  }
  await enc.flush()
  o.onProgress?.(rows)
  return rows
}

const TOP_KIND: Record<'paths' | 'agents' | 'referrers', TopKind> = {
  paths: 'path',
  agents: 'agent',
  referrers: 'referrer',
}

/** The small tables (series, memory, statuses, top lists, invalid lines): one string each. */
export function smallTableCsv(
  detail: AnalysisDetail,
  table: Exclude<CsvTable, 'ips'>,
  locale: Locale,
): string {
  const t = reportStrings(locale)
  const off = detail.summary.tzOffsetMinutes ?? 0
  const zone = offsetLabel(off)
  const rows: CsvValue[][] = []
  switch (table) {
    case 'traffic':
      rows.push([`${t('col.bucket')} (${zone})`, 'PV', 'UV', t('col.uvExact'), t('col.bytesRaw')])
      // Every bucket from the first to the last, empty ones at zero, as the charts draw them.
      for (const p of withEmptyBuckets(detail.series.points, detail.series.bucket))
        rows.push([plainTime(p.t, off), p.pv, p.uv, p.uvExact ? t('yes') : t('no'), p.bytes])
      break
    case 'memory':
      rows.push([t('col.time'), t('col.rss'), t('col.heap')])
      for (const m of detail.memory) rows.push([m.t / 1000, m.rss, m.heapUsed])
      break
    case 'statuses':
      rows.push([t('col.status'), t('col.count')])
      for (const s of detail.statuses) rows.push([s.status, s.count])
      break
    case 'paths':
    case 'agents':
    case 'referrers': {
      const kind = TOP_KIND[table]
      const keyLabel =
        kind === 'path' ? 'col.path' : kind === 'agent' ? 'col.agent' : 'col.referrer'
      rows.push([
        t('col.rank'),
        t(keyLabel),
        t('col.count'),
        t('col.error'),
        ...(kind === 'agent' ? [t('col.bot')] : []),
      ])
      detail.top[kind].forEach((x, i) =>
        rows.push([
          i + 1,
          x.key,
          x.count,
          x.error,
          ...(kind === 'agent' ? [x.bot ? t('yes') : t('no')] : []),
        ]),
      )
      break
    }
    case 'invalid':
      rows.push([
        t('col.reasonCode'),
        t('col.reason'),
        t('col.lines'),
        t('col.sample'),
        t('col.sampleFile'),
      ])
      for (const r of detail.invalid) {
        if (r.samples.length === 0)
          rows.push([r.reason, t(reasonKey(r.reason)), r.count, null, null])
        r.samples.forEach((sample, i) =>
          rows.push([
            r.reason,
            t(reasonKey(r.reason)),
            r.count,
            sample,
            r.sampleFiles?.[i] ?? null,
          ]),
        )
      }
      break
  }
  return BOM + rows.map(csvRow).join('')
}
