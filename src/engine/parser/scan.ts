// Scanning helpers shared by the generic format machine and the preset fast path: quoted
// fields (escape-aware, native memchr bounded to the line), the request field, client lists.

import { ClientScratch, classifyClient, copyClient, isPublicClient, parseIPv4 } from './client'
import { CLIENT_HOST } from './record'
import type { LineRecord } from './record'

type IndexOf = (this: Uint8Array, value: number, byteOffset: number) => number
// Buffer#indexOf is memchr in C++; TypedArray#indexOf is several times slower. Both accept
// any Uint8Array as `this`.
export const nativeIndexOf: IndexOf | null =
  typeof Buffer === 'function' ? (Buffer.prototype.indexOf as unknown as IndexOf) : null

/** Below this many bytes a JS loop beats the native call. */
const SHORT_SCAN = 24

// Byte classes for the request fast path (1 = stop).
export const METHOD_STOP = new Uint8Array(256)
METHOD_STOP[32] = METHOD_STOP[34] = METHOD_STOP[92] = 1
export const PATH_STOP = new Uint8Array(256)
PATH_STOP[32] = PATH_STOP[34] = PATH_STOP[92] = PATH_STOP[63] = 1

/** Per-line scanning state and scratch, owned by one parser (never shared between threads). */
export class Scanner {
  private lineStart = 0
  /** Position of the last `"` of the line, -2 = not looked up yet. */
  private lastQuote = -2
  private readonly scratch = new ClientScratch()
  private readonly scratch2 = new ClientScratch()

  /** Call once per line before any other method. */
  begin(start: number): void {
    this.lineStart = start
    this.lastQuote = -2
  }

  /** For a caller that already found the line's last quote. */
  setLastQuote(lq: number): void {
    this.lastQuote = lq
  }

  /** Position of the line's last `"` (computed once per line), < lineStart when none. */
  lastQuoteOf(buf: Uint8Array, end: number): number {
    let lq = this.lastQuote
    if (lq !== -2) return lq
    lq = end - 1
    const ls = this.lineStart
    while (lq >= ls && buf[lq] !== 34) lq--
    this.lastQuote = lq
    return lq
  }

  /** First unescaped `"` in [from, end), or -1. A backslash escapes the next byte. */
  findQuote(buf: Uint8Array, from: number, end: number): number {
    let i = from
    const lim = end - from > SHORT_SCAN ? from + SHORT_SCAN : end
    while (i < lim) {
      const c = buf[i]!
      if (c === 34) return i
      i += c === 92 ? 2 : 1
    }
    if (i >= end) return -1
    return this.findQuoteFrom(buf, from, i, end)
  }

  /** findQuote for fields that are usually long (referrers, user agents): native search first. */
  findQuoteLong(buf: Uint8Array, from: number, end: number): number {
    return from < end ? this.findQuoteFrom(buf, from, from, end) : -1
  }

  /** The first unescaped quote at or after i (i is not inside an escape; from: field start). */
  private findQuoteFrom(buf: Uint8Array, from: number, i: number, end: number): number {
    // the native search must stop inside the line: it is bounded by the line's last quote
    const lq = this.lastQuote === -2 ? this.lastQuoteOf(buf, end) : this.lastQuote
    for (;;) {
      if (i > lq) return -1
      let q: number
      if (nativeIndexOf !== null) q = nativeIndexOf.call(buf, 34, i)
      else {
        q = i
        while (buf[q] !== 34) q++
      }
      if (q === from || buf[q - 1] !== 92) return q
      let j = q - 1
      while (j >= from && buf[j] === 92) j--
      if (((q - 1 - j) & 1) === 0) return q
      i = q + 1
    }
  }

  /**
   * A quoted $request starting at pos (after the opening quote): fills method and path (without
   * the query) and returns the position of the closing quote, -1 when the line ends first.
   * Anything inside the quotes is a valid request (`-`, empty, binary, `GET GET /x`).
   */
  request(buf: Uint8Array, pos: number, end: number, rec: LineRecord): number {
    // fast path: METHOD SP path[?query] SP HTTP/x"  or  METHOD SP path"
    // Every stop table holds `"`, and a quote exists at lq >= pos, so the loops need no end
    // check: each starts at or before lq and stops there at the latest.
    if (this.lastQuoteOf(buf, end) > pos) {
      let i = pos
      while (METHOD_STOP[buf[i]!] === 0) i++
      if (buf[i] === 32 && i > pos) {
        const me = i
        const ps = ++i
        while (PATH_STOP[buf[i]!] === 0) i++
        const pe = i
        if (buf[i] === 63) {
          i++
          while (METHOD_STOP[buf[i]!] === 0) i++
        }
        let c = buf[i]
        let done = c === 34 // no protocol: "GET /ksc.html"
        if (c === 32 && buf[i + 1] === 72 && buf[i + 2] === 84 && buf[i + 3] === 84) {
          if (buf[i + 4] === 80 && buf[i + 5] === 47) {
            i += 6
            while (METHOD_STOP[buf[i]!] === 0) i++
            c = buf[i]
            done = c === 34
          }
        }
        if (done) {
          rec.methodStart = pos
          rec.methodEnd = me
          rec.pathStart = ps
          rec.pathEnd = pe
          return i
        }
      }
    }
    const q = this.findQuote(buf, pos, end)
    if (q >= 0) splitRequest(buf, pos, q, rec)
    return q
  }

