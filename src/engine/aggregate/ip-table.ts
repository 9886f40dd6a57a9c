// Per-thread table of per-client counts, in typed arrays with a fixed capacity.
//
// IPv4 clients are keyed by their uint32 address, IPv6 by four words, both in one open-addressing
// slot table (no per-line allocation); hostnames (rare: Apache HostnameLookups) go through a Map.
// When the table is full the owner drains it (sorted by client key) to SQLite and clears it, so
// memory stays bounded whatever the number of distinct clients while totals stay exact.
import { CLIENT_HOST, CLIENT_IPV4, type LineRecord } from '../parser/record'
import { ipv4ToString, ipv6WordsToString } from '../parser'
import { keyOfClientText } from '../store/client-key'
import { mix128, mix32 } from './hash'

/** Columnar, sorted-by-ip rows: what a drained table (or a merge) hands to the store. */
export interface IpBatch {
  count: number
  ips: string[]
  pv: Float64Array
  bytes: Float64Array
  first: Float64Array
  last: Float64Array
  s2xx: Float64Array
  s3xx: Float64Array
  s4xx: Float64Array
  s5xx: Float64Array
}

export function emptyBatch(n: number): IpBatch {
  return {
    count: 0,
    ips: new Array<string>(n),
    pv: new Float64Array(n),
    bytes: new Float64Array(n),
    first: new Float64Array(n),
    last: new Float64Array(n),
    s2xx: new Float64Array(n),
    s3xx: new Float64Array(n),
    s4xx: new Float64Array(n),
    s5xx: new Float64Array(n),
  }
}

/** Bytes of typed-array memory a table of this capacity holds (for sizing). */
export function ipTableBytes(capacity: number): number {
  const slots = slotCountFor(capacity)
  return capacity * (4 + 16 + 8 + 4 + 4 + 4 + 1) + slots * 4
}

function slotCountFor(capacity: number): number {
  let n = 16
  while (n < capacity * 2) n *= 2
  return n
}

const KIND_V4 = 0
const KIND_V6 = 1
const KIND_HOST = 2

export class IpTable {
  readonly capacity: number
  size = 0
  private readonly slots: Int32Array
  private readonly mask: number
  private readonly kind: Uint8Array
  /** v4: the address; v6: index into v6Words/4; host: index into hostNames. */
  private readonly key: Uint32Array
  private readonly pv: Uint32Array
  private readonly stat: Uint32Array
  private readonly bytes: Float64Array
  private readonly first: Uint32Array
  private readonly last: Uint32Array
  private v6Words = new Uint32Array(64)
  private v6Count = 0
  private hosts = new Map<string, number>()
  private hostNames: string[] = []
  /** Bytes of the hostnames held (the table is full past hostBytesCap). */
  private hostBytes = 0

  constructor(
    capacity: number,
    private readonly hostBytesCap = Infinity,
  ) {
    this.capacity = capacity
    const slots = slotCountFor(capacity)
    this.slots = new Int32Array(slots)
    this.mask = slots - 1
    this.kind = new Uint8Array(capacity)
    this.key = new Uint32Array(capacity)
    this.pv = new Uint32Array(capacity)
    this.stat = new Uint32Array(capacity * 4)
    this.bytes = new Float64Array(capacity)
    this.first = new Uint32Array(capacity)
    this.last = new Uint32Array(capacity)
  }

  /**
   * Count one valid line. Returns false, counting nothing, when the client is new and the table
   * is full: the caller drains the table and calls again.
   */
  add(rec: LineRecord, buf: Uint8Array): boolean {
    let e: number
    if (rec.clientKind === CLIENT_IPV4) e = this.entry4(rec.ipv4)
    else if (rec.clientKind === CLIENT_HOST) e = this.entryHost(buf, rec.clientStart, rec.clientEnd)
    else e = this.entry6(rec.ipv6)
    if (e < 0) return false
    const t = rec.timeSec
    const seen = this.pv[e]!
    this.pv[e] = seen + 1
    if (seen === 0) {
      this.first[e] = t
      this.last[e] = t
    } else {
      if (t < this.first[e]!) this.first[e] = t
      else if (t > this.last[e]!) this.last[e] = t
    }
    this.bytes[e] = this.bytes[e]! + rec.bytes
    const cls = (rec.status / 100) | 0
    if (cls >= 2 && cls <= 5) this.stat[e * 4 + cls - 2]!++
    return true
  }

