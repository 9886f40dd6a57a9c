// The range writer: key ranges packed on the coordinator's thread (packed-rows.ts) and written
// to SQLite by a thread of their own (range-writer.ts, the built bundle) over its own
// connection. Real worker threads, real SQLite files.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RangeWriter } from '../../src/aggregator/range-writes'
import {
  batchCursor,
  emptyBatch,
  mergeCursors,
  type MergedRow,
  type RowCursor,
} from '../../src/engine/aggregate/ip-table'
import { openDatabase, type Db } from '../../src/engine/store/db'
import { packedCursor, packRows, type PackedRows } from '../../src/engine/store/packed-rows'
import { createAnalysis } from '../../src/engine/store/queries'
import { AnalysisWriter } from '../../src/engine/store/writer'
import { OUT_MAIN, requireBuild } from '../support/build'
import { allIpRows } from '../support/ips'

const ENTRY = join(OUT_MAIN, 'range-writer.js')
const dir = mkdtempSync(join(tmpdir(), 'loglens-range-writer-'))
beforeAll(requireBuild)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Clients named by `ips` (in key order), client i with requests pv(i) and bytes of 2^33 + i. */
function clients(ips: string[], pv: (i: number) => number): RowCursor {
  const b = emptyBatch(ips.length)
  ips.forEach((ip, i) => {
    b.ips[i] = ip
    b.pv[i] = pv(i)
    b.bytes[i] = 2 ** 33 + i
    b.first[i] = 1_700_000_000 + i
    b.last[i] = 1_700_100_000 + i
    b.s2xx[i] = pv(i) - 1
    b.s3xx[i] = 1
    b.s4xx[i] = i % 3
    b.s5xx[i] = i % 2
  })
  b.count = ips.length
  return batchCursor(b)
}

const v4 = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, k) => `10.0.${(from + k) >> 8}.${(from + k) & 255}`)

/** Every row of a cursor, keys copied. */
function rowsOf(c: RowCursor): MergedRow[] {
  const out: MergedRow[] = []
  mergeCursors([c], (r) => out.push({ ...r, key: Buffer.from(r.key) }))
  return out
}

describe('packed rows', () => {
  it('give back every row, key and count, in order: IPv4, IPv6 and hostnames', () => {
    const ips = [...v4(0, 3), '2001:db8::1', '2001:db8::ff', 'crawler.example.org']
    const packed = packRows(
      clients(ips, (i) => i + 2),
      ips.length,
    )
    expect(packed.count).toBe(ips.length)
    expect(rowsOf(packedCursor(packed))).toEqual(rowsOf(clients(ips, (i) => i + 2)))
    // Packed again from a cursor with the one-source fast path (as the table's rows are).
    expect(rowsOf(packedCursor(packRows(packedCursor(packed), 2)))).toEqual(
      rowsOf(clients(ips, (i) => i + 2)),
    )
    // The fast path a writer takes with one source: the same counts, in MergedRow order.
    const c = packedCursor(packed)
    for (let k = 0; k < 4; k++) c.next()
    const out: unknown[] = []
    c.putCounts!(out, 0)
    expect(out).toEqual([6, 2 ** 33 + 4, 1_700_000_004, 1_700_100_004, 5, 1, 1, 0])
  })

  it('grow past the rows expected, and show each row’s requests', () => {
    const seen: number[] = []
    const packed = packRows(
      clients(v4(0, 10), (i) => 100 + i),
      3,
      (pv) => seen.push(pv),
    )
    expect(packed.count).toBe(10)
    expect(seen).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109])
    expect(rowsOf(packedCursor(packed))).toEqual(rowsOf(clients(v4(0, 10), (i) => 100 + i)))
  })

  it('reuse the buffers handed back where they are big enough', () => {
    const first = packRows(
      clients(v4(0, 50), () => 1),
      50,
    )
    const again = packRows(
      clients(v4(100, 140), () => 2),
      40,
      undefined,
      first,
    )
    expect(again.counts.buffer).toBe(first.counts.buffer)
    expect(again.keys.buffer).toBe(first.keys.buffer)
    expect(rowsOf(packedCursor(again))).toEqual(rowsOf(clients(v4(100, 140), () => 2)))
  })
})

describe('the range writer thread', () => {
  /** IPv4 clients from..to-1, each with `pv` requests, packed. */
  const range = (from: number, to: number, pv: number): PackedRows =>
    packRows(
      clients(v4(from, to), () => pv),
      to - from,
    )

  /**
   * A new database with one analysis (and its per-client table, as the coordinator's writer
   * makes it, unless `noTable`), a range writer on it for `use`, closed after; then `check`.
   */
  async function withRangeWriter(
    name: string,
    use: (w: RangeWriter, dbPath: string) => Promise<void>,
    check: (db: Db, id: number) => void,
    opts: { walLimitBytes?: number; noTable?: boolean } = {},
  ): Promise<void> {
    const dbPath = join(dir, `${name}.db`)
    const db = openDatabase(dbPath)
    try {
      const id = createAnalysis(db, { name, files: [], formatRequest: 'auto' })
      if (!opts.noTable) new AnalysisWriter(db, id)
      const walLimitBytes = opts.walLimitBytes ?? 1 << 30
      const w = new RangeWriter(ENTRY, { dbPath, analysisId: id, walLimitBytes })
      try {
        await use(w, dbPath)
      } finally {
        await w.close()
      }
      check(db, id)
    } finally {
      db.close()
    }
  }

  it('writes each range in its own transaction, over its own connection', async () => {
    await withRangeWriter(
      'two-ranges',
      async (w) => {
        await w.write(range(0, 300, 3), true)
        await w.write(range(300, 500, 4), true)
      },
      (db, id) => {
        const rows = allIpRows(db, id)
        expect(rows.length).toBe(500)
        expect(rows.reduce((n, r) => n + r.pv, 0)).toBe(300 * 3 + 200 * 4)
        expect(rows[499]).toMatchObject({ ip: '10.0.1.243', pv: 4, bytes: 2 ** 33 + 199 })
      },
    )
  })

  it('past the write-ahead log’s limit, copies it into the database file and empties it', async () => {
    await withRangeWriter(
      'wal',
      async (w, dbPath) => {
        await w.write(range(0, 2000, 2), true)
        expect(statSync(dbPath + '-wal').size).toBe(0)
      },
      (db, id) => expect(allIpRows(db, id).length).toBe(2000),
      { walLimitBytes: 1 },
    )
  })

  it('a failed write fails the ones after it and leaves the rows as they were', async () => {
    await withRangeWriter(
      'conflict',
      async (w) => {
        await w.write(range(0, 100, 3), true)
        // A "fresh" range with clients already written: the key range split was broken.
        await expect(w.write(range(50, 150, 9), true)).rejects.toMatchObject({
          code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
        })
        expect(w.failed).not.toBeNull()
        await expect(w.write(range(200, 210, 1), true)).rejects.toThrow(/UNIQUE/)
      },
      (db, id) => {
        const rows = allIpRows(db, id)
        expect(rows.length).toBe(100)
        expect(rows.every((r) => r.pv === 3)).toBe(true)
      },
    )
  })

  it('a database it cannot write to is a clear error, not a hang', async () => {
    await withRangeWriter(
      'no-table',
      (w) => expect(w.write(range(0, 5, 1), true)).rejects.toThrow(/no such table/),
      () => undefined,
      { noTable: true },
    )
  })
})
