// Bounded heavy hitters for high-cardinality text fields (paths, user agents, referrers):
// the Space-Saving algorithm (Metwally, Agrawal, El Abbadi 2005) over byte-range hashes.
//
// With k counters over a stream of N items, every item whose true count exceeds N/k is in the
// summary, and each reported count over-estimates the true one by at most its `error` (≤ N/k).
// Keys are a 32-bit hash of the field's bytes and its length (a false merge needs two texts of
// the same length to collide); the text is copied (first LABEL_BYTES bytes) only when a key
// enters the summary, never per line.
// Summaries merge (Agarwal et al., "Mergeable summaries", 2012): counts add, and a key missing
// from one side gains that side's minimum as possible error.

const LABEL_BYTES = 256

export interface TopKData {
  capacity: number
  /** Total items offered (N). */
  total: number
  keysLo: Int32Array
  keysHi: Int32Array
  counts: Float64Array
  errors: Float64Array
  labels: string[]
  size: number
}

export class SpaceSaving {
  readonly capacity: number
  total = 0
  private size = 0
  private readonly keysLo: Int32Array
  private readonly keysHi: Int32Array
  private readonly counts: Float64Array
  private readonly errors: Float64Array
  private readonly labelBytes: Uint8Array
  private readonly labelLen: Uint16Array
  /** Min-heap of slot numbers ordered by count; heapPos[slot] = its index in the heap. */
  private readonly heap: Int32Array
  private readonly heapPos: Int32Array
  /** Open-addressing index from key to slot+1. */
  private readonly index: Int32Array
  private readonly indexMask: number

  constructor(capacity: number) {
    this.capacity = capacity
    this.keysLo = new Int32Array(capacity)
    this.keysHi = new Int32Array(capacity)
    this.counts = new Float64Array(capacity)
    this.errors = new Float64Array(capacity)
    this.labelBytes = new Uint8Array(capacity * LABEL_BYTES)
    this.labelLen = new Uint16Array(capacity)
    this.heap = new Int32Array(capacity)
    this.heapPos = new Int32Array(capacity)
    let n = 16
    while (n < capacity * 4) n *= 2
    this.index = new Int32Array(n)
    this.indexMask = n - 1
  }

  /** Count one occurrence of the text buf[start, end) whose hashes are (lo, hi). */
  offer(lo: number, hi: number, buf: Uint8Array, start: number, end: number): void {
    this.total++
    const mask = this.indexMask
    const index = this.index
    let i = lo & mask
    for (;;) {
      const s = index[i]!
      if (s === 0) break
      const slot = s - 1
      if (this.keysLo[slot] === lo && this.keysHi[slot] === hi) {
        this.counts[slot]!++
        this.siftDown(this.heapPos[slot]!)
        return
      }
      i = (i + 1) & mask
    }
    if (this.size < this.capacity) {
      const slot = this.size++
      this.keysLo[slot] = lo
      this.keysHi[slot] = hi
      this.counts[slot] = 1
      this.errors[slot] = 0
      this.setLabel(slot, buf, start, end)
      index[i] = slot + 1
      this.heap[slot] = slot
      this.heapPos[slot] = slot
      this.siftUp(slot)
      return
    }
    // Replace the minimum: the newcomer inherits its count as possible error.
    const slot = this.heap[0]!
    this.removeFromIndex(this.keysLo[slot]!, this.keysHi[slot]!)
    const min = this.counts[slot]!
    this.keysLo[slot] = lo
    this.keysHi[slot] = hi
    this.counts[slot] = min + 1
    this.errors[slot] = min
    this.setLabel(slot, buf, start, end)
    let j = lo & mask
    while (index[j] !== 0) j = (j + 1) & mask
    index[j] = slot + 1
    this.siftDown(0)
  }

  private setLabel(slot: number, buf: Uint8Array, start: number, end: number): void {
    const n = Math.min(end - start, LABEL_BYTES)
    this.labelBytes.set(buf.subarray(start, start + n), slot * LABEL_BYTES)
    this.labelLen[slot] = n
  }

