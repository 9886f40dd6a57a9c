// The per-client table shared by every parse thread of an analysis (one SharedArrayBuffer).
//
// One table for all threads holds twice as many distinct clients in the same memory as a table
// per thread (threads mostly see the same clients) and needs no merge at the end. Slots are
// [key, tag] pairs (eight to a cache line, so probing stays in one line); the tag points to the
// client's counters. A thread claims an empty slot with compareExchange (0 → CLAIMED), writes the
// key and allocates counters, then publishes the tag; readers that meet a CLAIMED slot wait the
// few nanoseconds until it is published. Counters are updated with Atomics; bytes as two 32-bit
// halves with carry; first/last seen with compareExchange only when they move.
//
// When the table is full, a thread raises the FLUSH flag and parks; every running thread parks
// at its next line; the coordinator drains the table to SQLite (rows in client-text order),
// clears it, lowers the flag and wakes them. Hostname clients (rare) stay in each thread's own
// table.
import type { LineRecord } from '../parser/record'
import { CLIENT_IPV4 } from '../parser/record'
import { ipv4ToString, ipv6WordsToString } from '../parser'
import { mix128, mix32 } from './hash'
import type { RowCursor } from './ip-table'
import { v4Key, v6Key } from '../store/client-key'

// Counters per client (Uint32 words); an IPv6 client's four address words follow its counters.
const STRIDE = 9
const STRIDE_V6 = 13
const F_FIRST = 0
const F_LAST = 1
const F_BYTES_LO = 2
const F_BYTES_HI = 3
const F_OTHER = 4 // statuses outside 2xx..5xx
const F_2XX = 5 // 3xx 6, 4xx 7, 5xx 8
const F_ADDR = 9 // IPv6 only

// Slot words: [key, tag]. The key is the IPv4 address (unused for IPv6). Tags: 0 empty, CLAIMED
// while being filled, else (offset of the counters + 1) | V6_BIT.
const T_CLAIMED = 0x7fffffff
const V6_BIT = 0x80000000

// Control words (Int32).
const C_COUNT = 0 // clients claimed (may overshoot the limit by the threads that found it full)
const C_WORDS = 1 // counter words allocated
const C_FLUSH = 2
const C_SLEEP = 3 // always 0: Atomics.wait on it is a plain sleep
const C_STATES = 4
export const THREAD_IDLE = 0
export const THREAD_RUNNING = 1
export const THREAD_PARKED = 2

/** Lines per addBatch4 call at most. */
export const BATCH = 64

/** Share of slots in use before the table counts as full (short probe runs). */
const MAX_LOAD = 0.75
/** Counter words per client on average: IPv4 9, IPv6 13; room for an eighth IPv6 by default. */
const WORDS_PER_CLIENT = 9.5

/** Bytes of slots and counters for a table of `slots` slots. */
export function sharedTableBytes(slots: number): number {
  return slots * 8 + counterWords(slots) * 4
}

function counterWords(slots: number): number {
  return Math.ceil(capacityOf(slots) * WORDS_PER_CLIENT)
}

/** The most slots whose arrays fit in `bytes`. */
export function slotsFor(bytes: number): number {
  return Math.min(SLOT_SPAN, Math.floor(bytes / (8 + MAX_LOAD * WORDS_PER_CLIENT * 4)))
}

/** Distinct clients a table of `slots` holds before it must be drained. */
export function capacityOf(slots: number): number {
  return Math.floor(slots * MAX_LOAD)
}

export interface SharedTableBuffers {
  slots: number
  threads: number
  control: SharedArrayBuffer
  /** [key, tag] per slot. */
  slotWords: SharedArrayBuffer
  counters: SharedArrayBuffer
}

export function createSharedTable(slots: number, threads: number): SharedTableBuffers {
  slots = Math.floor(slots)
  if (slots < 16 || slots > SLOT_SPAN) throw new Error('bad slot count')
  return {
    slots,
    threads,
    control: new SharedArrayBuffer(4 * (C_STATES + threads)),
    slotWords: new SharedArrayBuffer(8 * slots),
    counters: new SharedArrayBuffer(4 * counterWords(slots)),
  }
}

export class SharedIpTable {
  readonly capacity: number
  private readonly ctl: Int32Array
  private readonly slotWords: Uint32Array
  private readonly slots: number
  private readonly cnt: Uint32Array
  /** The last IPv4 client counted by this thread and its counters (consecutive lines repeat). */
  private lastIp = -1
  private lastC = -1
  /** Parse threads: tells the coordinator (by message) that this thread raised the flag. */
  onFlushRequested?: () => void
  /** Parse threads: called before parking (a good moment to collect garbage). */
  onPark?: () => void

