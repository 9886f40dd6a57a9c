// The coordinator's side of the range writer (range-writer.ts): a thread with its own SQLite
// connection that writes a counted key range while this thread counts the next one. Counting
// and writing the 64 ranges of the lesson's 10 GB log took ~2-3 s and ~1.2-1.8 s, one after the
// other on one core while the other was idle.
import { Worker } from 'node:worker_threads'
import type { PackedRows } from '../engine/store/packed-rows'
import { WORKER_LIMITS } from './standby'

export interface RangeWriterInit {
  dbPath: string
  analysisId: number
  /** better-sqlite3's binary for this runtime (Electron passes its own). */
  nativeBinding?: string
  /** The write-ahead log's size past which a write is followed by a checkpoint. */
  walLimitBytes: number
}

export type ToRangeWriter = { type: 'write'; rows: PackedRows; fresh: boolean } | { type: 'close' }

export type FromRangeWriter =
  | { type: 'ready' }
  /** The rows written, their buffers handed back for the next range. */
  | { type: 'written'; rows: PackedRows }
  | { type: 'closed' }
  | { type: 'error'; message: string; code?: string }

/**
 * One write at a time is handed over (the caller awaits the last before it packs the next), so
 * what is in flight is one range's packed rows. Any failure fails every write after it: the job
 * ends on the first.
 */
export class RangeWriter {
  private readonly worker: Worker
  /** One per message sent (the first is the thread's start): answered in order. */
  private readonly pending: {
    resolve: (rows: PackedRows | null) => void
    reject: (e: Error) => void
  }[] = []
  private closing = false
  /** The first failure: a write's, the thread's start, or the thread's end. */
  failed: Error | null = null

  constructor(entry: string, init: RangeWriterInit) {
    this.worker = new Worker(entry, { workerData: init, resourceLimits: WORKER_LIMITS })
    this.expect().catch(() => undefined) // 'ready'; a failure shows at the next write
    this.worker.on('message', (m: FromRangeWriter) => {
      if (m.type === 'error')
        this.fail(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}))
      else this.pending.shift()?.resolve(m.type === 'written' ? m.rows : null)
    })
    this.worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))))
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the range writer thread exited (code ${code})`))
    })
  }

  private expect(): Promise<PackedRows | null> {
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }))
  }

  private fail(e: Error): void {
    this.failed ??= e
    for (const p of this.pending.splice(0)) p.reject(this.failed)
  }

  /**
   * Write the rows in one transaction (AnalysisWriter.spill). Their buffers are handed over, and
   * back once written (packRows' `reuse`): one set for every range, not one to collect per range
   * (garbage in a thread that allocates little is collected late: 64 ranges' buffers, ~70 MB,
   * were still there at the end of the lesson's 10 GB).
   */
  async write(rows: PackedRows, fresh: boolean): Promise<PackedRows> {
    if (this.failed) throw this.failed
    const done = this.expect()
    const msg: ToRangeWriter = { type: 'write', rows, fresh }
    this.worker.postMessage(msg, [
      rows.keys.buffer as ArrayBuffer,
      rows.keyEnds.buffer as ArrayBuffer,
      rows.counts.buffer as ArrayBuffer,
    ])
    return (await done)!
  }

  /** Close the thread's connection and end it (ended at once after a failure). */
  async close(): Promise<void> {
    this.closing = true
    if (!this.failed) {
      const closed = this.expect()
      this.worker.postMessage({ type: 'close' } satisfies ToRangeWriter)
      await closed.catch(() => undefined)
    }
    await this.worker.terminate()
  }
}
