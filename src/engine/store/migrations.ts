// Schema migrations: an ordered list, applied in one transaction each, tracked by SQLite's
// user_version. A database written by a newer LogLens (user_version beyond this list) is refused
// rather than guessed at. Every migration has its own test (test/engine/store/migrations.test.ts).
//
// Per-IP counts live in one table per analysis (`ip_counts_<id>`, see ipTableName): rows are
// bulk-loaded in key order without secondary indexes and indexed once at the end, which is several
// times faster than maintaining indexes on a shared table, and deleting an analysis is a DROP
// instead of deleting millions of rows. Migrations that change those tables walk sqlite_master.
// Migrations run in JS, so they may register SQL functions (db.function) they need.
import type Database from 'better-sqlite3'
import { HIDDEN_BY } from '../../shared/types'
import { keyOfClientText } from './client-key'

export interface Migration {
  version: number
  description: string
  up(db: Database.Database): void
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'analyses, series, memory samples, status counts, top items, invalid lines, meta',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE analyses (
          id                INTEGER PRIMARY KEY,
          name              TEXT    NOT NULL,
          status            TEXT    NOT NULL,
          created_at        INTEGER NOT NULL,
          started_at        INTEGER,
          finished_at       INTEGER,
          files             TEXT    NOT NULL,
          total_bytes       INTEGER NOT NULL DEFAULT 0,
          format_request    TEXT    NOT NULL DEFAULT 'auto',
          format            TEXT    NOT NULL DEFAULT '',
          format_detected   INTEGER NOT NULL DEFAULT 0,
          format_suggestion TEXT,
          pv                INTEGER NOT NULL DEFAULT 0,
          uv                INTEGER NOT NULL DEFAULT 0,
          invalid           INTEGER NOT NULL DEFAULT 0,
          body_bytes        INTEGER NOT NULL DEFAULT 0,
          first_time        INTEGER,
          last_time         INTEGER,
          tz_offset         INTEGER,
          bucket            TEXT    NOT NULL DEFAULT 'minute',
          bytes_read        INTEGER NOT NULL DEFAULT 0,
          lines_read        INTEGER NOT NULL DEFAULT 0,
          elapsed_ms        INTEGER NOT NULL DEFAULT 0,
          peak_rss          INTEGER NOT NULL DEFAULT 0,
          jobs              INTEGER NOT NULL DEFAULT 1,
          error             TEXT,
          ip_table          TEXT,
          ip_indexed        INTEGER NOT NULL DEFAULT 0,
          worker_pid        INTEGER,
          _by               TEXT    NOT NULL DEFAULT '${HIDDEN_BY}'
        );
        CREATE INDEX analyses_created ON analyses(created_at DESC);

        CREATE TABLE series (
          analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
          t           INTEGER NOT NULL,
          pv          INTEGER NOT NULL,
          uv          INTEGER NOT NULL,
          uv_exact    INTEGER NOT NULL,
          bytes       INTEGER NOT NULL,
          PRIMARY KEY (analysis_id, t)
        ) WITHOUT ROWID;

        CREATE TABLE memory_samples (
          analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
          t           INTEGER NOT NULL,
          rss         INTEGER NOT NULL,
          heap_used   INTEGER NOT NULL,
          PRIMARY KEY (analysis_id, t)
        ) WITHOUT ROWID;

        CREATE TABLE status_counts (
          analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
          status      INTEGER NOT NULL,
          count       INTEGER NOT NULL,
          PRIMARY KEY (analysis_id, status)
        ) WITHOUT ROWID;

        CREATE TABLE top_items (
          analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
          kind        TEXT    NOT NULL,
          rank        INTEGER NOT NULL,
          key         TEXT    NOT NULL,
          count       INTEGER NOT NULL,
          error       INTEGER NOT NULL,
          bot         INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (analysis_id, kind, rank)
        ) WITHOUT ROWID;

