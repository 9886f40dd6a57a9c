// The read side: paging, prefix search and sorting over a per-analysis IP table, answered from
// indexes (checked with EXPLAIN QUERY PLAN) so pages of millions of rows stay cheap.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batchCursor, emptyBatch } from '../../../src/engine/aggregate/ip-table'
import { openDatabase, type Db } from '../../../src/engine/store/db'
import { TOP_INDEX_ROWS } from '../../../src/engine/store/migrations'
import { createAnalysis, listAnalyses, queryIps, topIps } from '../../../src/engine/store/queries'
import { AnalysisWriter } from '../../../src/engine/store/writer'
import { keyOfClientText } from '../../../src/engine/store/client-key'

const dir = mkdtempSync(join(tmpdir(), 'loglens-queries-'))
let db: Db
let id = 0
/** The same rows with only the top-N index, as `loglens analyze` leaves an analysis. */
let topOnly = 0
let threshold = 0
const N = 20_000
let ticks = 0

beforeAll(() => {
  db = openDatabase(join(dir, 'q.db'))
  id = createAnalysis(db, { name: 'q', files: [], formatRequest: 'auto' })
  // In natural (numeric) order, as the engine hands rows to the writer.
  const ips = Array.from({ length: N }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${i % 7}`).sort(
    (a, b) => Buffer.compare(keyOfClientText(a), keyOfClientText(b)),
  )
  const b = emptyBatch(N)
  ips.forEach((ip, i) => {
    b.ips[i] = ip
    b.pv[i] = (i * 7919) % 1000
    b.bytes[i] = (i * 104729) % 100000
    b.first[i] = 1_700_000_000 + ((i * 31) % 5000)
    b.last[i] = b.first[i]! + 100
    b.s2xx[i] = b.pv[i]!
  })
  b.count = N
  const w = new AnalysisWriter(db, id)
  expect(w.writeFinalIps([batchCursor(b)], { tick: () => ticks++ })).toBe(N)
  db.prepare('UPDATE analyses SET uv = ? WHERE id = ?').run(N, id)
  w.buildTopIndex()
  w.buildSortIndexes()
  topOnly = createAnalysis(db, { name: 'top only', files: [], formatRequest: 'auto' })
  const t = new AnalysisWriter(db, topOnly)
  t.writeFinalIps([batchCursor(b)])
  db.prepare('UPDATE analyses SET uv = ? WHERE id = ?').run(N, topOnly)
  threshold = t.buildTopIndex()
})
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const plan = (sql: string): string =>
  (db.prepare('EXPLAIN QUERY PLAN ' + sql).all() as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ')

describe('IP queries', () => {
  it('ticks the caller while it writes (telemetry keeps sampling through the write)', () => {
    // 20,000 rows = 200 statements of 100 rows; a tick every 32 statements.
    expect(ticks).toBe(6)
  })

  it('pages through every row exactly once, in order', () => {
    const seen: string[] = []
    for (let offset = 0; offset < N; offset += 1500) {
      const { rows, total } = queryIps(db, { id, sort: 'ip', dir: 'asc', offset, limit: 1500 })
      expect(total).toBe(N)
      seen.push(...rows.map((r) => r.ip))
    }
    expect(seen).toHaveLength(N)
    expect(new Set(seen).size).toBe(N)
    // Natural order: 10.0.0.9 before 10.0.0.10 (numeric, not text).
    const numeric = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0)
    expect(seen.map(numeric)).toEqual([...seen.map(numeric)].sort((a, b) => a - b))
  })

  it('sorts by requests, bytes, first and last seen in both directions', () => {
    for (const sort of ['pv', 'bytes', 'firstSeen', 'lastSeen'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const { rows } = queryIps(db, { id, sort, dir, offset: 100, limit: 200 })
        const v = rows.map((r) => r[sort])
        const sorted = [...v].sort((a, b) => (dir === 'asc' ? a - b : b - a))
        expect(v, `${sort} ${dir}`).toEqual(sorted)
      }
    }
  })

  it('searches by prefix with a range on the primary key', () => {
    const { rows, total } = queryIps(db, {
      id,
      search: '10.3.1',
      sort: 'pv',
      dir: 'desc',
      offset: 0,
      limit: 5000,
    })
    expect(total).toBe(rows.length)
    expect(total).toBeGreaterThan(0)
    expect(rows.every((r) => r.ip.startsWith('10.3.1'))).toBe(true)
    // Key ranges of the primary key: `10.3.1` is 10.3.1.x and 10.3.10-19.x and 10.3.100-199.x.
    expect(
      plan(`SELECT * FROM ip_counts_${id} WHERE (key BETWEEN x'040a030100' AND x'040a0301ff')`),
    ).toMatch(/SEARCH .* USING PRIMARY KEY \(key>\? AND key<\?\)/)
    expect(
      queryIps(db, { id, search: '192.', sort: 'ip', dir: 'asc', offset: 0, limit: 10 }).total,
    ).toBe(0)
  })

  it('finds exactly the clients whose text starts with the search, for IPv4, IPv6 and hostnames', () => {
    const mixed = [
      '1.2.3.4',
      '10.0.0.1',
      '10.0.0.10',
      '10.0.0.100',
      '10.0.0.2',
      '100.1.1.1',
      '19.0.0.1',
      '192.16.0.1',
      '192.160.5.5',
      '192.168.1.1',
      '192.169.0.0',
      '193.0.0.1',
      '255.255.255.255',
      '0.0.0.0',
      '::1',
      '2001:db8::1',
      '2001:db8::2:1',
      '2001:db8:0:1::',
      'fe80::1',
      'crawl-66-249.googlebot.com',
      'host.example',
      '10host.example',
    ]
    const mid = createAnalysis(db, { name: 'mixed', files: [], formatRequest: 'auto' })
    const b = emptyBatch(mixed.length)
    mixed
      .slice()
      .sort((x, y) => Buffer.compare(keyOfClientText(x), keyOfClientText(y)))
      .forEach((ip, i) => {
        b.ips[i] = ip
        b.pv[i] = 1
        b.first[i] = b.last[i] = 1
      })
    b.count = mixed.length
    new AnalysisWriter(db, mid).writeFinalIps([batchCursor(b)])
    for (const search of [
      '10.0.0.1',
      '10',
      '1',
      '192.16',
      '192.168.',
      '2',
      '2001:db8:',
      '::',
      'f',
      'fe80',
      'crawl',
      'h',
      '10h',
      '255.255.255.255',
      'zzz',
    ]) {
      const got = queryIps(db, { id: mid, search, sort: 'ip', dir: 'asc', offset: 0, limit: 100 })
      const want = mixed.filter((ip) => ip.startsWith(search))
      expect(got.rows.map((r) => r.ip).sort(), search).toEqual(want.sort())
      expect(got.total, search).toBe(want.length)
    }
  })

  it('answers top-N and the sorted pages from indexes, not by sorting the table', () => {
    expect(plan(`SELECT * FROM ip_counts_${id} ORDER BY pv DESC, key LIMIT 100`)).not.toMatch(
      /TEMP B-TREE/,
    )
    expect(
      plan(`SELECT * FROM ip_counts_${id} ORDER BY bytes DESC, key LIMIT 50 OFFSET 100`),
    ).toMatch(/USING INDEX/)
    expect(plan(`SELECT * FROM ip_counts_${id} ORDER BY last_seen ASC, key LIMIT 50`)).toMatch(
      /USING INDEX/,
    )
    const top = topIps(db, id, 100)
    expect(top).toHaveLength(100)
    expect(top[0]!.pv).toBe(999)
  })

  it("keeps the top-N index's threshold: the requests of the busiest clients' last", () => {
    // Counted as the rows were written; SQLite's own sort gives the same.
    const nth = db
      .prepare(`SELECT pv FROM ip_counts_${topOnly} ORDER BY pv DESC LIMIT 1 OFFSET ?`)
      .pluck()
      .get(TOP_INDEX_ROWS - 1)
    expect(threshold).toBe(nth)
    expect(threshold).toBeGreaterThan(0)
    const stored = db.prepare('SELECT top_pv_min FROM analyses WHERE id = ?').pluck()
    expect(stored.get(topOnly)).toBe(threshold)
    expect(stored.get(id)).toBe(threshold)
    // Fewer than half the clients: the index is smaller than the table.
    const inIndex = db
      .prepare(`SELECT count(*) FROM ip_counts_${topOnly} WHERE pv >= ?`)
      .pluck()
      .get(threshold) as number
    expect(inIndex).toBeGreaterThanOrEqual(TOP_INDEX_ROWS)
    expect(inIndex).toBeLessThan(N * 0.6)
  })

  it('answers top-N and the first pages by requests from the top-N index alone', () => {
    expect(
      plan(
        `SELECT * FROM ip_counts_${topOnly} WHERE pv >= ${threshold} ORDER BY pv DESC, key LIMIT 100`,
      ),
    ).toMatch(new RegExp(`USING INDEX ip_counts_${topOnly}_top(?![\\s\\S]*TEMP B-TREE)`))
    const all = (limit: number, offset = 0): unknown[] =>
      db
        .prepare(`SELECT key FROM ip_counts_${topOnly} ORDER BY pv DESC, key LIMIT ? OFFSET ?`)
        .all(limit, offset)
        .map((r) => (r as { key: Buffer }).key.toString('hex'))
    const keys = (rows: { ip: string }[]): string[] =>
      rows.map((r) => keyOfClientText(r.ip).toString('hex'))
    // Up to the index's last client, and one past it (read without the index).
    for (const limit of [1, 100, TOP_INDEX_ROWS, TOP_INDEX_ROWS + 1])
      expect(keys(topIps(db, topOnly, limit)), `top ${limit}`).toEqual(all(limit))
    for (const [offset, limit] of [
      [0, 50],
      [TOP_INDEX_ROWS - 50, 50],
      [TOP_INDEX_ROWS - 50, 100],
    ] as const) {
      const page = queryIps(db, { id: topOnly, sort: 'pv', dir: 'desc', offset, limit })
      expect(page.total).toBe(N)
      expect(keys(page.rows), `page at ${offset}`).toEqual(all(limit, offset))
    }
  })
})

describe('the list of analyses', () => {
  it('finds an analysis by a part of its name or of a file name, any case, % and _ as text', () => {
    const h = openDatabase(join(dir, 'list.db'))
    const file = (name: string) => ({ name, size: 10, path: '/logs/' + name })
    const a = createAnalysis(h, {
      name: 'March traffic',
      files: [file('access.log')],
      formatRequest: 'auto',
    })
    const b = createAnalysis(h, {
      name: '三月 日志',
      files: [file('nginx "edge".log'), file('100%_done.log.gz')],
      formatRequest: 'auto',
    })
    const c = createAnalysis(h, {
      name: 'other',
      files: [file('error.log')],
      formatRequest: 'auto',
    })
    const ids = (search?: string) => listAnalyses(h, 500, search).map((x) => x.id)
    expect(ids()).toEqual([c, b, a])
    expect(ids('  ')).toEqual([c, b, a])
    expect(ids('MARCH')).toEqual([a])
    expect(ids('access')).toEqual([a])
    expect(ids('"edge"')).toEqual([b])
    expect(ids('三月')).toEqual([b])
    expect(ids('100%_')).toEqual([b])
    // `%` and `_` match themselves only: "log%" is in no name.
    expect(ids('log%')).toEqual([])
    expect(ids('_done')).toEqual([b])
    expect(ids('.log')).toEqual([c, b, a])
    expect(listAnalyses(h, 2, '.log').map((x) => x.id)).toEqual([c, b])
    // The path is not searched: a folder name would match every file in it.
    expect(ids('/logs/')).toEqual([])
    h.close()
  })
})
