// Inflates one gzip file into the shared ring of engine/aggregate/inflate.ts for the thread that
// parses it, straight into the ring's slots (gunzip.ts: no buffer per chunk, no garbage).
import { workerData } from 'node:worker_threads'
import {
  bump,
  C_CANCEL,
  C_CONSUMED,
  C_PRODUCED,
  ringOf,
  setEnded,
  setSlotLength,
  SLOT_BYTES,
  SLOTS,
  STATE_CORRUPT,
  STATE_DONE,
  STATE_READ_ERROR,
} from '../engine/aggregate/inflate'
import { GunzipError, GunzipReader } from '../engine/aggregate/gunzip'

const { path, ring: sab } = workerData as { path: string; ring: SharedArrayBuffer }
const ring = ringOf(sab)
const c = ring.control

/** Wait for a free slot; false when the parser cancelled. */
function waitForSlot(produced: number): boolean {
  for (;;) {
    if (Atomics.load(c, C_CANCEL) !== 0) return false
    const consumed = Atomics.load(c, C_CONSUMED)
    if (produced - consumed < SLOTS) return true
    Atomics.wait(c, C_CONSUMED, consumed, 200)
  }
}

let reader: GunzipReader | null = null
try {
  reader = new GunzipReader(path)
  for (let produced = 0; ; produced++) {
    if (!waitForSlot(produced)) break
    const slot = produced % SLOTS
    const n = reader.read(ring.data.subarray(slot * SLOT_BYTES, (slot + 1) * SLOT_BYTES))
    ring.progress[0] = reader.compressed
    if (n === 0) {
      setEnded(ring, STATE_DONE)
      break
    }
    setSlotLength(ring, slot, n)
    Atomics.store(c, C_PRODUCED, produced + 1)
    bump(ring)
  }
} catch (e) {
  if (e instanceof GunzipError) setEnded(ring, STATE_CORRUPT, e.message)
  else {
    const err = e as NodeJS.ErrnoException
    setEnded(ring, STATE_READ_ERROR, `${err.code ?? ''}|${err.message}`)
  }
} finally {
  reader?.close()
}
