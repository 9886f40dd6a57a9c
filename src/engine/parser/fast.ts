// Hand-specialised path for the presets (combined, common, vhost_combined, combined_extra):
// the same rules as the format machine, unrolled and inlined, for the lines that make up
// almost every log. It accepts a line only when it parsed all of it; anything unusual returns
// BAIL and the exact machine decides (and names the reason). Lookahead may read past `end`,
// but a line is only accepted when the position lands exactly on `end`, and every loop is
// bounded by `end` or by a stop byte known to be inside the line.

import { CLIENT_IPV4, VALID } from './record'
import type { LineRecord } from './record'
import { METHOD_STOP, PATH_STOP, nativeIndexOf } from './scan'
import type { Scanner } from './scan'
import type { TimeLocalCache } from './time'

export const SHAPE_VHOST = 1
/** The line ends after the bytes field. */
export const SHAPE_COMMON = 2
/** Anything after a space may follow the user agent. */
export const SHAPE_EXTRA = 4

export const BAIL = -1

/** Next `"` at or after i, knowing the line's last quote is at lq (-1 when none). */
function quoteFrom(buf: Uint8Array, i: number, lq: number): number {
  if (i > lq) return -1
  if (nativeIndexOf !== null) return nativeIndexOf.call(buf, 34, i)
  while (buf[i] !== 34) i++
  return i
}