  constructor(
    readonly buffers: SharedTableBuffers,
    /** This thread's index (for the park protocol); -1 on the coordinator. */
    private readonly thread: number,
    /**
     * The coordinator's own parse thread: it cannot park (it is the one who drains), so when the
     * table is full or another thread asked for a drain it calls this, which drains right away.
     */
    private readonly drainNow?: () => void,
  ) {
    this.capacity = capacityOf(buffers.slots)
    this.ctl = new Int32Array(buffers.control)
    this.slotWords = new Uint32Array(buffers.slotWords)
    this.slots = buffers.slots
    this.cnt = new Uint32Array(buffers.counters)
  }

  // ------------------------------------------------------------ parse threads

  setState(state: number): void {
    // A drain may have happened while this thread was idle: forget the cached client.
    this.lastIp = -1
    Atomics.store(this.ctl, C_STATES + this.thread, state)
    if (state === THREAD_RUNNING && !this.drainNow && Atomics.load(this.ctl, C_FLUSH) !== 0)
      this.park()
  }

  /** Wait while the coordinator drains the table. */
  private park(): void {
    this.onPark?.()
    const ctl = this.ctl
    // Leave only when the flag is down AFTER saying RUNNING again: the coordinator raises the
    // flag before it checks the states, we say RUNNING before we check the flag, so one of us
    // always sees the other (a new drain can start the moment the last one ends).
    for (;;) {
      Atomics.store(ctl, C_STATES + this.thread, THREAD_PARKED)
      while (Atomics.load(ctl, C_FLUSH) !== 0) Atomics.wait(ctl, C_FLUSH, 1, 1000)
      Atomics.store(ctl, C_STATES + this.thread, THREAD_RUNNING)
      if (Atomics.load(ctl, C_FLUSH) === 0) break
    }
    this.lastIp = -1
  }

  /** Count one valid IPv4/IPv6 line (hostnames go to the thread's own table). */
  add(rec: LineRecord): void {
    const ctl = this.ctl
    for (;;) {
      if (Atomics.load(ctl, C_FLUSH) !== 0) this.yieldToDrain()
      let c: number
      if (rec.clientKind === CLIENT_IPV4) {
        if (rec.ipv4 === this.lastIp) c = this.lastC
        else {
          c = this.counters4(rec.ipv4, rec.timeSec)
          if (c >= 0) {
            this.lastIp = rec.ipv4
            this.lastC = c
          }
        }
      } else c = this.counters6(rec.ipv6, rec.timeSec)
      if (c >= 0) {
        this.count(c, rec)
        return
      }
      this.full()
    }
  }

  private count(c: number, rec: LineRecord): void {
    this.countValues(c, rec.status, rec.bytes, rec.timeSec)
  }

  private countValues(c: number, status: number, b: number, t: number): void {
    const cnt = this.cnt
    const cls = (status / 100) | 0
    Atomics.add(cnt, c + (cls >= 2 && cls <= 5 ? F_2XX - 2 + cls : F_OTHER), 1)
    if (b > 0) {
      const lo = b % 4294967296
      const old = Atomics.add(cnt, c + F_BYTES_LO, lo)
      let carry = Math.floor(b / 4294967296)
      if (old + lo > 0xffffffff) carry++
      if (carry) Atomics.add(cnt, c + F_BYTES_HI, carry)
    }
    // First/last only move one way, so a plain (possibly stale) read is a safe filter: a stale
    // first is ≥ the real one and a stale last ≤ it; compareExchange decides for real.
    let v = cnt[c + F_FIRST]!
    while (t < v) {
      const seen = Atomics.compareExchange(cnt, c + F_FIRST, v, t)
      if (seen === v) break
      v = seen
    }
    v = cnt[c + F_LAST]!
    while (t > v) {
      const seen = Atomics.compareExchange(cnt, c + F_LAST, v, t)
      if (seen === v) break
      v = seen
    }
  }

