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
