// Partitioned spill: what the shared client table does once it has filled up (more clients than
// it holds in memory).
//
// Draining the full table to SQLite again and again (one upsert of every client in it each time)
// costs more the bigger the stored table grows: every spill touches pages across the whole key
// range. Instead, at the first fill the table's own clients (sorted by key) give P key ranges of
// about equal size. From then on the parse threads do not count clients in memory: each line's
// client, time, status and bytes go to a small record in a file per (thread, range) beside the
// database, and the clients the table held go there too as whole rows. At the end the ranges are
// counted one at a time in the now empty table and each is written to SQLite in one upsert
// transaction, in key order: every client is written once and the B-tree only grows at its end.
// A range with more clients than the table holds spills mid-way, as before (exact either way).
//
// Records are little-endian 32-bit words; the first word is the kind (low 4 bits) and, for a
// line, its status (from bit 4):
//   line IPv4  [kind, address, time, bytes] (+ high bytes word when BIG is set)
//   line IPv6  [kind, a, b, c, d, time, bytes] (+ high word)
//   row  IPv4  [kind, address, first, last, bytesLo, bytesHi, other, 2xx, 3xx, 4xx, 5xx]
//   row  IPv6  [kind, a, b, c, d, first, last, bytesLo, bytesHi, other, 2xx, 3xx, 4xx, 5xx]
import {
  closeSync,
  openSync,
  read,
  readdirSync,
  readSync,
  rmSync,
  statfsSync,
  writeSync,
} from 'node:fs'
import { dirname, join } from 'node:path'

export const REC_LINE4 = 1
export const REC_LINE6 = 2
export const REC_ROW4 = 3
export const REC_ROW6 = 4
/** Set in a line's kind word: its bytes are 2^32 or more (a high word follows). */
export const REC_BIG = 8
export const ROW4_WORDS = 11
export const ROW6_WORDS = 14

/** Most key ranges (each costs every parse thread one buffer and one file). */
export const MAX_PARTS = 64

// Layout of the shared route (Uint32Array): [0] ranges while routing (0: not routing),
// [1] IPv4 bounds, [2] IPv6 bounds, then the IPv4 bounds, then the IPv6 bounds' first two words.
const R_PARTS = 0
const R_N4 = 1
const R_N6 = 2
const R_B4 = 3
const R_B6 = R_B4 + MAX_PARTS
export const ROUTE_WORDS = R_B6 + 2 * MAX_PARTS

/** How many key ranges, from the share of the input read when the table first filled. */
export function partsFor(fractionRead: number): number {
  const f = Math.min(1, Math.max(fractionRead, 1 / MAX_PARTS))
  // Clients seen grow at most linearly with the input: all of them fit in table / f. Ranges of
  // half a table leave room for a range that grows more than that.
  return Math.min(MAX_PARTS, Math.max(2, Math.ceil(2 / f)))
}

/**
 * Disk space the records will take for the rest of the input, from what was read so far: 20
 * bytes a line (16 for an IPv4 line, 28 for IPv6), plus the table's clients as rows. Before the
 * first piece is counted, lines are taken to be 80 bytes long.
 */
export function recordBytesNeeded(p: {
  bytesDone: number
  bytesTotal: number
  lines: number
  clients: number
}): number {
  const linesPerByte = p.bytesDone > 0 && p.lines > 0 ? p.lines / p.bytesDone : 1 / 80
  const rest = Math.max(0, p.bytesTotal - p.bytesDone)
  return Math.ceil(rest * linesPerByte * 20 + p.clients * ROW6_WORDS * 4)
}

/** Free bytes for this process on the file system of `dir` (Infinity when it cannot tell). */
export function freeBytes(dir: string): number {
  try {
    const s = statfsSync(dir)
    return s.bavail * s.bsize
  } catch {
    return Infinity
  }
}

/**
 * The key-range bounds, shared by every parse thread. A client belongs to the range numbered by
 * how many bounds are at or below its key (IPv4 keys before every IPv6 key; IPv6 compared by its
 * first 64 bits).
 */
