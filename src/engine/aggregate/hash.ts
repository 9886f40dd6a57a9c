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

/**
 * A 32-bit hash of bytes [start, end) read four at a time through `view` (a DataView over the
 * same memory as the bytes), murmur-style mixing. With the length beside it, it keys the top-k
 * summaries: a false merge needs two different texts of equal length to collide.
 */
export function hashBytes(
  view: DataView<ArrayBufferLike>,
  bytes: Uint8Array,
  start: number,
  end: number,
): number {
  // Two independent lanes (8 bytes a step) halve the multiply chain; combined at the end.
  let h = 0x9747b28c ^ (end - start)
  let g = 0x2f8e6a1d
  let i = start
  for (; i + 8 <= end; i += 8) {
    h = Math.imul(h ^ view.getUint32(i, true), 0x5bd1e995)
    g = Math.imul(g ^ view.getUint32(i + 4, true), 0x5bd1e995)
    h ^= h >>> 15
    g ^= g >>> 15
  }
  if (i + 4 <= end) {
    h = Math.imul(h ^ view.getUint32(i, true), 0x5bd1e995)
    h ^= h >>> 15
    i += 4
  }
  for (; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193)
  h = Math.imul(h ^ Math.imul(g ^ (g >>> 13), 0xcc9e2d51), 0x1b873593)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  return h ^ (h >>> 13)
}
