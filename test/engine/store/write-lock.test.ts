// Two connections write to one database: the aggregator's (spills, the final write) and the
// service's (progress every 2 s, deletes). A write transaction that begins by reading cannot
// become a write while the other holds the lock or has committed since: SQLite answers
// SQLITE_BUSY at once, without waiting. Found on a fresh machine where `loglens analyze` on
// 200,000 hostnames failed with "The database is locked by another program." now and then.
// Here a real second connection, in another process, holds the write lock for a moment while
// the final transaction and a delete run: each must wait for it, then succeed.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { batchCursor, emptyBatch } from '../../../src/engine/aggregate/ip-table'
import { openDatabase, type Db } from '../../../src/engine/store/db'
import { createAnalysis, deleteAnalysis, getSummary } from '../../../src/engine/store/queries'
import { AnalysisWriter } from '../../../src/engine/store/writer'
import { totals } from '../../support/totals'

const dir = mkdtempSync(join(tmpdir(), 'loglens-lock-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SQLITE = createRequire(import.meta.url).resolve('better-sqlite3')
const HOLD_MS = 400

/**
 * Another process that takes the write lock (BEGIN IMMEDIATE and a write, as the service saving
 * progress does), holds it for HOLD_MS, then commits. Resolves once the lock is held.
 */
function holdWriteLock(dbPath: string, id: number): Promise<ChildProcess> {
  const script = `
    const db = new (require(${JSON.stringify(SQLITE)}))(${JSON.stringify(dbPath)})
    db.pragma('busy_timeout = 5000')
    db.exec('BEGIN IMMEDIATE')
    db.prepare("UPDATE analyses SET name = 'renamed meanwhile' WHERE id = ?").run(${id})
    process.stdout.write('locked\\n')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${HOLD_MS})
    db.exec('COMMIT')
    db.close()
  `
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve(child)
    })
    child.on('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking`)))
  })
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.on('exit', (code) => resolve(code))
  })

function rows(n: number, from = 0): ReturnType<typeof batchCursor> {
  const b = emptyBatch(n)
  for (let i = 0; i < n; i++) {
    b.ips[i] = `host-${String(from + i).padStart(6, '0')}.example.net`
    b.pv[i] = 1 + ((from + i) % 50)
    b.bytes[i] = 100
    b.first[i] = 1_700_000_000
    b.last[i] = 1_700_000_100
    b.s2xx[i] = b.pv[i]!
  }
  b.count = n
  return batchCursor(b)
}

describe('write transactions beside another connection', () => {
  // Spilled: the final transaction reads the top-N threshold from the table before it writes.
  // Not spilled: it reads only the schema first. Either way it began as a read.
  for (const spilled of [true, false]) {
    it(`the final transaction waits for another connection's write lock (${spilled ? 'after spills' : 'no spill'})`, async () => {
      const path = join(dir, `final-${spilled}.db`)
      const db: Db = openDatabase(path)
      try {
        const id = createAnalysis(db, { name: 'lock', files: [], formatRequest: 'auto' })
        const w = new AnalysisWriter(db, id)
        if (spilled) w.spill(rows(15_000))
        const uv = w.writeFinalIps([rows(15_000, spilled ? 5_000 : 0)])
        const holder = await holdWriteLock(path, id)
        const t0 = Date.now()
        w.finalize(totals(1000), uv)
        // It waited for the other connection rather than failing or writing past it.
        expect(Date.now() - t0).toBeGreaterThanOrEqual(HOLD_MS - 100)
        expect(await exited(holder)).toBe(0)
        // Both writes are there: the other connection's and the final transaction's.
        const a = getSummary(db, id)!
        expect(a.name).toBe('renamed meanwhile')
        expect(a.status).toBe('complete')
        expect(a.uv).toBe(spilled ? 20_000 : 15_000)
        const tenThousandth = db
          .prepare(`SELECT pv FROM ${w.table} ORDER BY pv DESC LIMIT 1 OFFSET 9999`)
          .pluck()
          .get()
        expect(db.prepare('SELECT top_pv_min FROM analyses WHERE id = ?').pluck().get(id)).toBe(
          tenThousandth,
        )
      } finally {
        db.close()
      }
    }, 20_000)
  }

  it("a delete waits for another connection's write lock", async () => {
    const path = join(dir, 'delete.db')
    const db = openDatabase(path)
    try {
      // No per-IP table: the delete's first statement (DROP TABLE IF EXISTS) only reads.
      const id = createAnalysis(db, { name: 'gone', files: [], formatRequest: 'auto' })
      const holder = await holdWriteLock(path, id)
      expect(deleteAnalysis(db, id)).toBe(true)
      expect(await exited(holder)).toBe(0)
      expect(getSummary(db, id)).toBeNull()
    } finally {
      db.close()
    }
  }, 20_000)
})
