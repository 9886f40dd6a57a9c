// AssemblyScript: compiled to WebAssembly by scripts/build-wasm.mjs into
// src/engine/aggregate/ip-table-wasm.ts. The counting of one staged batch into the shared
// per-client table (SharedIpTable.countBatch in src/engine/aggregate/shared-ip-table.ts, ported
// rule for rule): the table and each thread's staged lines live in one shared memory, and the
// calling thread holds the region's lock. The JavaScript version stays for runtimes without
// WebAssembly; the exactness tests run both.

// Counters per client (u32 words), as in shared-ip-table.ts.
const STRIDE: i32 = 9
const STRIDE_V6: i32 = 13
const F_FIRST: i32 = 0
const F_LAST: i32 = 1
const F_BYTES_LO: i32 = 2
const F_BYTES_HI: i32 = 3
const F_OTHER: i32 = 4
const F_2XX: i32 = 5
const F_ADDR: i32 = 9
const V6_BIT: u32 = 0x80000000
const STAGED_V6: u32 = 0x8000
const LINE: i32 = 16
const R_COUNT: i32 = 1
const R_WORDS: i32 = 2

// The table (byte offsets into the shared memory) and its shape, from init().
let ctl: usize = 0
let slotWords: usize = 0
let cnt: usize = 0
let slots: u64 = 0
let regionSlots: i32 = 0
let regionWords: i32 = 0
let regionCap: i32 = 0
let rBase: i32 = 0
let stage: i32 = 0
// This thread's staged lines.
let sAddr: usize = 0
let sHash: usize = 0
let sTime: usize = 0
let sStatus: usize = 0
let sBytes: usize = 0
let found: usize = 0
// The coordinator's scratch (drains only): sort counts, then gathered rows.
let scratch: usize = 0

export function init(
  ctlAt: usize,
  slotsAt: usize,
  cntAt: usize,
  slotCount: i32,
  perRegionSlots: i32,
  perRegionWords: i32,
  perRegionCap: i32,
  regionBase: i32,
  stageLines: i32,
  addrAt: usize,
  hashAt: usize,
  timeAt: usize,
  statusAt: usize,
  bytesAt: usize,
  foundAt: usize,
  scratchAt: usize,
): void {
  ctl = ctlAt
  slotWords = slotsAt
  cnt = cntAt
  slots = <u64>slotCount
  regionSlots = perRegionSlots
  regionWords = perRegionWords
  regionCap = perRegionCap
  rBase = regionBase
  stage = stageLines
  sAddr = addrAt
  sHash = hashAt
  sTime = timeAt
  sStatus = statusAt
  sBytes = bytesAt
  found = foundAt
  scratch = scratchAt
}

function slotOf(h: u32): i32 {
  return <i32>((<u64>h * slots) >> 32)
}

function word(base: usize, i: i32): u32 {
  return load<u32>(base + ((<usize>i) << 2))
}

function setWord(base: usize, i: i32, v: u32): void {
  store<u32>(base + ((<usize>i) << 2), v)
}

/** Sink for the touching loads (keeps them). */
let sink: u32 = 0

/**
 * Count staged lines [from, n) of region r. Returns the number counted: n, or fewer when the
 * region is full (the caller drains it and calls again).
 */
export function countBatch(r: i32, from: i32, n: i32): i32 {
  const base = r * stage
  let touch: u32 = 0
  for (let k = from; k < n; k++) touch ^= word(slotWords, 2 * slotOf(word(sHash, base + k)) + 1)
  let k = from
  for (; k < n; k++) {
    const i = base + k
    const t = word(sTime, i)
    const c =
      ((<u32>load<u16>(sStatus + ((<usize>i) << 1))) & STAGED_V6) == 0
        ? find4(r, word(sAddr, 4 * i), word(sHash, i), t)
        : find6(r, i, t)
    if (c < 0) break
    setWord(found, k, <u32>c)
  }
  // Independent loads only: many counters' cache misses in flight at once (both ends).
  for (let j = from; j < k; j++) {
    const c = <i32>word(found, j)
    touch ^= word(cnt, c) ^ word(cnt, c + F_2XX + 3)
  }
  for (let j = from; j < k; j++) {
    const i = base + j
    const c = <i32>word(found, j)
    const status = <i32>((<u32>load<u16>(sStatus + ((<usize>i) << 1))) & ~STAGED_V6)
    const cls = status / 100
    const f = c + (cls >= 2 && cls <= 5 ? F_2XX - 2 + cls : F_OTHER)
    setWord(cnt, f, word(cnt, f) + 1)
    const b = <u64>load<f64>(sBytes + ((<usize>i) << 3))
    const lo = <u64>word(cnt, c + F_BYTES_LO) + (b & 0xffffffff)
    setWord(cnt, c + F_BYTES_LO, <u32>lo)
    const carry = <u32>(b >> 32) + <u32>(lo >> 32)
    if (carry != 0) setWord(cnt, c + F_BYTES_HI, word(cnt, c + F_BYTES_HI) + carry)
    const t = word(sTime, i)
    if (t < word(cnt, c + F_FIRST)) setWord(cnt, c + F_FIRST, t)
    if (t > word(cnt, c + F_LAST)) setWord(cnt, c + F_LAST, t)
  }
  sink = touch
  return k
}