        CREATE TABLE invalid_reasons (
          analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
          reason      TEXT    NOT NULL,
          count       INTEGER NOT NULL,
          samples     TEXT    NOT NULL,
          PRIMARY KEY (analysis_id, reason)
        ) WITHOUT ROWID;
      `)
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('_by', HIDDEN_BY)
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
        'created_at',
        String(Date.now()),
      )
    },
  },
  {
    version: 2,
    description: 'client tables keyed by a binary client key in natural order (IPv4, IPv6, hosts)',
    up(db) {
      db.function('loglens_client_key', { deterministic: true }, (ip: unknown) =>
        keyOfClientText(String(ip)),
      )
      const tables = (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ip_counts_%'",
          )
          .all() as { name: string }[]
      ).map((r) => r.name)
      for (const t of tables) {
        if (!/^ip_counts_\d+$/.test(t)) continue
        const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map(
          (c) => c.name,
        )
        if (cols.includes('key')) continue
        db.exec(`
          CREATE TABLE ${t}_v2 (${IP_TABLE_COLUMNS}) WITHOUT ROWID;
          INSERT INTO ${t}_v2 (key, pv, bytes, first_seen, last_seen, s2xx, s3xx, s4xx, s5xx)
            SELECT loglens_client_key(ip), pv, bytes, first_seen, last_seen, s2xx, s3xx, s4xx, s5xx
            FROM ${t} ORDER BY 1;
          DROP TABLE ${t};
          ALTER TABLE ${t}_v2 RENAME TO ${t};
        `)
        for (const ix of ipTableIndexes(t)) db.exec(ix)
      }
    },
  },
  {
    version: 3,
    description: "the requests threshold of an analysis's top-N index (see ipTopIndex)",
    up(db) {
      // Empty for earlier analyses: their top-N lists read the full requests index.
      db.exec('ALTER TABLE analyses ADD COLUMN top_pv_min INTEGER')
    },
  },
  {
    version: 4,
    description: "the file of each invalid-line sample (a JSON array of the files' names)",
    up(db) {
      // Empty for earlier analyses: their samples name no file.
      db.exec('ALTER TABLE invalid_reasons ADD COLUMN sample_files TEXT')
    },
  },
  {
    version: 5,
    description: 'every error of an analysis that had several (a JSON array; `error` is the first)',
    up(db) {
      db.exec('ALTER TABLE analyses ADD COLUMN errors TEXT')
    },
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

export class FutureSchemaError extends Error {
  constructor(readonly found: number) {
    super(
      `This database was written by a newer LogLens (schema ${found}, this version knows ${SCHEMA_VERSION}).`,
    )
  }
}

/** Bring the database to SCHEMA_VERSION. Each step commits on its own. */
export function migrate(db: Database.Database, upTo = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > SCHEMA_VERSION) throw new FutureSchemaError(current)
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > upTo) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
  return db.pragma('user_version', { simple: true }) as number
}

/** The per-analysis IP table's name (ids are integers: no injection possible). */
export function ipTableName(analysisId: number): string {
  if (!Number.isSafeInteger(analysisId) || analysisId <= 0) throw new Error('bad analysis id')
  return `ip_counts_${analysisId}`
}

/** See client-key.ts for `key`: the client, in natural order (its text is made when read). */
export const IP_TABLE_COLUMNS = `
  key        BLOB    NOT NULL PRIMARY KEY,
  pv         INTEGER NOT NULL,
  bytes      INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  s2xx       INTEGER NOT NULL,
  s3xx       INTEGER NOT NULL,
  s4xx       INTEGER NOT NULL,
  s5xx       INTEGER NOT NULL`

/**
 * Clients the top-N index holds at least: every top-N list (the dashboard's and the report's
 * 100) and the first pages of the table view sorted by requests are read from it.
 */
export const TOP_INDEX_ROWS = 10_000

/**
 * The top-N index of a per-client table: the clients with at least `minPv` requests (the
 * requests of the TOP_INDEX_ROWS-th busiest, stored as analyses.top_pv_min), by requests. It is
 * built with the analysis's final write: for 500k clients in ~30 ms, against ~0.1-0.3 s for
 * the index over all of them, which long-lived fronts build later for the deeper pages.
 */
export function ipTopIndex(table: string, minPv: number): string {
  return `CREATE INDEX ${table}_top ON ${table}(pv DESC) WHERE ${ipTopWhere(minPv)}`
}

/** The condition, word for word, under which SQLite reads the top-N index (see ipTopIndex). */
export function ipTopWhere(minPv: number): string {
  if (!Number.isSafeInteger(minPv)) throw new Error('bad requests threshold')
  return `pv >= ${minPv}`
}

/** Indexes of a per-client table over all its clients: what the table view sorts by. */
export function ipTableIndexes(table: string): string[] {
  return [
    `CREATE INDEX IF NOT EXISTS ${table}_pv ON ${table}(pv DESC)`,
    `CREATE INDEX IF NOT EXISTS ${table}_bytes ON ${table}(bytes DESC)`,
    `CREATE INDEX IF NOT EXISTS ${table}_first ON ${table}(first_seen)`,
    `CREATE INDEX IF NOT EXISTS ${table}_last ON ${table}(last_seen)`,
  ]
}