export class Route {
  readonly words: Uint32Array
  private b4 = new Uint32Array(0)
  private b6 = new Uint32Array(0)
  private n4 = 0

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Uint32Array(buffer)
  }

  /** Ranges, or 0 while the table counts clients itself. */
  parts(): number {
    return Atomics.load(this.words, R_PARTS)
  }

  /**
   * Publish the bounds (the coordinator, while every thread is parked): `bounds4` ascending IPv4
   * addresses, `bounds6` ascending [w0, w1] pairs. parts = bounds + 1.
   */
  publish(bounds4: number[], bounds6: number[]): void {
    const w = this.words
    const n4 = bounds4.length
    const n6 = bounds6.length / 2
    if (n4 + n6 + 1 > MAX_PARTS) throw new Error('too many key ranges')
    w[R_N4] = n4
    w[R_N6] = n6
    for (let i = 0; i < n4; i++) w[R_B4 + i] = bounds4[i]!
    for (let i = 0; i < 2 * n6; i++) w[R_B6 + i] = bounds6[i]!
    Atomics.store(w, R_PARTS, n4 + n6 + 1)
  }

  /** Back to counting in the table (the end: the ranges are counted one by one). */
  stop(): void {
    Atomics.store(this.words, R_PARTS, 0)
  }

  /** This thread's copy of the bounds, once routing has started. */
  load(): void {
    const w = this.words
    this.n4 = w[R_N4]!
    this.b4 = w.slice(R_B4, R_B4 + this.n4)
    this.b6 = w.slice(R_B6, R_B6 + 2 * w[R_N6]!)
  }

  /** Range of an IPv4 client (`ip` as uint32 or int32). */
  of4(ip: number): number {
    ip >>>= 0
    const b = this.b4
    let lo = 0
    let hi = b.length
    while (lo < hi) {
      const m = (lo + hi) >>> 1
      if (b[m]! <= ip) lo = m + 1
      else hi = m
    }
    return lo
  }

  /** Range of an IPv6 client by its first two address words. */
  of6(w0: number, w1: number): number {
    w0 >>>= 0
    w1 >>>= 0
    const b = this.b6
    let lo = 0
    let hi = b.length >>> 1
    while (lo < hi) {
      const m = (lo + hi) >>> 1
      const x = b[2 * m]!
      if (x < w0 || (x === w0 && b[2 * m + 1]! <= w1)) lo = m + 1
      else hi = m
    }
    return this.n4 + lo
  }
}

/** The records directory of an analysis's aggregator process: beside the database. */
export function spillDirOf(dbPath: string, analysisId: number, pid: number): string {
  return join(dirname(dbPath), `spill-${analysisId}-${pid}`)
}

/**
 * Remove records directories left by aggregator processes that are gone (killed or crashed:
 * a finishing aggregator removes its own). Returns how many were removed.
 */
export function removeStaleSpillDirs(dbPath: string, isAlive: (pid: number) => boolean): number {
  let removed = 0
  let names: string[]
  try {
    names = readdirSync(dirname(dbPath))
  } catch {
    return 0
  }
  for (const name of names) {
    const m = /^spill-\d+-(\d+)$/.exec(name)
    if (!m || isAlive(Number(m[1]))) continue
    rmSync(join(dirname(dbPath), name), { recursive: true, force: true })
    removed++
  }
  return removed
}

export function partFile(dir: string, thread: number, part: number): string {
  return join(dir, `t${thread}-p${part}.rec`)
}

/** One parse thread's records, a buffer and a file per key range. */
export class PartWriter {
  private readonly bufs: Uint32Array[] = []
  private readonly fill: Int32Array
  private readonly fds: number[]
  private readonly words: number
  /** Bytes written to files so far. */
  written = 0

  constructor(
    private readonly dir: string,
    private readonly thread: number,
    readonly parts: number,
  ) {
    // 256 KB of buffers in all (1 MB with 64 ranges), 16 KB to 64 KB each: few write calls
    // either way. They fill while memory is at its fullest (the table has just filled): 1 MB a
    // thread took the gzip mix of hostnames and IP clients ~1.5 MB nearer the budget.
    this.words = Math.min(16384, Math.max(4096, Math.floor(65536 / parts)))
    this.fill = new Int32Array(parts)
    this.fds = new Array<number>(parts).fill(-1)
  }

  /** Room for `n` more words in range p's buffer (written out when it is short). */
  private room(p: number, n: number): Uint32Array {
    let b = this.bufs[p]
    if (!b) b = this.bufs[p] = new Uint32Array(this.words)
    else if (this.fill[p]! + n > b.length) this.writeOut(p)
    return b
  }

