import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/engine/store/db'
import {
  FutureSchemaError,
  MIGRATIONS,
  SCHEMA_VERSION,
  migrate,
} from '../../../src/engine/store/migrations'
import { getAnalysisDetail, getMeta } from '../../../src/engine/store/queries'

const dir = mkdtempSync(join(tmpdir(), 'loglens-mig-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * A database left at schema `version`, with what `seed` writes into it, then opened as the app
 * opens it (migrated to the current version).
 */
function upgraded(name: string, version: number, seed: (raw: Database.Database) => void): Db {
  const path = join(dir, name)
  const raw = new Database(path)
  migrate(raw, version)
  seed(raw)
  raw.close()
  const db = openDatabase(path)
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
  return db
}

describe('migrations', () => {
  it('are numbered 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('1: creates the tables, WAL mode, and the hidden _by value', () => {
    const path = join(dir, 'm1.db')
    const db = openDatabase(path)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as {
        name: string
      }[]
    ).map((r) => r.name)
    expect(tables).toEqual(
      expect.arrayContaining([
        'analyses',
        'series',
        'memory_samples',
        'status_counts',
        'top_items',
        'invalid_reasons',
        'meta',
      ]),
    )
    expect(getMeta(db, '_by')).toBe('程序员晚枫')
    db.prepare(
      "INSERT INTO analyses (name, status, created_at, files) VALUES ('x', 'queued', 1, '[]')",
    ).run()
    expect((db.prepare('SELECT _by FROM analyses').get() as { _by: string })._by).toBe('程序员晚枫')
    db.close()
  })

  it('2: rebuilds version-1 client tables keyed in natural order, with their indexes', () => {
    const db = upgraded('m2.db', 1, (raw) => {
      raw.exec(`CREATE TABLE ip_counts_7 (ip TEXT NOT NULL PRIMARY KEY, pv INTEGER NOT NULL,
      bytes INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
      s2xx INTEGER NOT NULL, s3xx INTEGER NOT NULL, s4xx INTEGER NOT NULL, s5xx INTEGER NOT NULL)
      WITHOUT ROWID`)
      const ins = raw.prepare('INSERT INTO ip_counts_7 VALUES (?, ?, 1, 2, 3, 1, 0, 0, 0)')
      for (const [ip, pv] of [
        ['10.0.0.10', 5],
        ['10.0.0.9', 7],
        ['2001:db8::1', 2],
        ['host.example', 1],
        ['9.1.1.1', 3],
      ] as const)
        ins.run(ip, pv)
    })
    const rows = db
      .prepare('SELECT loglens_client_text(key) AS ip, pv FROM ip_counts_7 ORDER BY key')
      .all()
    expect(rows).toEqual([
      { ip: '9.1.1.1', pv: 3 },
      { ip: '10.0.0.9', pv: 7 },
      { ip: '10.0.0.10', pv: 5 },
      { ip: '2001:db8::1', pv: 2 },
      { ip: 'host.example', pv: 1 },
    ])
    const indexes = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ip_counts_7'")
        .all() as { name: string }[]
    ).map((r) => r.name)
    expect(indexes.sort()).toEqual([
      'ip_counts_7_bytes',
      'ip_counts_7_first',
      'ip_counts_7_last',
      'ip_counts_7_pv',
    ])
    db.close()
  })

  it("3: adds the top-N index's requests threshold, empty for earlier analyses", () => {
    const db = upgraded('m3.db', 2, (raw) => {
      raw
        .prepare(
          "INSERT INTO analyses (name, status, created_at, files) VALUES ('old', 'complete', 1, '[]')",
        )
        .run()
    })
    expect(db.prepare('SELECT name, top_pv_min FROM analyses').all()).toEqual([
      { name: 'old', top_pv_min: null },
    ])
    db.close()
  })

  it("4: keeps the invalid-line samples' files; earlier samples read as naming none", () => {
    const db = upgraded('m4.db', 3, (raw) => {
      raw
        .prepare(
          "INSERT INTO analyses (id, name, status, created_at, files) VALUES (5, 'old', 'complete', 1, '[]')",
        )
        .run()
      raw.prepare('INSERT INTO invalid_reasons VALUES (5, \'bad_time\', 2, \'["x","y"]\')').run()
    })
    expect(getAnalysisDetail(db, 5)!.invalid).toEqual([
      { reason: 'bad_time', count: 2, samples: ['x', 'y'] },
    ])
    db.prepare(`UPDATE invalid_reasons SET sample_files = '["a.log","b.log"]'`).run()
    expect(getAnalysisDetail(db, 5)!.invalid[0]!.sampleFiles).toEqual(['a.log', 'b.log'])
    // Not one name per sample (a damaged row): no names rather than wrong ones.
    db.prepare(`UPDATE invalid_reasons SET sample_files = '["a.log"]'`).run()
    expect(getAnalysisDetail(db, 5)!.invalid[0]!.sampleFiles).toBeUndefined()
    db.close()
  })

  it('5: keeps every error of an analysis that had several; earlier ones list none', () => {
    const db = upgraded('m5.db', 4, (raw) => {
      raw
        .prepare(
          "INSERT INTO analyses (id, name, status, created_at, files, error) VALUES (6, 'old', 'incomplete', 1, '[]', ?)",
        )
        .run(JSON.stringify({ code: 'NOT_FOUND', message: 'gone' }))
    })
    const s = getAnalysisDetail(db, 6)!.summary
    expect(s.error).toEqual({ code: 'NOT_FOUND', message: 'gone' })
    expect(s.errors).toBeUndefined()
    const two = [
      { code: 'NOT_FOUND', message: 'gone' },
      { code: 'NOT_A_LOG', message: 'no log' },
    ]
    db.prepare('UPDATE analyses SET errors = ?').run(JSON.stringify(two))
    expect(getAnalysisDetail(db, 6)!.summary.errors).toEqual(two)
    db.close()
  })

  it('is idempotent: reopening a current database changes nothing', () => {
    const path = join(dir, 'again.db')
    openDatabase(path).close()
    const db = openDatabase(path)
    expect(migrate(db)).toBe(SCHEMA_VERSION)
    db.close()
  })

  it('refuses a database written by a newer LogLens, leaving it untouched', () => {
    const path = join(dir, 'future.db')
    const raw = new Database(path)
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`)
    raw.close()
    expect(() => openDatabase(path)).toThrow(FutureSchemaError)
    const check = new Database(path)
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5)
    check.close()
  })
})
