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
 * Four independent lanes take 16 bytes a step (short multiply chains here; one SIMD multiply in
 * wasm/fast-lines.ts, which must give the same bits: test/engine/parser/fast-lines.test.ts).
 */
export function hashBytes(
  view: DataView<ArrayBufferLike>,
  bytes: Uint8Array,
  start: number,
  end: number,
): number {
  let a = HASH_SEED_A ^ (end - start)
  let b = HASH_SEED_B
  let c = HASH_SEED_C
  let d = HASH_SEED_D
  let i = start
  for (; i + 16 <= end; i += 16) {
    a = Math.imul(a ^ view.getUint32(i, true), HASH_M)
    b = Math.imul(b ^ view.getUint32(i + 4, true), HASH_M)
    c = Math.imul(c ^ view.getUint32(i + 8, true), HASH_M)
    d = Math.imul(d ^ view.getUint32(i + 12, true), HASH_M)
    a ^= a >>> 15
    b ^= b >>> 15
    c ^= c >>> 15
    d ^= d >>> 15
  }
  for (; i + 4 <= end; i += 4) {
    a = Math.imul(a ^ view.getUint32(i, true), HASH_M)
    a ^= a >>> 15
  }
  for (; i < end; i++) a = Math.imul(a ^ bytes[i]!, 0x01000193)
  let h = Math.imul(a ^ Math.imul(b ^ (b >>> 13), 0xcc9e2d51), 0x1b873593)
  h = Math.imul(h ^ Math.imul(c ^ (c >>> 13), 0xcc9e2d51), 0x1b873593)
  h = Math.imul(h ^ Math.imul(d ^ (d >>> 13), 0xcc9e2d51), 0x1b873593)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  return h ^ (h >>> 13)
}
