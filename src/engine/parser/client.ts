// Client addresses: classify a client token (IPv4, IPv6, hostname), canonical text for keys,
// and the X-Forwarded-For style list rule. Everything here works on bytes; strings are only
// made by the *ToString helpers, which consumers call once per distinct client, not per line.

import { CLIENT_HOST, CLIENT_IPV4, CLIENT_IPV6 } from './record'
import type { ClientKind, LineRecord } from './record'

/** A parsed client token, reused (never allocated per line). */
export class ClientScratch {
  kind: ClientKind = CLIENT_IPV4
  ipv4 = 0
  readonly ipv6 = new Uint32Array(4)
}

const HEX = new Int8Array(256).fill(-1)
for (let c = 48; c <= 57; c++) HEX[c] = c - 48
for (let c = 97; c <= 102; c++) HEX[c] = c - 87
for (let c = 65; c <= 70; c++) HEX[c] = c - 55

/** Bytes allowed in a hostname client token: letters, digits, '-', '.', '_'. */
const HOST_CHAR = new Uint8Array(256)
for (let c = 48; c <= 57; c++) HOST_CHAR[c] = 2
for (let c = 65; c <= 90; c++) HOST_CHAR[c] = 2
for (let c = 97; c <= 122; c++) HOST_CHAR[c] = 2
HOST_CHAR[45] = 1 // -
HOST_CHAR[46] = 1 // .
HOST_CHAR[95] = 1 // _

/** Strict dotted-quad IPv4 in [s, e): returns the address as uint32, or -1. */
export function parseIPv4(buf: Uint8Array, s: number, e: number): number {
  let acc = 0
  let oct = 0
  let nd = 0
  let dots = 0
  for (let i = s; i < e; i++) {
    const c = buf[i]!
    if (c >= 48 && c <= 57) {
      oct = oct * 10 + (c - 48)
      if (++nd > 3) return -1
    } else if (c === 46) {
      if (nd === 0 || oct > 255 || dots === 3) return -1
      acc = acc * 256 + oct
      oct = 0
      nd = 0
      dots++
    } else return -1
  }
  if (dots !== 3 || nd === 0 || oct > 255) return -1
  return acc * 256 + oct
}

// Eight 16-bit groups while parsing IPv6 (module scratch: no allocation per call).
const groups = new Uint16Array(8)

/**
 * IPv6 text in [s, e) (RFC 4291 forms: `::` once, optional trailing dotted IPv4, an optional
 * `%zone` which is ignored) into four big-endian words. Returns false when it is not IPv6.
 */
export function parseIPv6(buf: Uint8Array, s: number, e: number, out: Uint32Array): boolean {
  for (let i = s; i < e; i++) {
    if (buf[i] === 37) {
      e = i // %zone: same address whatever the interface
      break
    }
  }
  if (e - s < 2 || e - s > 45) return false
  let n = 0 // groups written
  let gap = -1 // index in groups where `::` was
  let i = s
  if (buf[i] === 58) {
    if (buf[i + 1] !== 58) return false
    gap = 0
    i += 2
    if (i === e) {
      groups.fill(0)
      return finishV6(out)
    }
  }
  for (;;) {
    // one group: 1..4 hex digits, or a dotted IPv4 tail
    const gs = i
    let v = 0
    while (i < e && i - gs < 5) {
      const h = HEX[buf[i]!]!
      if (h < 0) break
      v = (v << 4) | h
      i++
    }
    if (i < e && buf[i] === 46) {
      // IPv4 tail takes two groups and must end the address
      if (n > 6) return false
      const v4 = parseIPv4(buf, gs, e)
      if (v4 < 0) return false
      groups[n++] = v4 >>> 16
      groups[n++] = v4 & 0xffff
      break
    }
    const len = i - gs
    if (len === 0 || len > 4 || n === 8) return false
    groups[n++] = v
    if (i === e) break
    if (buf[i] !== 58) return false
    i++
    if (i < e && buf[i] === 58) {
      if (gap >= 0) return false
      gap = n
      i++
      if (i === e) break
    } else if (i === e) return false
  }
  if (gap < 0) {
    if (n !== 8) return false
  } else {
    if (n > 7) return false
    // move the groups after the gap to the end, zero the gap
    const tail = n - gap
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k]!
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0
  }
  return finishV6(out)
}

