// AssemblyScript: compiled to WebAssembly by scripts/build-wasm.mjs into
// src/engine/parser/fast-lines-wasm.ts. The per-line parse of the preset formats (combined,
// common, vhost_combined, combined_extra) over a whole chunk of lines in one call, with 16-byte
// (SIMD) searches for line ends, quotes and path stops, and the top-k hashes of the path,
// referrer and user agent.
//
// It follows src/engine/parser/fast.ts rule for rule, but is narrower: it accepts a line only
// when every field has its usual shape (a dotted-quad client, no backslash in a quoted field,
// seconds 00-59, a year from 1 on), and leaves everything else to the JavaScript parser (kind 0),
// which decides as before. So a line it accepts gives exactly what fast.ts gives, and a line it
// does not is parsed as if it did not exist. test/engine/fast-lines.test.ts compares the two on
// every line of the real logs, generated logs and mutated lines.

/** Fields of fast.ts's shape (the same bits). */
const SHAPE_VHOST = 1
const SHAPE_COMMON = 2
const SHAPE_EXTRA = 4

/** A record per line, REC_BYTES each (Int32 words, two Float64 at byte 24 and 32). */
export const REC_BYTES: i32 = 96
const R_KIND = 0 // 0: for the JavaScript parser, 1: parsed here (IPv4), 2: parsed here (IPv6)
const R_START = 4 // the line's first byte
const R_END = 8 // its `\n` (or the end of the chunk)
const R_IP = 12
const R_STATUS = 16
const R_TZ = 20
const R_TIME = 24 // f64, epoch seconds
const R_BYTES = 32 // f64
const R_PATH = 40 // start, end, hash
const R_REFERER = 52
const R_AGENT = 64
const R_V6 = 80 // four big-endian words (IPv6); the eight groups are parsed into them first

/**
 * The cached minute: the 26 time bytes of the last valid time with its seconds (bytes 18 and
 * 19) masked out, and what they parse to. No time has all-zero bytes, so nothing matches at first.
 */
let keyA: u64 = 0
let keyB: u64 = 0
let keyC: u64 = 0
let keyD: u16 = 0
const SECONDS_MASK: u64 = 0xffffffff0000ffff
let keyMinute: i64 = 0
let keyTz: i32 = 0

function digit(p: usize): i32 {
  return <i32>load<u8>(p) - 48
}

/** Two decimal digits at p, or -1. */
function d2(p: usize): i32 {
  const a = digit(p)
  const b = digit(p + 1)
  if (<u32>a > 9 || <u32>b > 9) return -1
  return a * 10 + b
}

/** Same as src/engine/aggregate/hash.ts hashBytes (the same 32 bits for the same bytes). */
function hashBytes(s: usize, e: usize): i32 {
  // Lanes a, b, c, d as one vector: 16 bytes a step.
  const len = <i32>(e - s)
  let v = i32x4(0x9747b28c ^ len, 0x2f8e6a1d, 0x5c2e7f3b, 0x0b4f19e7)
  const m = i32x4.splat(0x5bd1e995)
  let i = s
  for (; i + 16 <= e; i += 16) {
    v = i32x4.mul(v128.xor(v, v128.load(i)), m)
    v = v128.xor(v, i32x4.shr_u(v, 15))
  }
  if (i < e) {
    // The last 16 bytes (overlapping), or a text under 16 bytes followed by zeros.
    const x =
      len >= 16 ? v128.load(e - 16) : v128.and(v128.load(s), i8x16.lt_u(IOTA, i8x16.splat(<i8>len)))
    v = i32x4.mul(v128.xor(v, x), m)
    v = v128.xor(v, i32x4.shr_u(v, 15))
  }
  const a = i32x4.extract_lane(v, 0)
  const b = i32x4.extract_lane(v, 1)
  const c = i32x4.extract_lane(v, 2)
  const d = i32x4.extract_lane(v, 3)
  let h = (a ^ ((b ^ (<i32>((<u32>b) >> 13))) * 0xcc9e2d51)) * 0x1b873593
  h = (h ^ ((c ^ (<i32>((<u32>c) >> 13))) * 0xcc9e2d51)) * 0x1b873593
  h = (h ^ ((d ^ (<i32>((<u32>d) >> 13))) * 0xcc9e2d51)) * 0x1b873593
  h = (h ^ (<i32>((<u32>h) >> 16))) * 0x85ebca6b
  return h ^ (<i32>((<u32>h) >> 13))
}