function find4(r: i32, ip: u32, h: u32, t: u32): i32 {
  const lo = r * regionSlots
  const hi = lo + regionSlots
  let i = slotOf(h)
  for (;;) {
    const w = 2 * i
    const tag = word(slotWords, w + 1)
    if (tag == 0) return claim(r, w, ip, t, -1)
    if ((tag & V6_BIT) == 0 && word(slotWords, w) == ip) return <i32>tag - 1
    if (++i == hi) i = lo
  }
  return unreachable()
}

function find6(r: i32, i: i32, t: u32): i32 {
  const a4 = 4 * i
  const a = word(sAddr, a4)
  const b = word(sAddr, a4 + 1)
  const cc = word(sAddr, a4 + 2)
  const d = word(sAddr, a4 + 3)
  const lo = r * regionSlots
  const hi = lo + regionSlots
  let s = slotOf(word(sHash, i))
  for (;;) {
    const w = 2 * s
    const tag = word(slotWords, w + 1)
    if (tag == 0) return claim(r, w, 0, t, a4)
    if ((tag & V6_BIT) != 0) {
      const k = <i32>(tag & ~V6_BIT) - 1
      const f = k + F_ADDR
      if (
        word(cnt, f) == a &&
        word(cnt, f + 1) == b &&
        word(cnt, f + 2) == cc &&
        word(cnt, f + 3) == d
      )
        return k
    }
    if (++s == hi) s = lo
  }
  return unreachable()
}

function claim(r: i32, w: i32, key: u32, t: u32, v6At: i32): i32 {
  const rw = rBase + LINE * r
  const len = v6At >= 0 ? STRIDE_V6 : STRIDE
  const used = <i32>word(ctl, rw + R_WORDS)
  if (<i32>word(ctl, rw + R_COUNT) >= regionCap || used + len > regionWords) return -1
  setWord(ctl, rw + R_COUNT, word(ctl, rw + R_COUNT) + 1)
  setWord(ctl, rw + R_WORDS, <u32>(used + len))
  const c = r * regionWords + used
  setWord(cnt, c + F_FIRST, t)
  setWord(cnt, c + F_LAST, t)
  if (v6At >= 0) {
    setWord(cnt, c + F_ADDR, word(sAddr, v6At))
    setWord(cnt, c + F_ADDR + 1, word(sAddr, v6At + 1))
    setWord(cnt, c + F_ADDR + 2, word(sAddr, v6At + 2))
    setWord(cnt, c + F_ADDR + 3, word(sAddr, v6At + 3))
  } else setWord(slotWords, w, key)
  // Published with a store the coordinator's live preview (top) can rely on.
  atomic.store<u32>(slotWords + ((<usize>(w + 1)) << 2), (<u32>(c + 1)) | (v6At >= 0 ? V6_BIT : 0))
  return c
}

// ------------------------------------------------------------ drains (the coordinator)

/**
 * Bytes of scratch the coordinator's functions use: SORT_LEVELS × 512 words, then GATHER_ROWS
 * rows (drains), then TOP_MAX top entries (topClients).
 */
export const SORT_LEVELS: i32 = 4
export const GATHER_ROWS: i32 = 128
export const ROW_WORDS: i32 = 10
export const TOP_MAX: i32 = 64
export const SCRATCH_BYTES: i32 = SORT_LEVELS * 2048 + GATHER_ROWS * ROW_WORDS * 4 + TOP_MAX * 16

/** The [address, tag] pair i of the slot array, as one u64 (the address in its low half). */
function pairAt(i: i32): usize {
  return slotWords + ((<usize>i) << 3)
}

let v6Pairs: i32 = 0

/**
 * Partition the slot array's [address, tag] pairs in place, in one pass: the IPv4 clients' to
 * the front, the IPv6 clients' to the back, empty slots between. Returns how many IPv4 pairs;
 * partitionedV6() says how many IPv6 ones. Their order is arbitrary (sortPairs follows).
 */