  private entry4(ip: number): number {
    const slots = this.slots
    const mask = this.mask
    let i = mix32(ip) & mask
    for (;;) {
      const s = slots[i]!
      if (s === 0) break
      const e = s - 1
      if (this.key[e] === ip && this.kind[e] === KIND_V4) return e
      i = (i + 1) & mask
    }
    if (this.size === this.capacity) return -1
    const e = this.size++
    this.kind[e] = KIND_V4
    this.key[e] = ip
    slots[i] = e + 1
    return e
  }

  private entry6(w: Uint32Array): number {
    const a = w[0]!
    const b = w[1]!
    const c = w[2]!
    const d = w[3]!
    const slots = this.slots
    const mask = this.mask
    let i = mix128(a, b, c, d) & mask
    const words = this.v6Words
    for (;;) {
      const s = slots[i]!
      if (s === 0) break
      const e = s - 1
      if (this.kind[e] === KIND_V6) {
        const k = this.key[e]! * 4
        if (words[k] === a && words[k + 1] === b && words[k + 2] === c && words[k + 3] === d)
          return e
      }
      i = (i + 1) & mask
    }
    if (this.size === this.capacity) return -1
    if ((this.v6Count + 1) * 4 > this.v6Words.length) {
      const grown = new Uint32Array(this.v6Words.length * 2)
      grown.set(this.v6Words)
      this.v6Words = grown
    }
    const k = this.v6Count++
    this.v6Words.set(w, k * 4)
    const e = this.size++
    this.kind[e] = KIND_V6
    this.key[e] = k
    slots[i] = e + 1
    return e
  }

  private entryHost(buf: Uint8Array, start: number, end: number): number {
    // One flat string per line (ASCII letters lowered). Built with += it was a chain of one-char
    // pieces, ~1 KB for a 30-byte name, kept whole as the Map's key: 50k hostnames held 45 MB.
    let bytes = buf.subarray(start, end)
    if (bytes.some((ch) => ch >= 65 && ch <= 90))
      bytes = bytes.map((ch) => (ch >= 65 && ch <= 90 ? ch + 32 : ch))
    const name = String.fromCharCode.apply(null, bytes as unknown as number[])
    const found = this.hosts.get(name)
    if (found !== undefined) return found
    if (this.size === this.capacity || this.hostBytes + name.length > this.hostBytesCap) return -1
    this.hostBytes += name.length
    const e = this.size++
    this.kind[e] = KIND_HOST
    this.key[e] = this.hostNames.length
    this.hostNames.push(name)
    this.hosts.set(name, e)
    return e
  }

  clientString(e: number): string {
    const kind = this.kind[e]
    if (kind === KIND_V4) return ipv4ToString(this.key[e]!)
    if (kind === KIND_V6) {
      const k = this.key[e]! * 4
      return ipv6WordsToString(this.v6Words.subarray(k, k + 4))
    }
    return this.hostNames[this.key[e]!]!
  }

  /** The current top `n` clients by requests (for live partial results). */
  top(n: number): { ip: string; pv: number }[] {
    const best: number[] = []
    for (let e = 0; e < this.size; e++) {
      const v = this.pv[e]!
      if (best.length === n && v <= this.pv[best[n - 1]!]!) continue
      let j = best.length < n ? best.length : n - 1
      while (j > 0 && this.pv[best[j - 1]!]! < v) {
        best[j] = best[j - 1]!
        j--
      }
      best[j] = e
    }
    return best.map((e) => ({ ip: this.clientString(e), pv: this.pv[e]! }))
  }

  /** Every entry as a batch sorted by client string; the table is cleared. */
  drain(): IpBatch {
    const n = this.size
    const out = emptyBatch(n)
    const names = new Array<string>(n)
    for (let e = 0; e < n; e++) names[e] = this.clientString(e)
    const order = new Array<number>(n)
    for (let e = 0; e < n; e++) order[e] = e
    order.sort((x, y) => (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : 0))
    for (let j = 0; j < n; j++) {
      const e = order[j]!
      out.ips[j] = names[e]!
      out.pv[j] = this.pv[e]!
      out.bytes[j] = this.bytes[e]!
      out.first[j] = this.first[e]!
      out.last[j] = this.last[e]!
      out.s2xx[j] = this.stat[e * 4]!
      out.s3xx[j] = this.stat[e * 4 + 1]!
      out.s4xx[j] = this.stat[e * 4 + 2]!
      out.s5xx[j] = this.stat[e * 4 + 3]!
    }
    out.count = n
    this.clear()
    return out
  }

