// The range writer thread: writes the key ranges counted at the end of a big analysis to SQLite
// over its own connection, one transaction each, while the coordinator counts the next range on
// the other core (job.ts, countRanges). Started for those ranges only; see range-writes.ts.
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase, truncateWalPast, type Db } from '../engine/store/db'
import { packedCursor } from '../engine/store/packed-rows'
import { AnalysisWriter } from '../engine/store/writer'
import type { FromRangeWriter, RangeWriterInit, ToRangeWriter } from './range-writes'

const port = parentPort!
const init = workerData as RangeWriterInit
const post = (m: FromRangeWriter): void => port.postMessage(m)
const failed = (e: unknown): FromRangeWriter => {
  const err = e as { code?: unknown; message?: unknown }
  return {
    type: 'error',
    message: typeof err?.message === 'string' ? err.message : String(e),
    code: typeof err?.code === 'string' ? err.code : undefined,
  }
}

let db: Db | null = null
let writer: AnalysisWriter | null = null
try {
  // The page cache as small as the coordinator's: every MB counts against the budget.
  db = openDatabase(init.dbPath, { nativeBinding: init.nativeBinding, cacheKiB: 1024 })
  db.pragma('wal_autocheckpoint = 0')
  // The coordinator made the table and keeps the account of what is written (spilledElsewhere).
  writer = new AnalysisWriter(db, init.analysisId, { reuseTable: true })
  post({ type: 'ready' })
} catch (e) {
  post(failed(e))
}

port.on('message', (m: ToRangeWriter) => {
  if (m.type === 'close') {
    writer = null
    db?.close()
    db = null
    post({ type: 'closed' })
    port.close()
    return
  }
  if (!writer || !db) return post({ type: 'error', message: 'the range writer has no database' })
  try {
    writer.spill(packedCursor(m.rows), undefined, m.fresh)
    // As the coordinator's spills do: the write-ahead log emptied past its limit.
    truncateWalPast(db, init.dbPath, init.walLimitBytes)
    // The buffers go back, to be packed again.
    const r = m.rows
    port.postMessage({ type: 'written', rows: r } satisfies FromRangeWriter, [
      r.keys.buffer as ArrayBuffer,
      r.keyEnds.buffer as ArrayBuffer,
      r.counts.buffer as ArrayBuffer,
    ])
  } catch (e) {
    post(failed(e))
  }
})