  /**
   * The client field when it is not a plain dotted quad: IPv6, hostnames, and address lists
   * (`10.0.0.2, 10.0.0.1, 1.2.3.4`, an optionally quoted X-Forwarded-For list before the
   * address). In a list the key is the first public address, else the first address, else
   * the first item.
   * `t` is the byte that ends the field (-1: the end of the line). Returns the position after
   * the field, or -(skip position) - 1 when the client is not valid.
   */
  client(buf: Uint8Array, pos: number, end: number, t: number, rec: LineRecord): number {
    const sc = this.scratch
    let p = pos
    let inQuote = false
    let list = false
    let best = -1
    const inside = t === 34 // the format quotes the field: spaces separate items too
    if (!inside && p < end && buf[p] === 34) {
      inQuote = true
      list = true
      p++
    }
    for (;;) {
      const s = p
      while (p < end && p - s <= 255) {
        const c = buf[p]!
        if (c === 32 || c === 44 || c === 34 || c === 9 || c === t) break
        p++
      }
      if (p === s || !classifyClient(buf, s, p, sc)) return -skipTo(buf, pos, end, t) - 1
      // the first public address, else the first address, else the first item
      const rank = isPublicClient(sc) ? 2 : sc.kind !== CLIENT_HOST ? 1 : 0
      if (rank > best) {
        best = rank
        copyClient(sc, rec)
        rec.clientStart = s
        // `host.example.` is `host.example`: drop the root dot from the range itself, so
        // every consumer of the bytes sees one key
        rec.clientEnd = sc.kind === CLIENT_HOST && p - s > 1 && buf[p - 1] === 46 ? p - 1 : p
      }
      if (p >= end) break
      const c = buf[p]!
      if (c === 44) {
        list = true
        p++
        while (p < end && buf[p] === 32) p++
        continue
      }
      if (c === 34 && inQuote) {
        inQuote = false
        p++
        if (p < end && buf[p] === 32 && this.nextIsIp(buf, p + 1, end)) {
          p++
          continue
        }
        break
      }
      if ((c === 32 || c === 9) && (inQuote || inside)) {
        while (p < end && (buf[p] === 32 || buf[p] === 9)) p++
        continue
      }
      if (c === 32 && list && t === 32 && this.nextIsIp(buf, p + 1, end)) {
        p++
        continue
      }
      break
    }
    if (inQuote || (p < end && buf[p] !== t)) return -skipTo(buf, pos, end, t) - 1
    return p
  }

  /** Whether the token at p (up to a space, comma or quote) is an IP address. */
  private nextIsIp(buf: Uint8Array, p: number, end: number): boolean {
    const s = p
    while (p < end && p - s < 47) {
      const c = buf[p]!
      if (c === 32 || c === 44 || c === 34 || c === 9) break
      p++
    }
    if (p === s || p - s > 46) return false
    if (parseIPv4(buf, s, p) >= 0) return true
    const sc = this.scratch2
    return classifyClient(buf, s, p, sc) && sc.kind !== CLIENT_HOST
  }
}

/** Move to the byte `term` (or the end of the line when term < 0 or it is absent). */
export function skipTo(buf: Uint8Array, pos: number, end: number, term: number): number {
  if (term < 0) return end
  while (pos < end && buf[pos] !== term) pos++
  return pos
}

/** Method and path of a request [s, q): first token, then the target without its query. */
export function splitRequest(buf: Uint8Array, s: number, q: number, rec: LineRecord): void {
  let i = s
  while (i < q && buf[i] !== 32) i++
  if (i >= q) return // no space: `-`, empty, a binary or non-HTTP request
  rec.methodStart = s
  rec.methodEnd = i
  const ps = ++i
  while (i < q && buf[i] !== 32 && buf[i] !== 63) i++
  rec.pathStart = ps
  rec.pathEnd = i
}