  clear(): void {
    this.slots.fill(0)
    this.pv.fill(0, 0, this.size)
    this.stat.fill(0, 0, this.size * 4)
    this.bytes.fill(0, 0, this.size)
    this.size = 0
    this.v6Count = 0
    this.hosts = new Map()
    this.hostNames = []
    this.hostBytes = 0
  }
}

/**
 * Rows in client-key order (see store/client-key.ts), one at a time: a drained table is never
 * copied whole.
 */
export interface RowCursor {
  /**
   * The current row's key, null when there are no more rows. Valid until next(): a cursor may
   * reuse one buffer for every row (whoever keeps a key copies it).
   */
  readonly key: Buffer | null
  /** Add the current row's counts into `row`. */
  addTo(row: MergedRow): void
  /**
   * Optional fast path for a source written alone (nothing to merge): the current row's counts
   * in MergedRow order after the key (pv, bytes, first, last, s2xx, s3xx, s4xx, s5xx) into
   * out[at, at + 8).
   */
  putCounts?(out: unknown[], at: number): void
  next(): void
}

/** Rows of a batch (a thread's hostname table), in key order. */
export function batchCursor(b: IpBatch): RowCursor {
  let i = 0
  let key: Buffer | null = b.count > 0 ? keyOfClientText(b.ips[0]!) : null
  return {
    get key() {
      return key
    },
    addTo(row) {
      row.pv += b.pv[i]!
      row.bytes += b.bytes[i]!
      if (b.first[i]! < row.first) row.first = b.first[i]!
      if (b.last[i]! > row.last) row.last = b.last[i]!
      row.s2xx += b.s2xx[i]!
      row.s3xx += b.s3xx[i]!
      row.s4xx += b.s4xx[i]!
      row.s5xx += b.s5xx[i]!
    },
    next() {
      i++
      key = i < b.count ? keyOfClientText(b.ips[i]!) : null
    },
  }
}

/**
 * Merge cursors that are each in key order into one ordered stream, adding up clients that
 * appear in several. Calls `emit` once per distinct client; returns how many.
 */
export function mergeCursors(cursors: RowCursor[], emit: (row: MergedRow) => void): number {
  const row: MergedRow = {
    key: Buffer.alloc(0),
    pv: 0,
    bytes: 0,
    first: 0,
    last: 0,
    s2xx: 0,
    s3xx: 0,
    s4xx: 0,
    s5xx: 0,
  }
  const start = (c: RowCursor): void => {
    row.key = c.key!
    row.pv = row.bytes = row.last = 0
    row.first = Infinity
    row.s2xx = row.s3xx = row.s4xx = row.s5xx = 0
  }
  const live = cursors.filter((c) => c.key !== null)
  let distinct = 0
  while (live.length > 0) {
    if (live.length === 1) {
      // The usual end: one source left, already in order.
      const c = live[0]!
      while (c.key !== null) {
        start(c)
        c.addTo(row)
        distinct++
        // Before next(): the key may be a buffer the cursor rewrites.
        emit(row)
        c.next()
      }
      break
    }
    let min = live[0]!
    for (let k = 1; k < live.length; k++)
      if (Buffer.compare(live[k]!.key!, min.key!) < 0) min = live[k]!
    // A copy: the cursors move on (and may reuse their key buffers) before the row is emitted.
    const minKey = Buffer.from(min.key!)
    start(min)
    row.key = minKey
    for (let k = live.length - 1; k >= 0; k--) {
      const c = live[k]!
      if (c.key!.equals(minKey)) {
        c.addTo(row)
        c.next()
        if (c.key === null) live.splice(k, 1)
      }
    }
    distinct++
    emit(row)
  }
  return distinct
}

export interface MergedRow {
  key: Buffer
  pv: number
  bytes: number
  first: number
  last: number
  s2xx: number
  s3xx: number
  s4xx: number
  s5xx: number
}
