// Key ranges counted at the end of a big analysis are spilled "fresh" (AnalysisWriter.spill):
// each client whole and written once, so plain inserts, and the top-N index's threshold comes
// from the requests counted on the way instead of a sort of the whole table (2M clients: ~150
// ms). Any other spill may add to rows already there: then the threshold is read from the
// table. Real SQLite files.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { batchCursor, emptyBatch, type RowCursor } from '../../../src/engine/aggregate/ip-table'
import { openDatabase, type Db } from '../../../src/engine/store/db'
import { TOP_INDEX_ROWS } from '../../../src/engine/store/migrations'
import { createAnalysis, topIps } from '../../../src/engine/store/queries'
import { AnalysisWriter } from '../../../src/engine/store/writer'
import { totals } from '../../support/totals'

const dir = mkdtempSync(join(tmpdir(), 'loglens-ranks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Clients from..to-1 in key order; client i made requests(i). */
function clients(from: number, to: number, requests: (i: number) => number): RowCursor {
  const b = emptyBatch(to - from)
  for (let i = from; i < to; i++) {
    const k = i - from
    b.ips[k] = `host-${String(i).padStart(6, '0')}.example.net`
    b.pv[k] = requests(i)
    b.bytes[k] = 10 * i
    b.first[k] = 1_700_000_000
    b.last[k] = 1_700_000_050
    b.s2xx[k] = b.pv[k]!
  }
  b.count = to - from
  return batchCursor(b)
}

/** Requests with ties, spread so the 10,000th busiest is not at either end. */
const spread = (i: number): number => ((i * 7919) % 97) + 1

/** The threshold as stored, and whether the table was sorted to find it. */
function finish(db: Db, w: AnalysisWriter, id: number): { minPv: number; sorted: boolean } {
  const prepare = vi.spyOn(db, 'prepare')
  try {
    w.finalize(totals(1000), w.clientCount())
    const sorted = prepare.mock.calls.some(([sql]) => /ORDER BY pv DESC LIMIT 1 OFFSET/.test(sql))
    const minPv = db.prepare('SELECT top_pv_min FROM analyses WHERE id = ?').pluck().get(id)
    return { minPv: minPv as number, sorted }
  } finally {
    prepare.mockRestore()
  }
}

function tenThousandth(db: Db, table: string): number {
  const sql = `SELECT pv FROM ${table} ORDER BY pv DESC LIMIT 1 OFFSET ${TOP_INDEX_ROWS - 1}`
  return db.prepare(sql).pluck().get() as number
}

/** A new database with one analysis and its writer, closed after `use`. */
function withWriter(name: string, use: (db: Db, w: AnalysisWriter, id: number) => void): void {
  const db = openDatabase(join(dir, `${name}.db`))
  try {
    const id = createAnalysis(db, { name, files: [], formatRequest: 'auto' })
    use(db, new AnalysisWriter(db, id), id)
  } finally {
    db.close()
  }
}

describe('spills of whole, new clients (key ranges)', () => {
  it('keep every client’s requests for the top-N threshold: no sort of the table', () => {
    withWriter('fresh', (db, w, id) => {
      // Three ranges of the key space, one after the other, then nothing left for the end.
      w.spill(clients(0, 6000, spread), undefined, true)
      w.spill(clients(6000, 11_000, spread), undefined, true)
      w.spill(clients(11_000, 16_000, spread), undefined, true)
      expect(w.writeFinalIps([])).toBe(16_000)
      const { minPv, sorted } = finish(db, w, id)
      expect(sorted).toBe(false)
      expect(minPv).toBe(tenThousandth(db, w.table))
      expect(w.clientCount()).toBe(16_000)
      const busiest = Array.from({ length: 16_000 }, (_, i) => spread(i)).sort((a, b) => b - a)
      expect(topIps(db, id, 100).map((r) => r.pv)).toEqual(busiest.slice(0, 100))
    })
  })

  it('after a spill that adds to rows already there, the threshold is read from the table', () => {
    withWriter('mixed', (db, w, id) => {
      w.spill(clients(0, 12_000, spread), undefined, true)
      // A range bigger than the table drained midway: the same clients again, more requests.
      w.spill(clients(2000, 12_000, () => 50))
      const { minPv, sorted } = finish(db, w, id)
      expect(sorted).toBe(true)
      expect(minPv).toBe(tenThousandth(db, w.table))
      // What the fresh spill alone had counted would be wrong here.
      const firstSpill = Array.from({ length: 12_000 }, (_, i) => spread(i)).sort((a, b) => b - a)
      expect(minPv).not.toBe(firstSpill[TOP_INDEX_ROWS - 1])
    })
  })

  it('final rows after spills are upserted, and the threshold is read from the table', () => {
    withWriter('final', (db, w, id) => {
      w.spill(clients(0, 12_000, spread), undefined, true)
      // Hostnames left in a thread's table at the end: some of them spilled before.
      expect(w.writeFinalIps([clients(6000, 14_000, () => 60)])).toBe(14_000)
      const { minPv, sorted } = finish(db, w, id)
      expect(sorted).toBe(true)
      expect(minPv).toBe(tenThousandth(db, w.table))
    })
  })

  it('a fresh spill of a client already stored fails whole and leaves the rows as they were', () => {
    withWriter('conflict', (db, w) => {
      w.spill(
        clients(0, 500, () => 3),
        undefined,
        true,
      )
      expect(() =>
        w.spill(
          clients(400, 900, () => 4),
          undefined,
          true,
        ),
      ).toThrow(/UNIQUE/)
      expect(db.inTransaction).toBe(false)
      expect(w.clientCount()).toBe(500)
      expect(db.prepare(`SELECT sum(pv) FROM ${w.table}`).pluck().get()).toBe(1500)
    })
  })
})
