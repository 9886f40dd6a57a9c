// Distinct-visitor counting per time bucket, in bounded memory.
//
// A bucket starts as an exact set of 32-bit client hashes (open addressing). Past SPARSE_LIMIT
// distinct clients it becomes a HyperLogLog with 2^14 registers (standard error 1.04/√16384 ≈
// 0.81%), estimated with Ertl's improved raw estimator ("New cardinality estimation algorithms
// for HyperLogLog sketches", 2017), which needs no empirical bias tables. Both forms merge.
// The total UV of an analysis is never estimated: it is the exact row count of the per-IP table.

export const HLL_P = 14
const M = 1 << HLL_P
const Q = 32 - HLL_P // bits left for the rank
const SPARSE_LIMIT = 3072
const SPARSE_MAX_SLOTS = 4096

export class UvSketch {
  /** Exact set of hashes (0 = empty slot; hash 0 is stored as 1). Null once dense. */
  private set: Uint32Array | null = new Uint32Array(16)
  private setCount = 0
  private regs: Uint8Array | null = null

  get exact(): boolean {
    return this.regs === null
  }

  /** Bytes held, for the memory cap of the time series. */
  get byteSize(): number {
    return this.regs ? this.regs.byteLength : this.set!.byteLength
  }

  add(hash: number): void {
    const regs = this.regs
    if (regs !== null) {
      addToRegisters(regs, hash)
      return
    }
    let set = this.set!
    const h = hash === 0 ? 1 : hash >>> 0
    let mask = set.length - 1
    let i = h & mask
    for (;;) {
      const v = set[i]!
      if (v === h) return
      if (v === 0) break
      i = (i + 1) & mask
    }
    if ((this.setCount + 1) * 4 > set.length * 3) {
      if (this.setCount + 1 > SPARSE_LIMIT || set.length >= SPARSE_MAX_SLOTS) {
        this.toDense()
        addToRegisters(this.regs!, hash)
        return
      }
      this.grow()
      set = this.set!
      mask = set.length - 1
      i = h & mask
      while (set[i] !== 0) i = (i + 1) & mask
    }
    set[i] = h
    this.setCount++
  }

  private grow(): void {
    const old = this.set!
    const next = new Uint32Array(old.length * 2)
    const mask = next.length - 1
    for (let k = 0; k < old.length; k++) {
      const v = old[k]!
      if (v === 0) continue
      let i = v & mask
      while (next[i] !== 0) i = (i + 1) & mask
      next[i] = v
    }
    this.set = next
  }

  private toDense(): void {
    const regs = new Uint8Array(M)
    const set = this.set!
    for (let k = 0; k < set.length; k++) if (set[k] !== 0) addToRegisters(regs, set[k]!)
    this.regs = regs
    this.set = null
    this.setCount = 0
  }

  merge(other: UvSketch): void {
    if (other.regs !== null) {
      if (this.regs === null) this.toDense()
      const a = this.regs!
      const b = other.regs
      for (let i = 0; i < M; i++) if (b[i]! > a[i]!) a[i] = b[i]!
      return
    }
    const set = other.set!
    for (let k = 0; k < set.length; k++) if (set[k] !== 0) this.add(set[k]!)
  }

  estimate(): number {
    if (this.regs === null) return this.setCount
    return Math.round(ertlEstimate(this.regs))
  }

  /** Plain-data form for crossing threads (typed arrays are transferable). */
  toData(): UvSketchData {
    return this.regs
      ? { kind: 'dense', data: this.regs }
      : { kind: 'sparse', data: this.set!, count: this.setCount }
  }

  static fromData(d: UvSketchData): UvSketch {
    const s = new UvSketch()
    if (d.kind === 'dense') {
      s.regs = d.data
      s.set = null
    } else {
      s.set = d.data
      s.setCount = d.count
    }
    return s
  }
}

export type UvSketchData =
  { kind: 'dense'; data: Uint8Array } | { kind: 'sparse'; data: Uint32Array; count: number }

function addToRegisters(regs: Uint8Array, hash: number): void {
  const idx = hash >>> Q
  const w = (hash << HLL_P) >>> 0
  const rank = Math.min(Math.clz32(w), Q) + 1
  if (rank > regs[idx]!) regs[idx] = rank
}

function sigma(x: number): number {
  if (x === 1) return Infinity
  let y = 1
  let z = x
  let prev: number
  do {
    x *= x
    prev = z
    z += x * y
    y += y
  } while (z !== prev)
  return z
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0
  let y = 1
  let z = 1 - x
  let prev: number
  do {
    x = Math.sqrt(x)
    prev = z
    y *= 0.5
    z -= (1 - x) ** 2 * y
  } while (z !== prev)
  return z / 3
}

function ertlEstimate(regs: Uint8Array): number {
  const c = new Float64Array(Q + 2)
  for (let i = 0; i < M; i++) c[regs[i]!]!++
  let z = M * tau(1 - c[Q + 1]! / M)
  for (let k = Q; k >= 1; k--) z = 0.5 * (z + c[k]!)
  z += M * sigma(c[0]! / M)
  return (M * M) / (2 * Math.LN2) / z
}