  private writeOut(p: number): void {
    const n = this.fill[p]!
    if (n === 0) return
    let fd = this.fds[p]!
    if (fd < 0) fd = this.fds[p] = openSync(partFile(this.dir, this.thread, p), 'w')
    const b = this.bufs[p]!
    const bytes = new Uint8Array(b.buffer, 0, 4 * n)
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off)
    this.written += bytes.length
    this.fill[p] = 0
  }

  line4(p: number, ip: number, t: number, status: number, bytes: number): void {
    const b = this.room(p, 5)
    let i = this.fill[p]!
    const big = bytes >= 4294967296
    b[i++] = REC_LINE4 | (big ? REC_BIG : 0) | (status << 4)
    b[i++] = ip
    b[i++] = t
    b[i++] = bytes
    if (big) b[i++] = Math.floor(bytes / 4294967296)
    this.fill[p] = i
  }

  /** An IPv6 line: its address in addr[a, a + 4). */
  line6(p: number, addr: Uint32Array, a: number, t: number, status: number, bytes: number): void {
    const b = this.room(p, 8)
    let i = this.fill[p]!
    const big = bytes >= 4294967296
    b[i++] = REC_LINE6 | (big ? REC_BIG : 0) | (status << 4)
    b[i++] = addr[a]!
    b[i++] = addr[a + 1]!
    b[i++] = addr[a + 2]!
    b[i++] = addr[a + 3]!
    b[i++] = t
    b[i++] = bytes
    if (big) b[i++] = Math.floor(bytes / 4294967296)
    this.fill[p] = i
  }

  /**
   * A whole client: IPv4 when v6 is false (its address in `ip`), else IPv6 with its address in
   * cnt[v6At, v6At + 4). `c` is its counters' offset in `cnt`: [first, last, bytesLo, bytesHi,
   * other, 2xx, 3xx, 4xx, 5xx].
   */
  row(p: number, ip: number, cnt: Uint32Array, c: number, v6At: number): void {
    const b = this.room(p, ROW6_WORDS)
    let i = this.fill[p]!
    if (v6At < 0) {
      b[i++] = REC_ROW4
      b[i++] = ip
    } else {
      b[i++] = REC_ROW6
      for (let k = 0; k < 4; k++) b[i++] = cnt[v6At + k]!
    }
    for (let k = 0; k < 9; k++) b[i++] = cnt[c + k]!
    this.fill[p] = i
  }

  /** Write out every buffer and close the files. */
  close(): void {
    for (let p = 0; p < this.parts; p++) {
      this.writeOut(p)
      if (this.fds[p]! >= 0) closeSync(this.fds[p]!)
      this.fds[p] = -1
    }
    this.bufs.length = 0
  }

  /** Close the files without writing (the job failed or was cancelled). */
  abandon(): void {
    for (let p = 0; p < this.parts; p++) if (this.fds[p]! >= 0) closeSync(this.fds[p]!)
    this.fds.fill(-1)
    this.bufs.length = 0
  }
}

/** Words of the record starting with kind word `k`. */
export function recordWords(k: number): number {
  switch (k & 7) {
    case REC_LINE4:
      return k & REC_BIG ? 5 : 4
    case REC_LINE6:
      return k & REC_BIG ? 8 : 7
    case REC_ROW4:
      return ROW4_WORDS
    case REC_ROW6:
      return ROW6_WORDS
    default:
      throw new Error(`corrupt spill record (kind ${k & 15})`)
  }
}

/** Bytes a record cut by a read may leave over: its longest (ROW6_WORDS) and a partial word. */
export const RECORD_CARRY_BYTES = 64

/**
 * Read a records file in pieces of `buf`'s size, handing whole records to `count(words, from,
 * to)`, which returns where it stopped (at a record that does not fit). Yields to the event loop
 * every 16 pieces (a cancel can arrive); `stop()` is asked then.
 *
 * With `spare` (at most buf's size less RECORD_CARRY_BYTES), the next piece is read into it on
 * libuv's pool while this thread counts the last, then copied in after what the last left over:
 * the lesson's 10 GB log reads ~860 MB of records at the end, ~230 ms of copies from the page
 * cache on this thread otherwise.
 */
export async function readRecords(
  path: string,
  buf: Uint32Array,
  count: (words: Uint32Array, from: number, to: number) => number,
  stop: () => boolean = () => false,
  spare?: Uint8Array,
): Promise<void> {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return // no line of this range here
    throw e
  }
  // A read still running when this returns or throws: the file stays open until it is done.
  let pending: Promise<number> | null = null
  try {
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
    if (spare && spare.length > bytes.length - RECORD_CARRY_BYTES)
      throw new Error('records: the spare buffer must leave room for a cut record')
    let at = 0
    const ahead = (): Promise<number> =>
      new Promise((resolve, reject) =>
        read(fd, spare!, 0, spare!.length, at, (e, n) => (e ? reject(e) : resolve(n))),
      )
    if (spare) pending = ahead()
    let have = 0
    for (let piece = 1; ; piece++) {
      let n: number
      if (pending) {
        n = await pending
        pending = null
        if (n === 0) break
        if (have + n > bytes.length)
          throw new Error(`corrupt spill file ${path}: a record of over ${have} bytes`)
        bytes.set(spare!.subarray(0, n), have)
        at += n
        pending = ahead()
      } else {
        n = readSync(fd, bytes, have, bytes.length - have, null)
        if (n === 0) break
      }
      have += n
      const done = count(buf, 0, have >>> 2)
      bytes.copyWithin(0, 4 * done, have)
      have -= 4 * done
      if ((piece & 15) === 0) {
        await new Promise((r) => setImmediate(r))
        if (stop()) return
      }
    }
    if (have !== 0) throw new Error(`corrupt spill file ${path}: ${have} bytes left over`)
  } finally {
    if (pending) await pending.catch(() => 0)
    closeSync(fd)
  }
}