export function partitionPairs(): i32 {
  let lo: i32 = 0
  let hi: i32 = <i32>slots - 1
  let i: i32 = 0
  // [0, lo): IPv4; [lo, i): empty, or pairs already moved (read by nobody: clear() follows the
  // drain); [i, hi]: not seen yet; (hi, slots): IPv6.
  while (i <= hi) {
    const p = load<u64>(pairAt(i))
    const tag = <u32>(p >> 32)
    if (tag == 0) i++
    else if ((tag & V6_BIT) == 0) {
      store<u64>(pairAt(lo), p)
      lo++
      i++
    } else {
      store<u64>(pairAt(i), load<u64>(pairAt(hi)))
      store<u64>(pairAt(hi), p)
      hi--
    }
  }
  v6Pairs = <i32>slots - 1 - hi
  return lo
}

/** IPv6 pairs at the back of the slot array after partitionPairs(). */
export function partitionedV6(): i32 {
  return v6Pairs
}

/**
 * Sort the first n [address, tag] pairs of the slot array by address (addresses are distinct:
 * each is one client), in place: most-significant-byte radix (American flag) passes, a byte a
 * level, with insertion sort for small buckets. No memory but the scratch's counts; the same
 * order as SharedIpTable's sortPairs.
 */
export function sortPairs(n: i32): void {
  if (n > 1) radixLevel(0, n, 24, 0)
}

function radixLevel(lo: i32, hi: i32, shift: i32, level: i32): void {
  if (hi - lo <= 32) {
    insertionSort(lo, hi)
    return
  }
  // ends[b]: where bucket b ends; next[b]: its next unplaced position.
  const ends = scratch + <usize>(level * 2048)
  const next = ends + 1024
  memory.fill(ends, 0, 1024)
  for (let i = lo; i < hi; i++) {
    const d = ((<u32>load<u64>(pairAt(i))) >> shift) & 255
    const e = ends + ((<usize>d) << 2)
    store<u32>(e, load<u32>(e) + 1)
  }
  let at = lo
  for (let b = 0; b < 256; b++) {
    const e = ends + ((<usize>b) << 2)
    store<u32>(next + ((<usize>b) << 2), at)
    at += load<u32>(e)
    store<u32>(e, at)
  }
  // Every pair to its bucket: cycles of swaps, each pair moved once.
  for (let b = 0; b < 256; b++) {
    const nb = next + ((<usize>b) << 2)
    const end = load<u32>(ends + ((<usize>b) << 2))
    while (load<u32>(nb) < end) {
      let v = load<u64>(pairAt(load<u32>(nb)))
      let d = ((<u32>v) >> shift) & 255
      while (d != <u32>b) {
        const nd = next + ((<usize>d) << 2)
        const j = load<u32>(nd)
        store<u32>(nd, j + 1)
        const w = load<u64>(pairAt(j))
        store<u64>(pairAt(j), v)
        v = w
        d = ((<u32>v) >> shift) & 255
      }
      const j = load<u32>(nb)
      store<u64>(pairAt(j), v)
      store<u32>(nb, j + 1)
    }
  }
  if (shift == 0) return
  let start = lo
  for (let b = 0; b < 256; b++) {
    const end = <i32>load<u32>(ends + ((<usize>b) << 2))
    if (end - start > 1) radixLevel(start, end, shift - 8, level + 1)
    start = end
  }
}

function insertionSort(lo: i32, hi: i32): void {
  for (let i = lo + 1; i < hi; i++) {
    const v = load<u64>(pairAt(i))
    const k = <u32>v
    let j = i - 1
    while (j >= lo && <u32>load<u64>(pairAt(j)) > k) {
      store<u64>(pairAt(j + 1), load<u64>(pairAt(j)))
      j--
    }
    store<u64>(pairAt(j + 1), v)
  }
}

/**
 * The rows of sorted pairs [from, from + n) (n <= GATHER_ROWS) into the scratch, ROW_WORDS each:
 * the address, then the client's counters as they are (F_FIRST…). The counters are scattered:
 * touching them all first keeps many cache misses in flight at once.
 */
export function gatherRows(from: i32, n: i32): void {
  const out = scratch + <usize>(SORT_LEVELS * 2048)
  let touch: u32 = 0
  for (let j = 0; j < n; j++) {
    const c = <i32>(load<u32>(pairAt(from + j) + 4) - 1)
    touch ^= word(cnt, c) ^ word(cnt, c + F_2XX + 3)
  }
  for (let j = 0; j < n; j++) {
    const p = pairAt(from + j)
    const c = cnt + ((<usize>(load<u32>(p + 4) - 1)) << 2)
    const o = out + <usize>(j * ROW_WORDS * 4)
    store<u32>(o, load<u32>(p))
    for (let k: usize = 0; k < 36; k += 4) store<u32>(o + 4 + k, load<u32>(c + k))
  }
  sink = touch
}