function finishV6(out: Uint32Array): boolean {
  out[0] = ((groups[0]! << 16) | groups[1]!) >>> 0
  out[1] = ((groups[2]! << 16) | groups[3]!) >>> 0
  out[2] = ((groups[4]! << 16) | groups[5]!) >>> 0
  out[3] = ((groups[6]! << 16) | groups[7]!) >>> 0
  return true
}

/**
 * Classify a client token [s, e): IPv4, IPv6 (IPv4-mapped `::ffff:a.b.c.d` becomes IPv4),
 * or a hostname (letters, digits, `-._`, at least one letter or digit, not all digits and dots).
 * An address may carry a port, `a.b.c.d:port` or `[v6]:port`, as some load balancers write
 * X-Forwarded-For (Azure Application Gateway): the port is not part of the client.
 * Returns false for anything else (`-`, empty, `1.2.3.999`, `<script>`, non-ASCII…).
 */
export function classifyClient(buf: Uint8Array, s: number, e: number, out: ClientScratch): boolean {
  if (e <= s || e - s > 255) return false // longer than any DNS name
  if (buf[s] === 91) {
    // [v6] or [v6]:port
    let close = e - 1
    if (buf[close] !== 93) close = portColon(buf, s, e) - 1
    if (close <= s || buf[close] !== 93) return false
    if (!parseIPv6(buf, s + 1, close, out.ipv6)) return false
    setV6Kind(out)
    return true
  }
  let colon = false
  let digitDot = true
  let host = true
  let alnum = false
  for (let i = s; i < e; i++) {
    const c = buf[i]!
    if (c === 58) colon = true
    const h = HOST_CHAR[c]!
    if (h === 0) host = false
    else if (h === 2) alnum = true
    if ((c < 48 || c > 57) && c !== 46) digitDot = false
  }
  if (colon) {
    if (parseIPv6(buf, s, e, out.ipv6)) {
      setV6Kind(out)
      return true
    }
    // a.b.c.d:port (bare IPv6 with a port cannot be told from IPv6, and is read as IPv6 above)
    const k = portColon(buf, s, e)
    const v4 = k > s ? parseIPv4(buf, s, k) : -1
    if (v4 < 0) return false
    out.kind = CLIENT_IPV4
    out.ipv4 = v4
    return true
  }
  if (digitDot) {
    const v4 = parseIPv4(buf, s, e)
    if (v4 < 0) return false
    out.kind = CLIENT_IPV4
    out.ipv4 = v4
    return true
  }
  if (!host || !alnum) return false
  out.kind = CLIENT_HOST
  return true
}

/** The `:` of a port (1-5 digits, at most 65535) that ends [s, e), or -1. */
function portColon(buf: Uint8Array, s: number, e: number): number {
  let port = 0
  let scale = 1
  let i = e - 1
  for (; i > s && e - i <= 5; i--) {
    const c = buf[i]!
    if (c < 48 || c > 57) break
    port += (c - 48) * scale
    scale *= 10
  }
  return i < e - 1 && buf[i] === 58 && port <= 65535 ? i : -1
}

function setV6Kind(out: ClientScratch): void {
  const w = out.ipv6
  if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) {
    out.kind = CLIENT_IPV4
    out.ipv4 = w[3]!
  } else out.kind = CLIENT_IPV6
}