  private removeFromIndex(lo: number, hi: number): void {
    const mask = this.indexMask
    const index = this.index
    let i = lo & mask
    for (;;) {
      const s = index[i]!
      if (s === 0) return
      if (this.keysLo[s - 1] === lo && this.keysHi[s - 1] === hi) break
      i = (i + 1) & mask
    }
    // Backward-shift deletion keeps linear probing correct without tombstones.
    let j = i
    for (;;) {
      index[i] = 0
      for (;;) {
        j = (j + 1) & mask
        const s = index[j]!
        if (s === 0) return
        const home = this.keysLo[s - 1]! & mask
        const between = i <= j ? home > i && home <= j : home > i || home <= j
        if (!between) break
      }
      index[i] = index[j]!
      i = j
    }
  }

  private siftUp(p: number): void {
    const heap = this.heap
    const counts = this.counts
    const slot = heap[p]!
    const c = counts[slot]!
    while (p > 0) {
      const parent = (p - 1) >> 1
      const ps = heap[parent]!
      if (counts[ps]! <= c) break
      heap[p] = ps
      this.heapPos[ps] = p
      p = parent
    }
    heap[p] = slot
    this.heapPos[slot] = p
  }

  private siftDown(p: number): void {
    const heap = this.heap
    const counts = this.counts
    const n = this.size
    const slot = heap[p]!
    const c = counts[slot]!
    for (;;) {
      let child = 2 * p + 1
      if (child >= n) break
      const r = child + 1
      if (r < n && counts[heap[r]!]! < counts[heap[child]!]!) child = r
      const cs = heap[child]!
      if (counts[cs]! >= c) break
      heap[p] = cs
      this.heapPos[cs] = p
      p = child
    }
    heap[p] = slot
    this.heapPos[slot] = p
  }

  toData(decode: (bytes: Uint8Array) => string): TopKData {
    const n = this.size
    const labels = new Array<string>(n)
    for (let s = 0; s < n; s++) {
      const off = s * LABEL_BYTES
      labels[s] = decode(this.labelBytes.subarray(off, off + this.labelLen[s]!))
    }
    return {
      capacity: this.capacity,
      total: this.total,
      keysLo: this.keysLo.slice(0, n),
      keysHi: this.keysHi.slice(0, n),
      counts: this.counts.slice(0, n),
      errors: this.errors.slice(0, n),
      labels,
      size: n,
    }
  }
}

export interface TopEntry {
  key: string
  count: number
  error: number
}

/** Merge summaries (from several threads) and return the top `n` entries by count. */
export function mergeTopK(parts: TopKData[], n: number): { entries: TopEntry[]; total: number } {
  const merged = new Map<string, { key: string; count: number; error: number; seen: number }>()
  let total = 0
  parts.forEach((p, partIndex) => {
    total += p.total
    for (let s = 0; s < p.size; s++) {
      const id = p.keysLo[s] + ':' + p.keysHi[s]
      const e = merged.get(id)
      if (e) {
        e.count += p.counts[s]!
        e.error += p.errors[s]!
        e.seen |= 1 << partIndex
      } else
        merged.set(id, {
          key: p.labels[s]!,
          count: p.counts[s]!,
          error: p.errors[s]!,
          seen: 1 << partIndex,
        })
    }
  })
  // A key absent from a full summary may have had up to that summary's minimum count there.
  const mins = parts.map((p) => (p.size < p.capacity ? 0 : Math.min(...p.counts)))
  const all = [...merged.values()]
  for (const e of all) {
    parts.forEach((_, k) => {
      if (!(e.seen & (1 << k)) && mins[k]! > 0) {
        e.count += mins[k]!
        e.error += mins[k]!
      }
    })
  }
  all.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
  return {
    entries: all.slice(0, n).map(({ key, count, error }) => ({ key, count, error })),
    total,
  }
}