  /**
   * Count a batch of IPv4 lines. Going over the batch three times (touch every slot, find every
   * client and touch its counters, then count) lets the memory loads of different lines overlap
   * instead of waiting for each cache miss in turn: the table is far bigger than the caches.
   */
  addBatch4(
    n: number,
    ips: Uint32Array,
    times: Uint32Array,
    statuses: Uint16Array,
    bytes: Float64Array,
  ): void {
    const words = this.slotWords
    const cnt = this.cnt
    const slots = this.slots
    const found = this.found
    let from = 0
    while (from < n) {
      if (Atomics.load(this.ctl, C_FLUSH) !== 0) this.yieldToDrain()
      let touch = 0
      for (let i = from; i < n; i++) touch += words[2 * slotOf(mix32(ips[i]!), slots) + 1]!
      let i = from
      for (; i < n; i++) {
        const c = this.counters4(ips[i]!, times[i]!)
        if (c < 0) break
        found[i] = c
        touch += cnt[c]!
      }
      for (let k = from; k < i; k++) this.countValues(found[k]!, statuses[k]!, bytes[k]!, times[k]!)
      this.sink = touch
      if (i < n) this.full()
      from = i
    }
  }

  /** Counters offsets found by addBatch4 (reused). */
  private readonly found = new Int32Array(BATCH)
  /** Keeps the touching loads from being optimised away. */
  sink = 0

  /** Another thread asked for a drain: park, or drain (the coordinator's own thread). */
  private yieldToDrain(): void {
    this.lastIp = -1
    if (this.drainNow) this.drainNow()
    else this.park()
  }

  /** The table is full: drain it now, or ask the coordinator to and wait. */
  private full(): void {
    this.lastIp = -1
    if (this.drainNow) return this.drainNow()
    if (Atomics.compareExchange(this.ctl, C_FLUSH, 0, 1) === 0) this.onFlushRequested?.()
    this.park()
  }

  /**
   * Claim the empty slot at word `w` for a new client. Returns the new counters' offset, LOST
   * when another thread claimed the slot first, or FULL.
   */
  private claim(w: number, key: number, t: number, v6: Uint32Array | null): number {
    const words = this.slotWords
    if (Atomics.compareExchange(words, w + 1, 0, T_CLAIMED) !== 0) return LOST
    // Allocation is never undone (another thread may have allocated after us): counters taken
    // just before FULL stay unused until the table is cleared.
    const len = v6 ? STRIDE_V6 : STRIDE
    if (Atomics.add(this.ctl, C_COUNT, 1) >= this.capacity) {
      Atomics.store(words, w + 1, 0)
      return FULL
    }
    const c = Atomics.add(this.ctl, C_WORDS, len)
    if (c + len > this.cnt.length) {
      Atomics.store(words, w + 1, 0)
      return FULL
    }
    const cnt = this.cnt
    cnt[c + F_FIRST] = t
    cnt[c + F_LAST] = t
    if (v6) cnt.set(v6, c + F_ADDR)
    else words[w] = key
    Atomics.store(words, w + 1, (c + 1) | (v6 ? V6_BIT : 0))
    return c
  }

  /**
   * Counters of an IPv4 client, inserting it; -1 when the table is full.
   *
   * Most lines find their client with plain reads (an atomic load is a call here and stops the
   * loads of a batch from overlapping). That is safe because, between two clears, a slot's tag
   * only goes 0 → CLAIMED → published and its key only 0 → key: a published tag (not 0 or
   * CLAIMED) is final, and a non-zero key read is final. Only a key read as 0 is ambiguous (not
   * yet visible, or the client 0.0.0.0): that slot is looked at again with atomic loads, as are
   * empty and claimed slots. The counters' offset comes from the tag, so reads of the counters
   * depend on it and cannot see them before they were filled in.
   */
  private counters4(ip: number, t: number): number {
    const words = this.slotWords
    const slots = this.slots
    let i = slotOf(mix32(ip), slots)
    for (;;) {
      const w = 2 * i
      const tag = words[w + 1]!
      if ((tag & V6_BIT) === 0) {
        const key = words[w]!
        if (key === ip && ip !== 0 && tag !== 0 && tag !== T_CLAIMED) return tag - 1
        if (key === 0 || tag === 0 || tag === T_CLAIMED) {
          let tg = Atomics.load(words, w + 1)
          if (tg === 0) {
            const c = this.claim(w, ip, t, null)
            if (c >= 0) return c
            if (c === FULL) return -1
            tg = Atomics.load(words, w + 1)
          }
          while (tg === T_CLAIMED) tg = Atomics.load(words, w + 1)
          if (tg === 0) continue // a claim was undone: look at this slot again
          if ((tg & V6_BIT) === 0 && Atomics.load(words, w) === ip) return tg - 1
        }
      }
      if (++i === slots) i = 0
    }
  }

