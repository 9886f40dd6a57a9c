// The final rows, committed in parts when the caller asks (WriteHooks.committed): another
// connection can then copy each part into the database file (a passive checkpoint) while the
// rest is written, which is what `loglens analyze` does on its other core. Real SQLite files,
// two connections.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { batchCursor, emptyBatch, type RowCursor } from '../../../src/engine/aggregate/ip-table'
import { openDatabase } from '../../../src/engine/store/db'
import { createAnalysis, getSummary } from '../../../src/engine/store/queries'
import { AnalysisWriter } from '../../../src/engine/store/writer'

const dir = mkdtempSync(join(tmpdir(), 'loglens-final-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const N = 120_000
/** Rows in one statement × statements per part (writer.ts). */
const PART = 100 * 512

/** N hostname clients in key order; client i made i % 50 + 1 requests. */
function rows(): RowCursor {
  const b = emptyBatch(N)
  for (let i = 0; i < N; i++) {
    b.ips[i] = `host-${String(i).padStart(6, '0')}.example.net`
    b.pv[i] = (i % 50) + 1
    b.bytes[i] = 10 * i
    b.first[i] = 1_700_000_000 + i
    b.last[i] = 1_700_000_000 + 2 * i
    b.s2xx[i] = b.pv[i]!
  }
  b.count = N
  return batchCursor(b)
}
let requests = 0
for (let i = 0; i < N; i++) requests += (i % 50) + 1

describe('the final rows, committed in parts', () => {
  it('commits every 51,200 rows; another connection copies each part into the file meanwhile', () => {
    const path = join(dir, 'parts.db')
    const db = openDatabase(path)
    const other = openDatabase(path)
    try {
      const id = createAnalysis(db, { name: 'parts', files: [], formatRequest: 'auto' })
      const w = new AnalysisWriter(db, id)
      const seen: { rows: number; busy: number; log: number; copied: number }[] = []
      const uv = w.writeFinalIps([rows()], {
        committed: () => {
          const [r] = other.pragma('wal_checkpoint(PASSIVE)') as {
            busy: number
            log: number
            checkpointed: number
          }[]
          const count = other.prepare(`SELECT count(*) FROM ${w.table}`).pluck().get() as number
          seen.push({ rows: count, busy: r!.busy, log: r!.log, copied: r!.checkpointed })
        },
      })
      expect(uv).toBe(N)
      // Each part was visible to the other connection once committed, and all of it copied.
      expect(seen.map((s) => s.rows)).toEqual([PART, 2 * PART, N])
      for (const s of seen) {
        expect(s.busy).toBe(0)
        expect(s.log).toBeGreaterThan(0)
        expect(s.copied).toBe(s.log)
      }
      expect(db.inTransaction).toBe(false)
      const sums = db
        .prepare(`SELECT count(*) AS n, sum(pv) AS pv, sum(s2xx) AS ok FROM ${w.table}`)
        .get()
      expect(sums).toEqual({ n: N, pv: requests, ok: requests })
    } finally {
      other.close()
      db.close()
    }
  })

  it('a failure midway keeps the committed parts, rolls back the open one and leaves no transaction', () => {
    const path = join(dir, 'fails.db')
    const db = openDatabase(path)
    try {
      const id = createAnalysis(db, { name: 'fails', files: [], formatRequest: 'auto' })
      const w = new AnalysisWriter(db, id)
      const inner = rows()
      let served = 0
      const failing: RowCursor = {
        get key() {
          return inner.key
        },
        addTo: (row) => inner.addTo(row),
        next() {
          if (++served === 70_000) throw new Error('the disk went away')
          inner.next()
        },
      }
      let parts = 0
      expect(() => w.writeFinalIps([failing], { committed: () => parts++ })).toThrow(
        'the disk went away',
      )
      expect(parts).toBe(1)
      expect(db.inTransaction).toBe(false)
      expect(db.prepare(`SELECT count(*) FROM ${w.table}`).pluck().get()).toBe(PART)
      // The writer can still say how the analysis ended.
      w.markEnded('incomplete', { code: 'DISK_FULL', message: 'the disk went away' }, 1, 1)
      expect(getSummary(db, id)!.status).toBe('incomplete')
    } finally {
      db.close()
    }
  })

  it('a key already stored makes SQLite end the open part itself: the committed parts stay', () => {
    // The plain inserts are OR ROLLBACK (no statement journal): on a constraint failure SQLite
    // rolls the whole transaction back before the writer's own handler runs.
    const path = join(dir, 'conflict.db')
    const db = openDatabase(path)
    try {
      const id = createAnalysis(db, { name: 'conflict', files: [], formatRequest: 'auto' })
      const first = new AnalysisWriter(db, id)
      const one = emptyBatch(1)
      one.ips[0] = 'host-060000.example.net'
      one.pv[0] = 1
      one.count = 1
      first.writeFinalIps([batchCursor(one)])
      const w = new AnalysisWriter(db, id, { reuseTable: true })
      let parts = 0
      expect(() => w.writeFinalIps([rows()], { committed: () => parts++ })).toThrow(/UNIQUE/)
      expect(parts).toBe(1)
      expect(db.inTransaction).toBe(false)
      expect(db.prepare(`SELECT count(*) FROM ${w.table}`).pluck().get()).toBe(PART + 1)
      w.markEnded('incomplete', { code: 'DB_ERROR', message: 'conflict' }, 1, 1)
      expect(getSummary(db, id)!.status).toBe('incomplete')
    } finally {
      db.close()
    }
  })
})
