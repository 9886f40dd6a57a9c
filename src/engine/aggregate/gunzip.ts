// Gzip inflated into buffers the caller owns: no new buffer per chunk.
//
// zlib's streams hand out every inflated chunk as a new 256 KB buffer. The parse loop allocates
// next to nothing on the JS heap, so V8 collects those only once ~32 MB of them have piled up
// (they end up in the old generation): with two .gz files on two threads the aggregator passed
// 140 MB, over its 100 MB budget. This drives the same native zlib context synchronously into
// one reused output buffer, the way Node's own zlib.inflateSync does inside (`_handle.writeSync`
// and `_writeState`, unchanged from Node 12 to 22); where those are missing it says so and
// the caller streams instead. Concatenated gzip members are inflated one after another, as by
// zlib.createGunzip.
import { closeSync, openSync, readSync } from 'node:fs'
import { constants, createGunzip, type Gunzip } from 'node:zlib'
import type { ErrorInfo } from '../../shared/types'
import {
  fileError,
  GZIP_CHUNK_BYTES,
  gzipCorrupt,
  type FileTask,
  type LineAssembler,
} from './reader'
import type { ReadControl, TaskOutcome } from './reader'

interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void
}

interface Internals {
  _handle?: ZlibHandle
  _writeState?: Uint32Array
}

let usable: boolean | null = null

/** Whether this runtime's zlib can be driven synchronously (see above); checked once. */
export function canGunzipInPlace(): boolean {
  if (usable === null) {
    const z = createGunzip() as Gunzip & Internals
    usable = typeof z._handle?.writeSync === 'function' && z._writeState instanceof Uint32Array
    z.close()
  }
  return usable
}

/** A gzip file read and inflated piece by piece into one reused buffer. */
export class GunzipReader {
  private readonly z: Gunzip & Internals
  private readonly handle: ZlibHandle
  private readonly state: Uint32Array
  private readonly fd: number
  private readonly input: Buffer
  private inOff = 0
  private inLen = 0
  private eof = false
  private finished = false
  /** Compressed bytes read from the file so far. */
  compressed = 0

  constructor(path: string, inputBytes = 256 * 1024) {
    this.z = createGunzip() as Gunzip & Internals
    if (!this.z._handle || !this.z._writeState) throw new Error('zlib internals not available')
    this.handle = this.z._handle
    this.state = this.z._writeState
    // A damaged stream destroys the zlib stream during writeSync (the 'error' event itself comes
    // on the next tick: listened to only so it is not unhandled).
    this.z.on('error', () => undefined)
    this.fd = openSync(path, 'r')
    this.input = Buffer.allocUnsafe(inputBytes)
  }

  /**
   * Inflate into out[0, out.length): the number of bytes written, 0 at the end of the stream.
   * Throws a read error as it came, a damaged stream as `GunzipError` (everything before it was
   * returned by earlier calls).
   */
  read(out: Uint8Array): number {
    if (this.finished) return 0
    for (;;) {
      if (this.inLen === 0 && !this.eof) {
        this.inLen = readSync(this.fd, this.input, 0, this.input.length, null)
        this.inOff = 0
        this.compressed += this.inLen
        if (this.inLen === 0) this.eof = true
      }
      const flush = this.eof ? constants.Z_FINISH : constants.Z_NO_FLUSH
      const before = this.inOff
      this.handle.writeSync(flush, this.input, this.inOff, this.inLen, out, 0, out.length)
      if (this.z.destroyed) {
        // Its native context is closed now: never write to it again.
        this.finished = true
        throw new GunzipError((this.z.errored as Error | null)?.message ?? 'damaged data')
      }
      const availOut = this.state[0]!
      const availIn = this.state[1]!
      this.inOff += this.inLen - availIn
      this.inLen = availIn
      const have = out.length - availOut
      if (have > 0) return have
      // Nothing out, nothing taken: the stream has ended (zlib ignores what follows its last
      // member, as createGunzip does).
      const stuck = availIn > 0 && this.inOff === before
      if ((this.eof && this.inLen === 0) || stuck) {
        this.finished = true
        return 0
      }
    }
  }

  close(): void {
    closeSync(this.fd)
    if (!this.z.destroyed) this.z.close()
  }
}

/** The gzip stream is damaged (truncated, bad data): what came before it was read. */
export class GunzipError extends Error {}

/** Inflated bytes between turns of the event loop (telemetry, messages): ~8 MB. */
const BYTES_PER_TURN = 8 << 20

/**
 * Read a gzip task on this thread, inflating straight into the line assembler's buffer. Resolves
 * like readGzip: the compressed bytes read, and an error (damaged stream, unreadable file) with
 * everything readable counted.
 */
export async function readGzipInPlace(
  task: FileTask,
  asm: LineAssembler,
  ctl: ReadControl,
): Promise<TaskOutcome> {
  let reader: GunzipReader
  try {
    reader = new GunzipReader(task.path)
  } catch (e) {
    return { bytes: 0, error: fileError(e, task.name) }
  }
  let reported = 0
  const report = (): void => {
    if (reader.compressed > reported) {
      ctl.progress(reader.compressed - reported)
      reported = reader.compressed
    }
  }
  let error: ErrorInfo | null = null
  asm.begin(true)
  try {
    for (let sinceTurn = 0; !ctl.cancelled();) {
      const room = Math.min(asm.room(), GZIP_CHUNK_BYTES)
      let n: number
      try {
        n = reader.read(asm.buf.subarray(asm.fill, asm.fill + room))
      } catch (e) {
        error =
          e instanceof GunzipError ? gzipCorrupt(task.name, e.message) : fileError(e, task.name)
        break
      }
      if (n === 0) break
      asm.commit(n)
      report()
      const held = ctl.hold?.()
      if (held) {
        sinceTurn = 0
        await held
      } else if ((sinceTurn += n) >= BYTES_PER_TURN) {
        sinceTurn = 0
        await new Promise((r) => setImmediate(r))
      }
    }
    asm.finish()
    report()
    return { bytes: reported, error }
  } finally {
    reader.close()
  }
}