/**
 * The n (<= TOP_MAX) clients with the most requests, most first (earlier slots first among
 * equals), into the scratch's top entries: 16 bytes each, the slot (i32) and its requests (u64
 * at +8). Returns how many. A live preview while threads count: counters may be mid-update.
 * SharedIpTable.top in JavaScript, rule for rule: one pass over the slots, ~8 MB at 24 MB of
 * table, which the JavaScript loop, run once in a while and so never optimised, took ~40 ms for.
 */
export function topClients(n: i32): i32 {
  const out = scratch + <usize>(SORT_LEVELS * 2048 + GATHER_ROWS * ROW_WORDS * 4)
  let k: i32 = 0
  let least: u64 = 0
  const end = <i32>slots
  for (let i: i32 = 0; i < end; i++) {
    const tag = load<u32>(pairAt(i) + 4)
    if (tag == 0) continue
    const c = <i32>(tag & ~V6_BIT) - 1
    const v: u64 =
      <u64>word(cnt, c + F_OTHER) +
      <u64>word(cnt, c + F_2XX) +
      <u64>word(cnt, c + F_2XX + 1) +
      <u64>word(cnt, c + F_2XX + 2) +
      <u64>word(cnt, c + F_2XX + 3)
    if (k == n && v <= least) continue
    let j = k < n ? k : n - 1
    while (j > 0 && load<u64>(out + <usize>((j - 1) * 16) + 8) < v) {
      const from = out + <usize>((j - 1) * 16)
      store<u64>(from + 16, load<u64>(from))
      store<u64>(from + 24, load<u64>(from + 8))
      j--
    }
    store<i32>(out + <usize>(j * 16), i)
    store<u64>(out + <usize>(j * 16) + 8, v)
    if (k < n) k++
    least = load<u64>(out + <usize>((k - 1) * 16) + 8)
  }
  return k
}

// ------------------------------------------------------------------ key-range records
// The records of a key range read back at the end (engine/aggregate/partition.ts), staged here
// rather than one JavaScript call per line (SharedIpTable.countRecords). Record kinds and words
// as partition.ts writes them.
const REC_LINE4: u32 = 1
const REC_LINE6: u32 = 2
const REC_BIG: u32 = 8

/** The region whose staged lines filled, for the caller to count; -1 when none. */
let filled: i32 = -1

function mix32(x: u32): u32 {
  x = (x ^ (x >>> 16)) * 0x85ebca6b
  x = (x ^ (x >>> 13)) * 0xc2b2ae35
  return x ^ (x >>> 16)
}

function mix128(a: u32, b: u32, c: u32, d: u32): u32 {
  return mix32(mix32(mix32(mix32(a ^ 0x9e3779b9) ^ b) ^ c) ^ d)
}

/**
 * Stage the line records in words [from, to) of the records at `at`, as SharedIpTable.stage4
 * and stage6 do (per-region counts at `countAt`, regions from the hash's top bits: `shift`).
 * Returns where it stopped: `to`; a record of another kind (a whole row) or cut short, for the
 * caller; or just after a line that filled its region's stage (takeFilled() says which).
 */
export function stageRecords(at: usize, from: i32, to: i32, countAt: usize, shift: i32): i32 {
  let i = from
  while (i < to) {
    const k = word(at, i)
    const kind = k & 7
    const big = (k & REC_BIG) != 0
    let len: i32
    let h: u32
    let status = k >>> 4
    if (kind == REC_LINE4) {
      len = big ? 5 : 4
      if (i + len > to) return i
      h = mix32(word(at, i + 1))
    } else if (kind == REC_LINE6) {
      len = big ? 8 : 7
      if (i + len > to) return i
      h = mix128(word(at, i + 1), word(at, i + 2), word(at, i + 3), word(at, i + 4))
      status |= STAGED_V6
    } else return i
    const r = <i32>((h >>> 16) >>> shift)
    const n = <i32>word(countAt, r)
    const s = r * stage + n
    // An IPv4 line's address, or an IPv6 one's four words; its time, bytes (lo, hi) after them.
    const v = kind == REC_LINE4 ? 1 : 4
    for (let j = 0; j < v; j++) setWord(sAddr, 4 * s + j, word(at, i + 1 + j))
    setWord(sHash, s, h)
    setWord(sTime, s, word(at, i + 1 + v))
    store<u16>(sStatus + ((<usize>s) << 1), <u16>status)
    let bytes = <f64>word(at, i + 2 + v)
    if (big) bytes += <f64>word(at, i + 3 + v) * 4294967296.0
    store<f64>(sBytes + ((<usize>s) << 3), bytes)
    setWord(countAt, r, <u32>(n + 1))
    i += len
    if (n + 1 == stage) {
      filled = r
      return i
    }
  }
  return i
}

/** The region stageRecords() filled (-1: none), and forget it. */
export function takeFilled(): i32 {
  const r = filled
  filled = -1
  return r
}
