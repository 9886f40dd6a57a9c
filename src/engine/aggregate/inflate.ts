// A gzip input inflated in a thread of its own (src/aggregator/inflate-worker.ts) while the
// parsing thread parses: used when that thread parses alone (one .gz file, --jobs 1), so the
// second core inflates instead of idling. The worker inflates straight into a small ring of
// shared slots (gunzip.ts: no buffer per chunk, no garbage) and the parser copies each slot into
// its line assembler. 200 MB of gzip: ~40-60 ms faster than inflating on the parsing thread.
import { Worker } from 'node:worker_threads'
import type { ErrorInfo } from '../../shared/types'
import {
  fileError,
  gzipCorrupt,
  type FileTask,
  type LineAssembler,
  type ReadControl,
} from './reader'
import type { TaskOutcome } from './reader'

/**
 * Gzip files smaller than this (compressed) are inflated on the parsing thread: a worker takes
 * 60-70 ms to start, more than it saves on a small file (40 files of 40 KB took 2.7-2.9 s with a
 * worker each).
 */
export const INFLATER_MIN_BYTES = 16 << 20

export const SLOTS = 4
export const SLOT_BYTES = 256 * 1024
const MESSAGE_BYTES = 1024

// Control words (Int32)
export const C_PRODUCED = 0 // slots filled so far (monotonic)
export const C_CONSUMED = 1 // slots parsed so far (monotonic)
export const C_STATE = 2
export const C_CANCEL = 3
export const C_MESSAGE_LEN = 4 // length of the message text (STATE_CORRUPT, STATE_READ_ERROR)
/** Bumped after every change the parser waits for (a slot filled, the end): no lost wake-up. */
export const C_EPOCH = 5
const C_LENGTHS = 8 // then the length of each slot's bytes
const CONTROL_WORDS = C_LENGTHS + SLOTS

export const STATE_RUNNING = 0
export const STATE_DONE = 1
/** The gzip stream is damaged: what came before was handed over. */
export const STATE_CORRUPT = 2
/** The file could not be read (the message is `code|message` of the error). */
export const STATE_READ_ERROR = 3

export interface InflateRing {
  control: Int32Array
  /** Compressed bytes read so far ([0]). */
  progress: Float64Array
  data: Uint8Array
  message: Uint8Array
}

export function createRing(): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_WORDS * 4 + 8 + MESSAGE_BYTES + SLOTS * SLOT_BYTES)
}

export function ringOf(sab: SharedArrayBuffer): InflateRing {
  let at = 0
  const control = new Int32Array(sab, at, CONTROL_WORDS)
  at += CONTROL_WORDS * 4
  const progress = new Float64Array(sab, at, 1)
  at += 8
  const message = new Uint8Array(sab, at, MESSAGE_BYTES)
  at += MESSAGE_BYTES
  return { control, progress, data: new Uint8Array(sab, at, SLOTS * SLOT_BYTES), message }
}

export const slotLength = (r: InflateRing, slot: number): number => r.control[C_LENGTHS + slot]!
export const setSlotLength = (r: InflateRing, slot: number, n: number): void => {
  r.control[C_LENGTHS + slot] = n
}

/** The inflater: how the stream ended, with a text (a damaged stream's, a read error's). */
export function setEnded(r: InflateRing, state: number, text = ''): void {
  const bytes = Buffer.from(text).subarray(0, MESSAGE_BYTES)
  r.message.set(bytes)
  r.control[C_MESSAGE_LEN] = bytes.length
  Atomics.store(r.control, C_STATE, state)
  bump(r)
}

/** Wake the parser: something changed. */
export function bump(r: InflateRing): void {
  Atomics.add(r.control, C_EPOCH, 1)
  Atomics.notify(r.control, C_EPOCH)
}

function messageOf(r: InflateRing): string {
  return Buffer.from(r.message.subarray(0, r.control[C_MESSAGE_LEN]!)).toString()
}

/** Atomics.waitAsync (Node 16+, not yet in TypeScript's ES2022 library). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      a: Int32Array,
      i: number,
      v: number,
      timeout: number,
    ): { async: boolean; value: Promise<string> | string }
  }
).waitAsync

/** Parsing thread: chunks handed over before yielding to the event loop (~1 MB). */
const CHUNKS_PER_TURN = 4

/**
 * Read a gzip task through an inflating worker started from `entry`. Resolves like readGzip:
 * the compressed bytes read, and an error (damaged stream, unreadable file) with everything
 * readable counted.
 */
export async function readGzipInWorker(
  task: FileTask,
  asm: LineAssembler,
  ctl: ReadControl,
  entry: string,
): Promise<TaskOutcome> {
  const sab = createRing()
  const ring = ringOf(sab)
  const c = ring.control
  const worker = new Worker(entry, {
    workerData: { path: task.path, ring: sab },
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 32 },
  })
  let failure: Error | null = null
  worker.on('error', (e) => {
    failure = e
    bump(ring)
  })
  const exited = new Promise<void>((r) => worker.once('exit', () => r()))
  let reported = 0
  const report = (): void => {
    const now = ring.progress[0]!
    if (now > reported) {
      ctl.progress(now - reported)
      reported = now
    }
  }
  asm.begin(true)
  let consumed = 0
  let error: ErrorInfo | null = null
  try {
    for (let turn = 0; ;) {
      if (failure) throw failure
      if (ctl.cancelled()) break
      // Read before looking: a change after this bumps it, so the wait below cannot miss it.
      const epoch = Atomics.load(c, C_EPOCH)
      const produced = Atomics.load(c, C_PRODUCED)
      if (consumed < produced) {
        const slot = consumed % SLOTS
        const n = slotLength(ring, slot)
        asm.feed(ring.data, slot * SLOT_BYTES, n)
        consumed++
        Atomics.store(c, C_CONSUMED, consumed)
        Atomics.notify(c, C_CONSUMED)
        report()
        // Let the event loop run now and then (telemetry, messages), as the stream did.
        if (++turn % CHUNKS_PER_TURN === 0) await new Promise((r) => setImmediate(r))
        continue
      }
      const state = Atomics.load(c, C_STATE)
      if (state !== STATE_RUNNING) {
        if (Atomics.load(c, C_PRODUCED) !== consumed) continue // the last slots came meanwhile
        if (state === STATE_CORRUPT) error = gzipCorrupt(task.name, messageOf(ring))
        else if (state === STATE_READ_ERROR) {
          // `code|message` of the error the file's stream gave
          const text = messageOf(ring)
          const bar = text.indexOf('|')
          const e = Object.assign(new Error(text.slice(bar + 1)), { code: text.slice(0, bar) })
          error = fileError(e, task.name)
        }
        break
      }
      // Nothing to parse yet: wait for the inflater without blocking this thread's loop.
      const w = waitAsync(c, C_EPOCH, epoch, 1000)
      if (w.async) await w.value
    }
    asm.finish()
    report()
    return { bytes: reported, error }
  } finally {
    Atomics.store(c, C_CANCEL, 1)
    Atomics.notify(c, C_CONSUMED)
    // It ends on its own at the next slot; terminated if it has not within a second.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 1000)))])
    clearTimeout(timer)
    await worker.terminate()
  }
}