export function fastPreset(
  buf: Uint8Array,
  start: number,
  end: number,
  rec: LineRecord,
  sc: Scanner,
  tc: TimeLocalCache,
  shape: number,
): number {
  // The line's last quote bounds every quote search and the request loops. For combined
  // lines it is the last byte.
  let lq = end - 1
  while (lq >= start && buf[lq] !== 34) lq--
  sc.setLastQuote(lq)

  let p = start
  if ((shape & SHAPE_VHOST) !== 0) {
    // host:port
    while (p < end && buf[p] !== 58) {
      if (buf[p] === 32) return BAIL
      p++
    }
    const ds = ++p
    while (p < end && buf[p]! >= 48 && buf[p]! <= 57) p++
    if (p === ds || buf[p] !== 32) return BAIL
    p++
  }

  // client: a dotted quad inline (one octet = 1..3 digits), anything else through the scanner
  const cs = p
  let ip = 0
  let k = 0
  let octets = 0
  for (; k < 4; k++) {
    let c = buf[p]! - 48
    if (c < 0 || c > 9) break
    let o = c
    c = buf[++p]! - 48
    if (c >= 0 && c <= 9) {
      o = o * 10 + c
      c = buf[++p]! - 48
      if (c >= 0 && c <= 9) {
        o = o * 10 + c
        p++
      }
    }
    if (o > 255) break
    ip = ip * 256 + o
    octets++
    if (k === 3 || buf[p] !== 46) break
    p++
  }
  // Four octets read (a trailing dot, `192.0.2.`, is not an address: the scanner decides).
  if (octets === 4 && buf[p] === 32 && p < end) {
    rec.clientKind = CLIENT_IPV4
    rec.ipv4 = ip
    rec.clientStart = cs
    rec.clientEnd = p
  } else {
    p = sc.client(buf, cs, end, 32, rec)
    if (p < 0) return BAIL
  }

  // ` - - [` (ident and user as tokens); an empty token (two spaces) is for the general machine
  if (buf[p + 1] === 45 && buf[p + 2] === 32) p += 3
  else {
    p++
    if (buf[p] === 32) return BAIL
    while (p < end && buf[p] !== 32) p++
    p++
  }
  if (buf[p] === 45 && buf[p + 1] === 32) p += 2
  else {
    if (buf[p] === 32) return BAIL
    while (p < end && buf[p] !== 32) p++
    p++
  }
  if (buf[p] !== 91 || p + 30 > end) return BAIL
  p++

  // time: usually the cached minute (see TimeLocalCache.read, inlined here)
  const key = tc.key
  if (
    tc.valid &&
    buf[p + 16] === key[16] &&
    buf[p + 15] === key[15] &&
    buf[p + 13] === key[13] &&
    buf[p + 12] === key[12] &&
    buf[p + 1] === key[1] &&
    buf[p] === key[0] &&
    buf[p + 4] === key[4] &&
    buf[p + 5] === key[5] &&
    buf[p + 3] === key[3] &&
    buf[p + 10] === key[10] &&
    buf[p + 9] === key[9] &&
    buf[p + 8] === key[8] &&
    buf[p + 7] === key[7] &&
    buf[p + 2] === 47 &&
    buf[p + 6] === 47 &&
    buf[p + 11] === 58 &&
    buf[p + 14] === 58 &&
    buf[p + 17] === 58 &&
    buf[p + 20] === 32 &&
    buf[p + 21] === key[21] &&
    buf[p + 22] === key[22] &&
    buf[p + 23] === key[23] &&
    buf[p + 24] === key[24] &&
    buf[p + 25] === key[25]
  ) {
    const s1 = buf[p + 18]! - 48
    const s2 = buf[p + 19]! - 48
    if (s1 < 0 || s1 > 5 || s2 < 0 || s2 > 9) return BAIL
    rec.timeSec = tc.minute + s1 * 10 + s2
    rec.tzOffsetMin = tc.offset
  } else {
    if (!tc.miss(buf, p)) return BAIL
    rec.timeSec = tc.sec
    rec.tzOffsetMin = tc.tz
  }
  p += 26
  if (buf[p] !== 93 || buf[p + 1] !== 32 || buf[p + 2] !== 34) return BAIL
  p += 3

  // request: METHOD SP path[?query] SP HTTP/x" (other shapes: Scanner.request). The stop
  // tables hold `"` and a quote exists at lq > p, so these loops end inside the line.
  rec.methodStart = rec.methodEnd = rec.pathStart = rec.pathEnd = 0
  let done = false
  if (lq > p) {
    let i = p
    while (METHOD_STOP[buf[i]!] === 0) i++
    if (buf[i] === 32 && i > p) {
      const me = i
      const ps = ++i
      while (PATH_STOP[buf[i]!] === 0) i++
      const pe = i
      if (buf[i] === 63) {
        i++
        while (METHOD_STOP[buf[i]!] === 0) i++
      }
      let c = buf[i]
      if (c === 32 && buf[i + 1] === 72 && buf[i + 2] === 84 && buf[i + 3] === 84) {
        if (buf[i + 4] === 80 && buf[i + 5] === 47) {
          i += 6
          while (METHOD_STOP[buf[i]!] === 0) i++
          c = buf[i]
        }
      }
      if (c === 34) {
        rec.methodStart = p
        rec.methodEnd = me
        rec.pathStart = ps
        rec.pathEnd = pe
        p = i
        done = true
      }
    }
  }
  if (!done) {
    p = sc.request(buf, p, end, rec)
    if (p < 0) return BAIL
  }
  if (buf[p + 1] !== 32) return BAIL
  p += 2

  // status and bytes
  const a = buf[p]! - 48
  const b = buf[p + 1]! - 48
  const d = buf[p + 2]! - 48
  if (a < 1 || a > 9 || b < 0 || b > 9 || d < 0 || d > 9 || buf[p + 3] !== 32) return BAIL
  rec.status = a * 100 + b * 10 + d
  p += 4
  let v = 0
  const bs = p
  if (buf[p] === 45) p++
  else {
    while (p < end) {
      const c = buf[p]!
      if (c < 48 || c > 57) break
      v = v * 10 + (c - 48)
      p++
    }
    if (p === bs || p - bs > 15) return BAIL
  }
  rec.bytes = v
  rec.refererStart = rec.refererEnd = rec.agentStart = rec.agentEnd = 0
  if ((shape & SHAPE_COMMON) !== 0) return p === end ? VALID : BAIL

  // "referer" "agent"
  if (buf[p] !== 32 || buf[p + 1] !== 34) return BAIL
  p += 2
  if (buf[p] === 45 && buf[p + 1] === 34) p += 1
  else {
    let q = quoteFrom(buf, p, lq)
    if (q < 0) return BAIL
    if (buf[q - 1] === 92 && q > p) q = sc.findQuoteLong(buf, p, end) // an escape before it
    if (q < 0) return BAIL
    rec.refererStart = p
    rec.refererEnd = q
    p = q
  }
  if (buf[p + 1] !== 32 || buf[p + 2] !== 34) return BAIL
  p += 3
  let q = quoteFrom(buf, p, lq)
  if (q < 0) return BAIL
  if (buf[q - 1] === 92 && q > p) q = sc.findQuoteLong(buf, p, end)
  if (q < 0) return BAIL
  if (q - p !== 1 || buf[p] !== 45) {
    rec.agentStart = p
    rec.agentEnd = q
  }
  p = q + 1
  if (p === end) return VALID
  if ((shape & SHAPE_EXTRA) !== 0 && p < end && (buf[p] === 32 || buf[p] === 9)) return VALID
  return BAIL
}