  private counters6(a6: Uint32Array, t: number): number {
    const a = a6[0]!
    const b = a6[1]!
    const cc = a6[2]!
    const d = a6[3]!
    const h = mix128(a, b, cc, d)
    const words = this.slotWords
    const cnt = this.cnt
    const slots = this.slots
    let i = slotOf(h, slots)
    for (;;) {
      const w = 2 * i
      let tag = Atomics.load(words, w + 1)
      if (tag === 0) {
        const c = this.claim(w, 0, t, a6)
        if (c >= 0) return c
        if (c === FULL) return -1
        tag = Atomics.load(words, w + 1)
      }
      while (tag === T_CLAIMED) tag = Atomics.load(words, w + 1)
      if (tag !== 0 && (tag & V6_BIT) !== 0) {
        const k = (tag & ~V6_BIT) - 1
        const f = k + F_ADDR
        if (cnt[f] === a && cnt[f + 1] === b && cnt[f + 2] === cc && cnt[f + 3] === d) return k
      }
      if (tag === 0) continue
      if (++i === slots) i = 0
    }
  }

  // ------------------------------------------------------------ coordinator

  /** True while a drain is requested (the FLUSH flag is up). */
  drainRequested(): boolean {
    return Atomics.load(this.ctl, C_FLUSH) !== 0
  }

  /** Parse threads, between chunks: park now if a drain is requested (no line is in flight). */
  parkIfRequested(): void {
    if (!this.drainNow && Atomics.load(this.ctl, C_FLUSH) !== 0) {
      this.lastIp = -1
      this.park()
    }
  }

  /** The coordinator asks every parse thread to park at its next line. */
  requestDrain(): void {
    Atomics.store(this.ctl, C_FLUSH, 1)
  }

  /** Block (briefly) until no other thread is inside the table. */
  waitQuiescent(): void {
    while (!this.quiescent()) Atomics.wait(this.ctl, C_SLEEP, 0, 1)
  }

  /** True when no thread is running inside the table (all parked or idle). */
  quiescent(): boolean {
    for (let t = 0; t < this.buffers.threads; t++)
      if (Atomics.load(this.ctl, C_STATES + t) === THREAD_RUNNING) return false
    return true
  }

  /** Wake the parked threads after a drain. */
  release(): void {
    Atomics.store(this.ctl, C_FLUSH, 0)
    Atomics.notify(this.ctl, C_FLUSH)
  }

  /** Clients in the table (an upper bound while threads are inserting). */
  get size(): number {
    return Math.min(Atomics.load(this.ctl, C_COUNT), this.capacity)
  }

  private pvAt(c: number): number {
    const n = this.cnt
    return (
      n[c + F_OTHER]! + n[c + F_2XX]! + n[c + F_2XX + 1]! + n[c + F_2XX + 2]! + n[c + F_2XX + 3]!
    )
  }

  /** Client text of the slot at word `w`, and its counters' offset. */
  private clientAt(w: number): string {
    const tag = this.slotWords[w + 1]!
    if ((tag & V6_BIT) === 0) return ipv4ToString(this.slotWords[w]!)
    const f = (tag & ~V6_BIT) - 1 + F_ADDR
    return ipv6WordsToString(this.cnt.subarray(f, f + 4))
  }

  private static countersOf(tag: number): number {
    return (tag & ~V6_BIT) - 1
  }

  /** The current top `n` clients (a live preview: counters may be mid-update). */
  top(n: number): { ip: string; pv: number }[] {
    const best: number[] = []
    const pvs: number[] = []
    const words = this.slotWords
    for (let w = 0; w < 2 * this.slots; w += 2) {
      const tag = words[w + 1]!
      if (tag === 0 || tag === T_CLAIMED) continue
      const v = this.pvAt(SharedIpTable.countersOf(tag))
      if (best.length === n && v <= pvs[n - 1]!) continue
      let j = best.length < n ? best.length : n - 1
      while (j > 0 && pvs[j - 1]! < v) {
        best[j] = best[j - 1]!
        pvs[j] = pvs[j - 1]!
        j--
      }
      best[j] = w
      pvs[j] = v
    }
    return best.map((w, i) => ({ ip: this.clientAt(w), pv: pvs[i]! }))
  }

