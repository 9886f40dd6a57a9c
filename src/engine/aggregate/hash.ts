// Small, allocation-free hashes for the hot loop.

/** Mix a 32-bit integer (murmur3 finalizer): good avalanche for table slots and sketches. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/** Hash four 32-bit words (an IPv6 address). */
export function mix128(a: number, b: number, c: number, d: number): number {
  let h = mix32(a ^ 0x9e3779b9)
  h = mix32(h ^ b)
  h = mix32(h ^ c)
  return mix32(h ^ d)
}

/** FNV-1a over bytes [start, end), 32-bit. */
export function fnv1a(buf: Uint8Array, start: number, end: number, seed = 0x811c9dc5): number {
  let h = seed
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193)
  return h >>> 0
}

/** FNV-1a over a string's UTF-16 code units (hostnames, rare keys). */
export function fnv1aString(s: string, seed = 0x811c9dc5): number {
  let h = seed
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** The second hash of the last fnv1aPair call (a module slot avoids allocating a pair). */
export let pairHigh = 0

/**
 * Two independent 32-bit hashes of bytes [start, end) in one pass: FNV-1a, and a multiplicative
 * hash with another constant (read from `pairHigh`). Together they make a 64-bit key.
 */
export function fnv1aPair(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5
  let g = 0x9747b28c
  for (let i = start; i < end; i++) {
    const c = buf[i]!
    h = Math.imul(h ^ c, 0x01000193)
    g = Math.imul(g ^ c, 0x5bd1e995)
  }
  pairHigh = (g ^ (g >>> 15)) >>> 0
  return h >>> 0
}
