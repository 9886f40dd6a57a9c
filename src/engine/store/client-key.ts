// The per-client table's primary key: a byte string whose order is the clients' natural order —
// IPv4 addresses numerically, then IPv6 numerically, then hostnames — so bulk loads and spills
// append to the B-tree in order, and "sort by IP" puts 10.0.0.9 before 10.0.0.10. The canonical
// text stays in its own column (shown, searched by prefix through its own index).
//   IPv4:     0x04 + 4 bytes big-endian
//   IPv6:     0x06 + 16 bytes big-endian
//   hostname: 0x68 ('h') + its UTF-8 bytes

export const KEY_V4 = 0x04
export const KEY_V6 = 0x06
export const KEY_HOST = 0x68

export function v4Key(ip: number): Buffer {
  const b = Buffer.allocUnsafe(5)
  b[0] = KEY_V4
  b.writeUInt32BE(ip >>> 0, 1)
  return b
}

export function v6Key(w: ArrayLike<number>): Buffer {
  const b = Buffer.allocUnsafe(17)
  b[0] = KEY_V6
  for (let i = 0; i < 4; i++) b.writeUInt32BE(w[i]! >>> 0, 1 + 4 * i)
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