const IOTA = i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

/** First byte in [p, e) equal to one of a..d or `\n`, or e: 16 bytes a step. */
function firstOf(p: usize, e: usize, a: u8, b: u8, c: u8, d: u8): usize {
  const va = i8x16.splat(a)
  const vb = i8x16.splat(b)
  const vc = i8x16.splat(c)
  const vd = i8x16.splat(d)
  const nl = i8x16.splat(10)
  while (p < e) {
    const v = v128.load(p)
    const m = i8x16.bitmask(
      v128.or(
        v128.or(
          v128.or(i8x16.eq(v, va), i8x16.eq(v, vb)),
          v128.or(i8x16.eq(v, vc), i8x16.eq(v, vd)),
        ),
        i8x16.eq(v, nl),
      ),
    )
    if (m != 0) {
      const x = p + <usize>ctz(m)
      return x < e ? x : e
    }
    p += 16
  }
  return e
}

/** First `\n` in [p, end), or end. */
function lineEnd(p: usize, end: usize): usize {
  return firstOf(p, end, 10, 10, 10, 10)
}

/**
 * First `"` in [p, e) when no `\` or line end comes before it, else 0 (the JavaScript parser
 * decides).
 */
function closingQuote(p: usize, e: usize): usize {
  const x = firstOf(p, e, 34, 92, 34, 92)
  return x < e && load<u8>(x) == 34 ? x : 0
}

/** First byte of METHOD_STOP (space, `"`, `\`) or `\n` in [p, e), or e. */
function methodStop(p: usize, e: usize): usize {
  return firstOf(p, e, 32, 34, 92, 32)
}

/** First byte of PATH_STOP (space, `"`, `\`, `?`) or `\n` in [p, e), or e. */
function pathStop(p: usize, e: usize): usize {
  return firstOf(p, e, 32, 34, 92, 63)
}