  /**
   * Every client in key order (IPv4 numerically, then IPv6 numerically: see store/client-key),
   * one row at a time; only when quiescent(), then clear(). No text is made to sort: the text of
   * a row is made when it is written.
   */
  rows(): RowCursor {
    const words = this.slotWords
    const cnt = this.cnt
    let n4 = 0
    let n6 = 0
    for (let i = 0; i < this.slots; i++) {
      const tag = words[2 * i + 1]!
      if (tag === 0 || tag === T_CLAIMED) continue
      if ((tag & V6_BIT) === 0) n4++
      else n6++
    }
    // Typed arrays of exactly the right size and in-place sorts: a drain runs when memory is
    // at its fullest, so it allocates as little as it can.
    const order4 = new Float64Array(n4)
    const order6 = new Int32Array(n6)
    n4 = n6 = 0
    for (let i = 0; i < this.slots; i++) {
      const tag = words[2 * i + 1]!
      if (tag === 0 || tag === T_CLAIMED) continue
      if ((tag & V6_BIT) === 0) order4[n4++] = words[2 * i]! * SLOT_SPAN + i
      else order6[n6++] = SharedIpTable.countersOf(tag)
    }
    order4.sort()
    sortByAddress(order6, cnt)
    let i = 0
    let c = -1
    let key: Buffer | null = null
    const pick = (): void => {
      if (i < n4) {
        const slot = order4[i]! % SLOT_SPAN
        c = SharedIpTable.countersOf(words[2 * slot + 1]!)
        key = v4Key(words[2 * slot]!)
      } else if (i < n4 + n6) {
        c = order6[i - n4]!
        key = v6Key(cnt.subarray(c + F_ADDR, c + F_ADDR + 4))
      } else key = null
      i++
    }
    pick()
    return {
      get key() {
        return key
      },
      addTo: (row) => {
        row.pv += this.pvAt(c)
        row.bytes += cnt[c + F_BYTES_LO]! + cnt[c + F_BYTES_HI]! * 4294967296
        if (cnt[c + F_FIRST]! < row.first) row.first = cnt[c + F_FIRST]!
        if (cnt[c + F_LAST]! > row.last) row.last = cnt[c + F_LAST]!
        row.s2xx += cnt[c + F_2XX]!
        row.s3xx += cnt[c + F_2XX + 1]!
        row.s4xx += cnt[c + F_2XX + 2]!
        row.s5xx += cnt[c + F_2XX + 3]!
      },
      next: pick,
    }
  }

  /** Empty the table (after its rows were written). */
  clear(): void {
    this.slotWords.fill(0)
    this.cnt.fill(0, 0, Math.min(Atomics.load(this.ctl, C_WORDS), this.cnt.length))
    Atomics.store(this.ctl, C_COUNT, 0)
    Atomics.store(this.ctl, C_WORDS, 0)
    this.lastIp = -1
  }
}

/** Compare the IPv6 addresses stored with the counters at offsets x and y. */
function cmpAddress(cnt: Uint32Array, x: number, y: number): number {
  for (let k = F_ADDR; k < F_ADDR + 4; k++) {
    const d = cnt[x + k]! - cnt[y + k]!
    if (d !== 0) return d
  }
  return 0
}

/** In-place quicksort of counter offsets by address (no comparator callback, no copies). */
function sortByAddress(a: Int32Array, cnt: Uint32Array, lo = 0, hi = a.length - 1): void {
  while (hi - lo > 16) {
    const p = a[(lo + hi) >>> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (cmpAddress(cnt, a[i]!, p) < 0) i++
      while (cmpAddress(cnt, a[j]!, p) > 0) j--
      if (i <= j) {
        const t = a[i]!
        a[i++] = a[j]!
        a[j--] = t
      }
    }
    // Recurse into the smaller part, loop on the larger: the stack stays shallow.
    if (j - lo < hi - i) {
      sortByAddress(a, cnt, lo, j)
      lo = i
    } else {
      sortByAddress(a, cnt, i, hi)
      hi = j
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i]!
    let j = i - 1
    while (j >= lo && cmpAddress(cnt, a[j]!, v) > 0) {
      a[j + 1] = a[j]!
      j--
    }
    a[j + 1] = v
  }
}

/** Map a 32-bit hash to [0, slots) without division (Lemire's multiply-shift). */
function slotOf(hash: number, slots: number): number {
  return Math.floor((hash * slots) / 4294967296)
}

const LOST = -2
const FULL = -3

/** Slot indexes fit below this (2^21): with a 32-bit address they make an exact float64 key. */
const SLOT_SPAN = 2097152
