// The per-client table's primary key: a byte string whose order is the clients' natural order —
// IPv4 addresses numerically, then IPv6 numerically, then hostnames — so bulk loads and spills
// append to the B-tree in order, and "sort by IP" puts 10.0.0.9 before 10.0.0.10. The key is the
// only copy of the client: its text is made when a row is read (no text column to write or
// index: inserts are a third faster), and prefix search becomes key ranges (prefixQuery).
//   IPv4:     0x04 + 4 bytes big-endian
//   IPv6:     0x06 + 16 bytes big-endian
//   hostname: 0x68 ('h') + its UTF-8 bytes
import { ipv6WordsToString } from '../parser/client'

export const KEY_V4 = 0x04
export const KEY_V6 = 0x06
export const KEY_HOST = 0x68

/** Bytes of an IPv4 and an IPv6 key. */
export const V4_KEY_BYTES = 5
export const V6_KEY_BYTES = 17

export function v4Key(ip: number): Buffer {
  return putV4Key(Buffer.allocUnsafe(V4_KEY_BYTES), ip)
}

export function v6Key(w: ArrayLike<number>): Buffer {
  return putV6Key(Buffer.allocUnsafe(V6_KEY_BYTES), w, 0)
}

/** Write the key of an IPv4 address into `b` (V4_KEY_BYTES long): no allocation. */
export function putV4Key(b: Buffer, ip: number): Buffer {
  b[0] = KEY_V4
  b[1] = ip >>> 24
  b[2] = (ip >>> 16) & 0xff
  b[3] = (ip >>> 8) & 0xff
  b[4] = ip & 0xff
  return b
}

/** Write the key of the IPv6 address in words[at, at + 4) into `b` (V6_KEY_BYTES long). */
export function putV6Key(b: Buffer, words: ArrayLike<number>, at: number): Buffer {
  b[0] = KEY_V6
  for (let i = 0; i < 4; i++) {
    const w = words[at + i]!
    const o = 1 + 4 * i
    b[o] = w >>> 24
    b[o + 1] = (w >>> 16) & 0xff
    b[o + 2] = (w >>> 8) & 0xff
    b[o + 3] = w & 0xff
  }
  return b
}

export function hostKey(host: string): Buffer {
  return Buffer.concat([Buffer.of(KEY_HOST), Buffer.from(host, 'utf8')])
}

/** The key of a canonical client text (IPv4 dotted quad, RFC 5952 IPv6, or a hostname). */
export function keyOfClientText(ip: string): Buffer {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip)
  if (v4) {
    const n = v4.slice(1).map(Number)
    if (n.every((x) => x <= 255))
      return v4Key(((n[0]! << 24) | (n[1]! << 16) | (n[2]! << 8) | n[3]!) >>> 0)
  }
  if (ip.includes(':')) {
    const words = parseV6(ip)
    if (words) return v6Key(words)
  }
  return hostKey(ip)
}

function parseV6(text: string): number[] | null {
  let t = text
  let tail: number[] = []
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t)
  if (dotted) {
    const n = dotted.slice(1).map(Number)
    tail = [(n[0]! << 8) | n[1]!, (n[2]! << 8) | n[3]!]
    t = t.slice(0, dotted.index) + '0:0'
  }
  const halves = t.split('::')
  if (halves.length > 2) return null
  const head = halves[0] ? halves[0].split(':') : []
  const rest = halves.length === 2 ? (halves[1] ? halves[1].split(':') : []) : []
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0
  const groups = [...head, ...new Array<string>(Math.max(fill, 0)).fill('0'), ...rest].map((g) =>
    parseInt(g, 16),
  )
  if (tail.length) groups.splice(6, 2, ...tail)
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return null
  return [0, 1, 2, 3].map((i) => ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0)
}

/** The canonical text of a client key (what the per-client table shows). */
export function clientTextOfKey(key: Uint8Array): string {
  if (key[0] === KEY_V4 && key.length === 5) return `${key[1]}.${key[2]}.${key[3]}.${key[4]}`
  if (key[0] === KEY_V6 && key.length === 17) {
    const w = new Uint32Array(4)
    for (let i = 0; i < 4; i++)
      w[i] =
        ((key[1 + 4 * i]! << 24) |
          (key[2 + 4 * i]! << 16) |
          (key[3 + 4 * i]! << 8) |
          key[4 + 4 * i]!) >>>
        0
    return ipv6WordsToString(w)
  }
  return Buffer.from(key.buffer, key.byteOffset + 1, key.length - 1).toString('utf8')
}

/** Inclusive key ranges, plus whether IPv6 keys must be checked one by one. */
export interface PrefixQuery {
  ranges: [Buffer, Buffer][]
  v6: boolean
}

/**
 * The key ranges holding every client whose text starts with `prefix` (already trimmed and
 * lowercased). IPv4 prefixes become numeric ranges (`192.16` is 192.16.x.x and 192.160–169.x.x);
 * hostnames one range of their bytes; IPv6 text (compressed with `::`) has no such ranges, so
 * IPv6 keys are matched by their text in SQL (loglens_client_text), which is cheap for the few.
 */
export function prefixQuery(prefix: string): PrefixQuery {
  const ranges: [Buffer, Buffer][] = []
  if (/^[0-9.]+$/.test(prefix)) ranges.push(...v4Ranges(prefix))
  const host = hostKey(prefix)
  ranges.push([host, Buffer.concat([host, Buffer.alloc(8, 0xff)])])
  return { ranges, v6: /^[0-9a-f:.]+$/.test(prefix) }
}

function v4Ranges(prefix: string): [Buffer, Buffer][] {
  const parts = prefix.split('.')
  if (parts.length > 4) return []
  const whole = parts.slice(0, -1)
  const last = parts[parts.length - 1]!
  if (whole.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return []
  let base = 0
  for (const p of whole) base = base * 256 + Number(p)
  const shift = 8 * (4 - whole.length - 1)
  if (shift < 0) return []
  // Values of the octet being typed whose text starts with what was typed so far.
  const runs: [number, number][] = []
  for (let v = 0; v <= 255; v++) {
    if (last !== '' && !String(v).startsWith(last)) continue
    const r = runs[runs.length - 1]
    if (r && r[1] === v - 1) r[1] = v
    else runs.push([v, v])
  }
  const rest = 2 ** shift
  return runs.map(([a, b]) => {
    const lo = (base * 256 + a) * rest
    const hi = (base * 256 + b) * rest + rest - 1
    return [v4Key(lo), v4Key(hi)]
  })
}
