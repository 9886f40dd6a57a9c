// Opening the SQLite database: WAL, sane pragmas, migrations, and SQLite errors turned into the
// ErrorInfo codes users see.
import type Database from 'better-sqlite3'
import { mkdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import type { ErrorInfo } from '../../shared/types'
import { clientTextOfKey } from './client-key'
import { FutureSchemaError, migrate } from './migrations'

export type Db = Database.Database

let Sqlite: typeof Database | null = null
/**
 * better-sqlite3 is loaded on first use, not at import: the aggregator parses without it and
 * opens the database only to write, which keeps ~9 MB out of its peak while it reads.
 */
function sqlite(): typeof Database {
  return (Sqlite ??= createRequire(__filename)('better-sqlite3') as typeof Database)
}

export interface OpenOptions {
  /** better-sqlite3 binary built for this runtime (Electron passes its own). */
  nativeBinding?: string
  /** Page cache in KiB; the aggregator keeps it small to stay inside its memory budget. */
  cacheKiB?: number
  readonly?: boolean
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (!opts.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new (sqlite())(path, {
    nativeBinding: opts.nativeBinding,
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
  })
  try {
    db.pragma('busy_timeout = 5000')
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
    }
    db.pragma('foreign_keys = ON')
    db.pragma(`cache_size = -${opts.cacheKiB ?? 8192}`)
    db.pragma('temp_store = FILE')
    // The text of a client key, for prefix search over IPv6 clients (see client-key.ts).
    db.function('loglens_client_text', { deterministic: true }, (key: unknown) =>
      Buffer.isBuffer(key) ? clientTextOfKey(key) : null,
    )
    if (!opts.readonly) migrate(db)
  } catch (e) {
    db.close()
    throw e
  }
  return db
}

/**
 * Copy the write-ahead log into the database file and empty it once it is past `limitBytes`
 * (spills). Best effort: busy (another connection checkpointing) leaves it to the next spill, and
 * a failure here shows again at the next write, which reports it. Returns whether it ran.
 */
export function truncateWalPast(db: Db, path: string, limitBytes: number): boolean {
  let size: number
  try {
    size = statSync(path + '-wal').size
  } catch {
    return false // no log
  }
  if (size <= limitBytes) return false
  try {
    db.pragma('wal_checkpoint(TRUNCATE)')
    return true
  } catch {
    return false // see above
  }
}

/** Map a thrown error (SQLite, file system) to what the user is told. */
export function toErrorInfo(e: unknown, context = 'database'): ErrorInfo {
  const err = e as { code?: string; message?: string }
  const code = err?.code ?? ''
  const message = err?.message ?? String(e)
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_LOCKED') || code.startsWith('SQLITE_BUSY'))
    return { code: 'DB_LOCKED', message: `The ${context} is locked by another program.` }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code === 'EROFS' ||
    code === 'EACCES' ||
    code === 'EPERM'
  )
    return { code: 'DB_READONLY', message: `The ${context} cannot be written: ${message}` }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC')
    return { code: 'DISK_FULL', message: `The disk is full: ${message}` }
  if (code.startsWith('SQLITE_'))
    return { code: 'DB_ERROR', message: `The ${context} failed: ${message}` }
  if (e instanceof FutureSchemaError) return { code: 'DB_ERROR', message: e.message }
  return { code: 'INTERNAL', message }
}
