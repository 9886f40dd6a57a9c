// Small, allocation-free hashes for the hot loop.
//
// Every hash is returned as a signed 32-bit integer (`| 0`): in V8 on 64-bit Node that is a small
// integer, kept in a register or passed to a function as is. The same bits as an unsigned number
// (`>>> 0`) are a heap number half the time, allocated afresh wherever the value crosses a call
// that is not inlined: three or so per line, a minor collection every ~20k lines. Code that needs
// the unsigned value (a slot from the top bits) converts it where it uses it.

/** Mix a 32-bit integer (murmur3 finalizer): good avalanche for table slots and sketches. Int32. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return x ^ (x >>> 16)
}

/** Hash four 32-bit words (an IPv6 address). */
export function mix128(a: number, b: number, c: number, d: number): number {
  let h = mix32(a ^ 0x9e3779b9)
  h = mix32(h ^ b)
  h = mix32(h ^ c)
  return mix32(h ^ d)
}

/** hashBytes' lane seeds and multiplier (wasm/fast-lines.ts has the same). */
const HASH_SEED_A = 0x9747b28c | 0
const HASH_SEED_B = 0x2f8e6a1d
const HASH_SEED_C = 0x5c2e7f3b
const HASH_SEED_D = 0x0b4f19e7
const HASH_M = 0x5bd1e995

/**
 * A 32-bit hash of bytes [start, end) read four at a time through `view` (a DataView over the
 * same memory as the bytes), murmur-style mixing. With the length beside it, it keys the top-k
 * summaries: a false merge needs two different texts of equal length to collide.
 *
 * Four independent lanes take 16 bytes a step; the last step reads the last 16 bytes (overlapping
 * the one before) or, for a text under 16 bytes, the text followed by zeros. In
 * wasm/fast-lines.ts every step is one SIMD multiply; it must give the same bits
 * (test/engine/parser/fast-lines.test.ts compares them on every line it parses).
 */
export function hashBytes(
  view: DataView<ArrayBufferLike>,
  bytes: Uint8Array,
  start: number,
  end: number,
): number {
  const len = end - start
  let a = HASH_SEED_A ^ len
  let b = HASH_SEED_B
  let c = HASH_SEED_C
  let d = HASH_SEED_D
  for (let i = start; i < end;) {
    let wa: number, wb: number, wc: number, wd: number
    // A whole step, else the last 16 bytes (overlapping), else a short text and zeros.
    const at = i + 16 <= end ? i : len >= 16 ? end - 16 : -1
    if (at >= 0) {
      wa = view.getUint32(at, true)
      wb = view.getUint32(at + 4, true)
      wc = view.getUint32(at + 8, true)
      wd = view.getUint32(at + 12, true)
    } else {
      wa = wordPadded(bytes, start, end)
      wb = wordPadded(bytes, start + 4, end)
      wc = wordPadded(bytes, start + 8, end)
      wd = wordPadded(bytes, start + 12, end)
    }
    i = at === i ? i + 16 : end
    a = Math.imul(a ^ wa, HASH_M)
    b = Math.imul(b ^ wb, HASH_M)
    c = Math.imul(c ^ wc, HASH_M)
    d = Math.imul(d ^ wd, HASH_M)
    a ^= a >>> 15
    b ^= b >>> 15
    c ^= c >>> 15
    d ^= d >>> 15
  }
  let h = Math.imul(a ^ Math.imul(b ^ (b >>> 13), 0xcc9e2d51), 0x1b873593)
  h = Math.imul(h ^ Math.imul(c ^ (c >>> 13), 0xcc9e2d51), 0x1b873593)
  h = Math.imul(h ^ Math.imul(d ^ (d >>> 13), 0xcc9e2d51), 0x1b873593)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  return h ^ (h >>> 13)
}

/** The little-endian word of bytes [at, at + 4), zeros from `end` on. */
function wordPadded(bytes: Uint8Array, at: number, end: number): number {
  let w = 0
  for (let k = 3; k >= 0; k--) w = (w << 8) | (at + k < end ? bytes[at + k]! : 0)
  return w
}