/** False for private, loopback, link-local, CGNAT and unspecified addresses, and hostnames. */
export function isPublicClient(c: ClientScratch): boolean {
  if (c.kind === CLIENT_IPV4) {
    const a = c.ipv4 >>> 24
    const b = (c.ipv4 >>> 16) & 0xff
    if (a === 0 || a === 10 || a === 127) return false
    if (a === 172 && b >= 16 && b <= 31) return false
    if (a === 192 && b === 168) return false
    if (a === 169 && b === 254) return false
    if (a === 100 && b >= 64 && b <= 127) return false
    return true
  }
  if (c.kind === CLIENT_IPV6) {
    const w = c.ipv6
    const top = w[0]! >>> 16
    if ((top & 0xfe00) === 0xfc00) return false // fc00::/7 unique local
    if ((top & 0xffc0) === 0xfe80) return false // fe80::/10 link local
    if (w[0] === 0 && w[1] === 0 && w[2] === 0 && (w[3] === 0 || w[3] === 1)) return false
    return true
  }
  return false
}

/** Copy a classified client into the line record. */
export function copyClient(from: ClientScratch, to: LineRecord): void {
  to.clientKind = from.kind
  to.ipv4 = from.ipv4
  to.ipv6.set(from.ipv6)
}

// ---- canonical text ----

const OCTET: string[] = []
for (let i = 0; i < 256; i++) OCTET.push(String(i))

/** Dotted quad of an unsigned 32-bit address. */
export function ipv4ToString(n: number): string {
  return (
    OCTET[n >>> 24]! +
    '.' +
    OCTET[(n >>> 16) & 0xff]! +
    '.' +
    OCTET[(n >>> 8) & 0xff]! +
    '.' +
    OCTET[n & 0xff]!
  )
}

/**
 * RFC 5952 text of an IPv6 address given as four big-endian words: lowercase hex, no leading
 * zeros, the longest run (first on a tie) of two or more zero groups written `::`.
 * IPv4-mapped addresses are written `::ffff:a.b.c.d` (RFC 5952 §5).
 */
export function ipv6WordsToString(w: Uint32Array): string {
  if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return '::ffff:' + ipv4ToString(w[3]!)
  const g = GROUPS
  for (let i = 0; i < 4; i++) {
    g[2 * i] = w[i]! >>> 16
    g[2 * i + 1] = w[i]! & 0xffff
  }
  // The longest run of two or more zero groups becomes '::' (the first one on a tie).
  let bestS = -1
  let bestL = 1
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestL) {
      bestS = i
      bestL = j - i
    }
    i = j
  }
  // Parts joined once: a flat string (the table drains hundreds of thousands of these, and
  // a chain of += would leave a tree of string pieces for each).
  const parts: string[] = []
  for (let i = 0; i < 8; i++) {
    if (i === bestS) {
      parts.push(i === 0 ? '::' : ':')
      i += bestL - 1
      if (i === 7) break
      continue
    }
    parts.push(g[i]!.toString(16))
    if (i < 7) parts.push(':')
  }
  return parts.join('')
}

const GROUPS = new Array<number>(8).fill(0)

/**
 * The canonical client key of a parsed line: IPv4 dotted quad, IPv6 RFC 5952, or the hostname
 * in lowercase ASCII (the parser already left a trailing root dot out of the range).
 */
export function clientKeyString(buf: Uint8Array, rec: LineRecord): string {
  if (rec.clientKind === CLIENT_IPV4) return ipv4ToString(rec.ipv4)
  if (rec.clientKind === CLIENT_IPV6) return ipv6WordsToString(rec.ipv6)
  const e = rec.clientEnd
  let s = ''
  for (let i = rec.clientStart; i < e; i++) {
    const c = buf[i]!
    s += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c)
  }
  return s
}

/**
 * FNV-1a hash of a hostname client [clientStart, clientEnd), ASCII case-insensitive, so a
 * per-client table can key CLIENT_HOST lines without making strings: equal keys of
 * clientKeyString have equal hashes.
 */
export function hostKeyHash(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5
  for (let i = start; i < end; i++) {
    const c = buf[i]!
    h = Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193)
  }
  // Int32, like the aggregator's other client hashes (see aggregate/hash.ts).
  return h
}