function monthOf(a: u32, b: u32, c: u32): i32 {
  const k = ((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20)
  if (k == 0x6a616e) return 1
  if (k == 0x666562) return 2
  if (k == 0x6d6172) return 3
  if (k == 0x617072) return 4
  if (k == 0x6d6179) return 5
  if (k == 0x6a756e) return 6
  if (k == 0x6a756c) return 7
  if (k == 0x617567) return 8
  if (k == 0x736570) return 9
  if (k == 0x6f6374) return 10
  if (k == 0x6e6f76) return 11
  if (k == 0x646563) return 12
  return 0
}

function daysInMonth(y: i32, m: i32): i32 {
  if (m == 2) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31
}

/** Days from 1970-01-01 (Hinnant's days_from_civil; y >= 1, so division is floor division). */
function daysFromCivil(y: i32, m: i32, d: i32): i64 {
  y -= m <= 2 ? 1 : 0
  const era = y / 400
  const yoe = y - era * 400
  const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
  return <i64>era * 146097 + <i64>doe - 719468
}

/**
 * The minute of `dd/Mon/yyyy:HH:MM:SS +zzzz` at p (26 bytes) into keyMinute/keyTz, as
 * parseTimeLocalMinute in time.ts; false when it is not a valid time or its year is before 1.
 */
function timeMinute(p: usize): bool {
  const day = d2(p)
  if (load<u8>(p + 2) != 47 || load<u8>(p + 6) != 47 || load<u8>(p + 11) != 58) return false
  if (load<u8>(p + 14) != 58 || load<u8>(p + 17) != 58 || load<u8>(p + 20) != 32) return false
  const mon = monthOf(load<u8>(p + 3), load<u8>(p + 4), load<u8>(p + 5))
  const y1 = d2(p + 7)
  const y2 = d2(p + 9)
  const hh = d2(p + 12)
  const mm = d2(p + 15)
  const sign = load<u8>(p + 21)
  const zh = d2(p + 22)
  const zm = d2(p + 24)
  if (day < 1 || mon == 0 || y1 < 0 || y2 < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
    return false
  }
  if ((sign != 43 && sign != 45) || zh < 0 || zh > 23 || zm < 0 || zm > 59) return false
  const year = y1 * 100 + y2
  if (year < 1 || day > daysInMonth(year, mon)) return false
  const tz = (sign == 45 ? -1 : 1) * (zh * 60 + zm)
  keyTz = tz
  keyMinute = daysFromCivil(year, mon, day) * 86400 + <i64>(hh * 3600 + mm * 60 - tz * 60)
  return true
}

// Top-k summaries (Space-Saving, src/engine/aggregate/top-k.ts ported rule for rule, with the
// weighted update besides, so both give the same summary for the same unit offers): paths, user
// agents, referrers. Laid out from `topAt` (topInit), each TOP_BYTES long; JavaScript reads them
// back (fast-lines.ts). The lines parsed here reach them summed per call (pendingOffer).
export const TOP_PATH = 0
export const TOP_AGENT = 1
export const TOP_REFERER = 2
export const LABEL_BYTES: i32 = 256
export const TOP_CAPACITY: i32 = 500
/** Open-addressing index slots: the smallest power of two >= 4 * capacity (as in top-k.ts). */
export const TOP_INDEX: i32 = 2048
// Byte offsets inside a summary.
export const T_TOTAL: i32 = 0 // f64
export const T_SIZE: i32 = 8 // i32
export const T_KEYS_LO: i32 = 16
export const T_KEYS_HI: i32 = T_KEYS_LO + 4 * TOP_CAPACITY
export const T_COUNTS: i32 = T_KEYS_HI + 4 * TOP_CAPACITY // f64
export const T_ERRORS: i32 = T_COUNTS + 8 * TOP_CAPACITY // f64
export const T_HEAP: i32 = T_ERRORS + 8 * TOP_CAPACITY
export const T_HEAP_POS: i32 = T_HEAP + 4 * TOP_CAPACITY
export const T_INDEX: i32 = T_HEAP_POS + 4 * TOP_CAPACITY
export const T_LABEL_LEN: i32 = T_INDEX + 4 * TOP_INDEX // u16
export const T_LABELS: i32 = T_LABEL_LEN + 2 * TOP_CAPACITY
export const TOP_BYTES: i32 = T_LABELS + LABEL_BYTES * TOP_CAPACITY

let topAt: usize = 0

/**
 * Where the three summaries live (zeroed memory: empty summaries), and the PEND_BYTES where a
 * parseLines call sums its offers (pendingOffer).
 */
export function topInit(at: usize, pending: usize): void {
  topAt = at
  pendAt = pending
}

// The offers of one parseLines call, summed per text before they reach the summaries: one
// update of a summary per distinct text and call instead of one per line (most lines repeat a
// path, agent or referrer seen a few lines before). A count of w is offered as Space-Saving's
// weighted update (topOfferWeighted), which keeps its guarantees: count - error <= true count
// <= count, error <= N/k. Entries: summary, lo, hi (a text's length, under 2^28: a line is at
// most 1 MB) with the summary in its top 4 bits, weight, label, label length (i32 each). A probe
// compares lo and that word as one i64, not three i32s: parsing the 1 GB bench log ended ~12 ms
// sooner (median of 16 interleaved pairs).
const PEND_SLOTS: i32 = 2048
const PEND_MAX: i32 = 1024
const PEND_ENTRY: i32 = 24
export const PEND_BYTES: i32 = 4 * PEND_SLOTS + PEND_ENTRY * PEND_MAX
let pendAt: usize = 0
let pendCount: i32 = 0

function pendingOffer(k: i32, lo: i32, hi: i32, label: usize, labelLen: i32): void {
  const mask = PEND_SLOTS - 1
  let i = (lo ^ (k << 29)) & mask
  const key = (<i64>(<u32>lo)) | ((<i64>(hi | (k << 28))) << 32)
  for (;;) {
    const v = load<i32>(pendAt + ((<usize>i) << 2))
    if (v == 0) break
    const e = pendAt + <usize>(4 * PEND_SLOTS + (v - 1) * PEND_ENTRY)
    if (load<i64>(e, 4) == key) {
      store<i32>(e, load<i32>(e, 12) + 1, 12)
      return
    }
    i = (i + 1) & mask
  }
  if (pendCount == PEND_MAX) {
    flushPending()
    i = (lo ^ (k << 29)) & mask
  }
  const e = pendAt + <usize>(4 * PEND_SLOTS + pendCount * PEND_ENTRY)
  store<i32>(e, k)
  store<i64>(e, key, 4)
  store<i32>(e, 1, 12)
  store<i32>(e, <i32>label, 16)
  store<i32>(e, labelLen, 20)
  pendCount++
  store<i32>(pendAt + ((<usize>i) << 2), pendCount)
}

/** Offer the summed offers to the summaries, in the order their texts first came. */
function flushPending(): void {
  const entries = pendAt + <usize>(4 * PEND_SLOTS)
  for (let j = 0; j < pendCount; j++) {
    const e = entries + <usize>(j * PEND_ENTRY)
    topOfferWeighted(
      load<i32>(e),
      load<i32>(e, 4),
      load<i32>(e, 8) & 0xfffffff,
      <usize>load<i32>(e, 16),
      load<i32>(e, 20),
      <f64>load<i32>(e, 12),
    )
  }
  pendCount = 0
  memory.fill(pendAt, 0, <usize>(4 * PEND_SLOTS))
}

/**
 * Count one occurrence in summary `k` of a text whose hashes are (lo, hi), its first bytes at
 * label[0, labelLen) (labelLen <= LABEL_BYTES).
 */
export function topOffer(k: i32, lo: i32, hi: i32, label: usize, labelLen: i32): void {
  topOfferWeighted(k, lo, hi, label, labelLen, 1)
}

/** topOffer for `w` occurrences at once (Space-Saving's weighted update). */
function topOfferWeighted(k: i32, lo: i32, hi: i32, label: usize, labelLen: i32, w: f64): void {
  const t = topAt + <usize>(k * TOP_BYTES)
  store<f64>(t + T_TOTAL, load<f64>(t + T_TOTAL) + w)
  const mask = TOP_INDEX - 1
  const index = t + T_INDEX
  let i = lo & mask
  for (;;) {
    const sl = load<i32>(index + ((<usize>i) << 2))
    if (sl == 0) break
    const slot = sl - 1
    if (
      load<i32>(t + T_KEYS_LO + ((<usize>slot) << 2)) == lo &&
      load<i32>(t + T_KEYS_HI + ((<usize>slot) << 2)) == hi
    ) {
      const c = t + T_COUNTS + ((<usize>slot) << 3)
      store<f64>(c, load<f64>(c) + w)
      siftDown(t, load<i32>(t + T_HEAP_POS + ((<usize>slot) << 2)))
      return
    }
    i = (i + 1) & mask
  }
  const size = load<i32>(t + T_SIZE)
  if (size < TOP_CAPACITY) {
    const slot = size
    store<i32>(t + T_SIZE, size + 1)
    store<i32>(t + T_KEYS_LO + ((<usize>slot) << 2), lo)
    store<i32>(t + T_KEYS_HI + ((<usize>slot) << 2), hi)
    store<f64>(t + T_COUNTS + ((<usize>slot) << 3), w)
    store<f64>(t + T_ERRORS + ((<usize>slot) << 3), 0)
    setLabel(t, slot, label, labelLen)
    store<i32>(index + ((<usize>i) << 2), slot + 1)
    store<i32>(t + T_HEAP + ((<usize>slot) << 2), slot)
    store<i32>(t + T_HEAP_POS + ((<usize>slot) << 2), slot)
    siftUp(t, slot)
    return
  }
  // Replace the minimum: the newcomer inherits its count as possible error.
  const slot = load<i32>(t + T_HEAP)
  removeFromIndex(
    t,
    load<i32>(t + T_KEYS_LO + ((<usize>slot) << 2)),
    load<i32>(t + T_KEYS_HI + ((<usize>slot) << 2)),
  )
  const min = load<f64>(t + T_COUNTS + ((<usize>slot) << 3))
  store<i32>(t + T_KEYS_LO + ((<usize>slot) << 2), lo)
  store<i32>(t + T_KEYS_HI + ((<usize>slot) << 2), hi)
  store<f64>(t + T_COUNTS + ((<usize>slot) << 3), min + w)
  store<f64>(t + T_ERRORS + ((<usize>slot) << 3), min)
  setLabel(t, slot, label, labelLen)
  let j = lo & mask
  while (load<i32>(index + ((<usize>j) << 2)) != 0) j = (j + 1) & mask
  store<i32>(index + ((<usize>j) << 2), slot + 1)
  siftDown(t, 0)
}

function setLabel(t: usize, slot: i32, label: usize, n: i32): void {
  memory.copy(t + T_LABELS + <usize>(slot * LABEL_BYTES), label, <usize>n)
  store<u16>(t + T_LABEL_LEN + ((<usize>slot) << 1), <u16>n)
}

function removeFromIndex(t: usize, lo: i32, hi: i32): void {
  const mask = TOP_INDEX - 1
  const index = t + T_INDEX
  let i = lo & mask
  for (;;) {
    const sl = load<i32>(index + ((<usize>i) << 2))
    if (sl == 0) return
    if (
      load<i32>(t + T_KEYS_LO + ((<usize>(sl - 1)) << 2)) == lo &&
      load<i32>(t + T_KEYS_HI + ((<usize>(sl - 1)) << 2)) == hi
    )
      break
    i = (i + 1) & mask
  }
  // Backward-shift deletion keeps linear probing correct without tombstones.
  let j = i
  for (;;) {
    store<i32>(index + ((<usize>i) << 2), 0)
    for (;;) {
      j = (j + 1) & mask
      const sl = load<i32>(index + ((<usize>j) << 2))
      if (sl == 0) return
      const home = load<i32>(t + T_KEYS_LO + ((<usize>(sl - 1)) << 2)) & mask
      const between = i <= j ? home > i && home <= j : home > i || home <= j
      if (!between) break
    }
    store<i32>(index + ((<usize>i) << 2), load<i32>(index + ((<usize>j) << 2)))
    i = j
  }
}

function countOf(t: usize, slot: i32): f64 {
  return load<f64>(t + T_COUNTS + ((<usize>slot) << 3))
}

function siftUp(t: usize, p: i32): void {
  const heap = t + T_HEAP
  const pos = t + T_HEAP_POS
  const slot = load<i32>(heap + ((<usize>p) << 2))
  const c = countOf(t, slot)
  while (p > 0) {
    const parent = (p - 1) >> 1
    const ps = load<i32>(heap + ((<usize>parent) << 2))
    if (countOf(t, ps) <= c) break
    store<i32>(heap + ((<usize>p) << 2), ps)
    store<i32>(pos + ((<usize>ps) << 2), p)
    p = parent
  }
  store<i32>(heap + ((<usize>p) << 2), slot)
  store<i32>(pos + ((<usize>slot) << 2), p)
}

function siftDown(t: usize, p: i32): void {
  const heap = t + T_HEAP
  const pos = t + T_HEAP_POS
  const n = load<i32>(t + T_SIZE)
  const slot = load<i32>(heap + ((<usize>p) << 2))
  const c = countOf(t, slot)
  for (;;) {
    let child = 2 * p + 1
    if (child >= n) break
    const r = child + 1
    if (
      r < n &&
      countOf(t, load<i32>(heap + ((<usize>r) << 2))) <
        countOf(t, load<i32>(heap + ((<usize>child) << 2)))
    )
      child = r
    const cs = load<i32>(heap + ((<usize>child) << 2))
    if (countOf(t, cs) >= c) break
    store<i32>(heap + ((<usize>p) << 2), cs)
    store<i32>(pos + ((<usize>cs) << 2), p)
    p = child
  }
  store<i32>(heap + ((<usize>p) << 2), slot)
  store<i32>(pos + ((<usize>slot) << 2), p)
}

/** Offer text [s, e) (not empty) to summary k; returns its hash (for the record). */
function offerText(k: i32, s: usize, e: usize): i32 {
  const h = hashBytes(s, e)
  const len = <i32>(e - s)
  if (topAt != 0) pendingOffer(k, h, len, s, len < LABEL_BYTES ? len : LABEL_BYTES)
  return h
}

function hex(c: u32): i32 {
  if (c - 48 <= 9) return <i32>(c - 48)
  const l = c | 0x20
  if (l - 97 <= 5) return <i32>(l - 87)
  return -1
}

/**
 * An IPv6 client token at s, ended by a space: hex groups with at most one `::`, as parseIPv6
 * in src/engine/parser/client.ts reads them, into the record's four words (R_V6). Returns the
 * position of the space, or 0 for anything else (a dotted IPv4 tail, `%zone`, brackets, a list,
 * an IPv4-mapped address, which JavaScript makes an IPv4 client): the JavaScript parser decides.
 */
function parseV6(s: usize, end: usize, rec: usize): usize {
  // The token: hex digits and colons up to a space.
  let e = s
  while (e < end) {
    const c = <u32>load<u8>(e)
    if (c == 32) break
    if (c != 58 && hex(c) < 0) return 0
    e++
  }
  if (e >= end || e - s < 2 || e - s > 45) return 0
  const g = rec + R_V6 // eight u16 groups while parsing
  let n = 0
  let gap = -1
  let i = s
  if (load<u8>(i) == 58) {
    if (load<u8>(i + 1) != 58) return 0
    gap = 0
    i += 2
  }
  if (i < e) {
    for (;;) {
      const gs = i
      let v: u32 = 0
      while (i < e && i - gs < 5) {
        const h = hex(load<u8>(i))
        if (h < 0) break
        v = (v << 4) | (<u32>h)
        i++
      }
      const len = i - gs
      if (len == 0 || len > 4 || n == 8) return 0
      store<u16>(g + ((<usize>n) << 1), <u16>v)
      n++
      if (i == e) break
      // a colon (the token holds nothing else)
      i++
      if (i < e && load<u8>(i) == 58) {
        if (gap >= 0) return 0
        gap = n
        i++
        if (i == e) break
      } else if (i == e) return 0
    }
  }
  if (gap < 0) {
    if (n != 8) return 0
  } else {
    if (n > 7) return 0
    // the groups after the gap to the end, zeros in the gap
    const tail = n - gap
    for (let k = 0; k < tail; k++) {
      store<u16>(g + ((<usize>(7 - k)) << 1), load<u16>(g + ((<usize>(n - 1 - k)) << 1)))
    }
    for (let k = gap; k < 8 - tail; k++) store<u16>(g + ((<usize>k) << 1), 0)
  }
  const w0 = ((<u32>load<u16>(g)) << 16) | load<u16>(g + 2)
  const w1 = ((<u32>load<u16>(g + 4)) << 16) | load<u16>(g + 6)
  const w2 = ((<u32>load<u16>(g + 8)) << 16) | load<u16>(g + 10)
  const w3 = ((<u32>load<u16>(g + 12)) << 16) | load<u16>(g + 14)
  if (w0 == 0 && w1 == 0 && w2 == 0xffff) return 0
  store<u32>(g, w0)
  store<u32>(g + 4, w1)
  store<u32>(g + 8, w2)
  store<u32>(g + 12, w3)
  return e
}

/**
 * Parse the lines of [start, end) (a `\n` after each but maybe the last) into records at `out`,
 * at most `max`. Returns the number of records; the last record's end tells where to go on.
 */
export function parseLines(start: usize, end: usize, out: usize, max: i32, shape: i32): i32 {
  let n = 0
  let line = start
  while (line < end && n < max) {
    const rec = out + <usize>(n * REC_BYTES)
    n++
    store<i32>(rec, <i32>line, R_START)
    // Parsed: the line's end comes with it (no separate search for it).
    store<i32>(rec, 0, R_KIND)
    let nl = parseLine(line, end, rec, shape)
    if (nl == 0) nl = lineEnd(line, end)
    store<i32>(rec, <i32>nl, R_END)
    line = nl + 1
  }
  // Before the chunk's bytes (the labels) can change.
  if (pendCount > 0) flushPending()
  return n
}

/** Skip a token ending in a space (ident, user) from p; 0 when the line ends first. */
function token(p: usize, end: usize): usize {
  let c = load<u8>(p)
  if (c == 32 || c == 10) return 0
  while (p < end) {
    c = load<u8>(p)
    if (c == 32) return p + 1
    if (c == 10) return 0
    p++
  }
  return 0
}

/**
 * One line from `line`: its fields into the record at `rec`, and the position of its `\n` (or
 * `end`), or 0 when the JavaScript parser should decide. Every search also stops at `\n`, and
 * every byte stepped over is checked, so a line is never read into the next.
 */
function parseLine(line: usize, end: usize, rec: usize, shape: i32): usize {
  let p = line
  if ((shape & SHAPE_VHOST) != 0) {
    // host:port
    while (p < end) {
      const c = load<u8>(p)
      if (c == 58) break
      if (c == 32 || c == 10) return 0
      p++
    }
    if (p >= end) return 0
    const ds = ++p
    while (p < end && <u32>digit(p) <= 9) p++
    if (p == ds || p >= end || load<u8>(p) != 32) return 0
    p++
  }

  // client: a dotted quad, or IPv6 (parseV6)
  const cs = p
  let ip: u32 = 0
  let octets = 0
  for (let k = 0; k < 4; k++) {
    let c = digit(p)
    if (<u32>c > 9) break
    let o = c
    c = digit(++p)
    if (<u32>c <= 9) {
      o = o * 10 + c
      c = digit(++p)
      if (<u32>c <= 9) {
        o = o * 10 + c
        p++
      }
    }
    if (o > 255) break
    ip = ip * 256 + <u32>o
    octets++
    if (k == 3 || load<u8>(p) != 46) break
    p++
  }
  let kind = 1
  if (octets != 4 || p >= end || load<u8>(p) != 32) {
    // An IPv6 address alone (hex groups and one `::`), or the JavaScript parser decides.
    p = parseV6(cs, end, rec)
    if (p == 0) return 0
    kind = 2
  }

  // ` - - [` or tokens for ident and user
  if (load<u8>(p + 1) == 45 && load<u8>(p + 2) == 32) p += 3
  else {
    p = token(p + 1, end)
    if (p == 0) return 0
  }
  if (load<u8>(p) == 45 && load<u8>(p + 1) == 32) p += 2
  else {
    p = token(p, end)
    if (p == 0) return 0
  }
  if (load<u8>(p) != 91) return 0
  p++

  // time, by the cached minute when its bytes match (every byte is checked either way)
  const s1 = digit(p + 18)
  const s2 = digit(p + 19)
  if (<u32>s1 > 5 || <u32>s2 > 9) return 0
  const a = load<u64>(p)
  const b = load<u64>(p + 8)
  const c = load<u64>(p + 16) & SECONDS_MASK
  const d = load<u16>(p + 24)
  if (a != keyA || b != keyB || c != keyC || d != keyD) {
    if (!timeMinute(p)) return 0
    keyA = a
    keyB = b
    keyC = c
    keyD = d
  }
  const timeSec = keyMinute + <i64>(s1 * 10 + s2)
  p += 26
  if (load<u8>(p) != 93 || load<u8>(p + 1) != 32 || load<u8>(p + 2) != 34) return 0
  p += 3

  // request: METHOD SP path[?query] SP HTTP/x"
  const ms = p
  let i = methodStop(p, end)
  if (i >= end || load<u8>(i) != 32 || i == ms) return 0
  const ps = ++i
  i = pathStop(i, end)
  const pe = i
  if (i < end && load<u8>(i) == 63) i = methodStop(i + 1, end)
  if (i >= end) return 0
  let ch = load<u8>(i)
  if (ch == 32 && load<u32>(i + 1) == 0x50545448 && load<u8>(i + 5) == 47) {
    i = methodStop(i + 6, end)
    if (i >= end) return 0
    ch = load<u8>(i)
  }
  if (ch != 34) return 0
  p = i
  if (load<u8>(p + 1) != 32) return 0
  p += 2

  // status and bytes
  const sa = digit(p)
  const sb = digit(p + 1)
  const sd = digit(p + 2)
  if (sa < 1 || sa > 9 || <u32>sb > 9 || <u32>sd > 9 || load<u8>(p + 3) != 32) return 0
  const status = sa * 100 + sb * 10 + sd
  p += 4
  let bytes: i64 = 0
  if (load<u8>(p) == 45) p++
  else {
    const bs = p
    while (p < end) {
      const x = digit(p)
      if (<u32>x > 9) break
      bytes = bytes * 10 + <i64>x
      p++
    }
    if (p == bs || p - bs > 15) return 0
  }

  let rs: usize = 0
  let re: usize = 0
  let as: usize = 0
  let ae: usize = 0
  let extra = false
  if ((shape & SHAPE_COMMON) == 0) {
    // "referer" "agent"
    if (load<u8>(p) != 32 || load<u8>(p + 1) != 34) return 0
    p += 2
    if (load<u8>(p) == 45 && load<u8>(p + 1) == 34) p += 1
    else {
      const q = closingQuote(p, end)
      if (q == 0) return 0
      rs = p
      re = q
      p = q
    }
    if (load<u8>(p + 1) != 32 || load<u8>(p + 2) != 34) return 0
    p += 3
    const q = closingQuote(p, end)
    if (q == 0) return 0
    if (q - p != 1 || load<u8>(p) != 45) {
      as = p
      ae = q
    }
    p = q + 1
    extra = (shape & SHAPE_EXTRA) != 0
  }

  // the line ends here (a `\r` before its `\n` is dropped), or, for combined_extra, anything
  // after a space or tab
  let nl: usize = end
  if (p > end) return 0
  if (p < end) {
    const x = load<u8>(p)
    if (x == 10) nl = p
    else if (x == 13 && (p + 1 == end || load<u8>(p + 1) == 10)) nl = p + 1
    else if (extra && (x == 32 || x == 9)) nl = lineEnd(p, end)
    else return 0
  }

  store<i32>(rec, kind, R_KIND)
  store<u32>(rec, ip, R_IP)
  store<i32>(rec, status, R_STATUS)
  store<i32>(rec, keyTz, R_TZ)
  store<f64>(rec, <f64>timeSec, R_TIME)
  store<f64>(rec, <f64>bytes, R_BYTES)
  store<i32>(rec, <i32>ps, R_PATH)
  store<i32>(rec, <i32>pe, R_PATH + 4)
  // Offered in the order of the JavaScript parser's accumulator: path, agent, referrer.
  const ph = pe > ps ? offerText(TOP_PATH, ps, pe) : 0
  const ah = ae > as ? offerText(TOP_AGENT, as, ae) : 0
  const rh = re > rs ? offerText(TOP_REFERER, rs, re) : 0
  store<i32>(rec, ph, R_PATH + 8)
  store<i32>(rec, <i32>rs, R_REFERER)
  store<i32>(rec, <i32>re, R_REFERER + 4)
  store<i32>(rec, rh, R_REFERER + 8)
  store<i32>(rec, <i32>as, R_AGENT)
  store<i32>(rec, <i32>ae, R_AGENT + 4)
  store<i32>(rec, ah, R_AGENT + 8)
  return nl
}
