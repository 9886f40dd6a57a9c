// A deterministic access-log generator with known figures, for benchmarks, tests, the e2e suite
// and the bundled sample. The same seed and options always give the same bytes. It counts what it
// writes (PV, UV, top clients, statuses, bytes), so callers get exact expected results without
// parsing the output.
import { closeSync, openSync, writeSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

export interface GenerateOptions {
  /** Stop after about this many bytes of log text (whichever of bytes/lines comes first). */
  bytes?: number
  lines?: number
  /** Distinct clients to use; every one appears at least once (when there are enough lines). */
  clients?: number
  /** Share of clients that are IPv6 (0..1). */
  ipv6Share?: number
  /** Write some IPv6 clients in other spellings (upper case, zeros expanded): still one visitor. */
  ipv6Spellings?: boolean
  /** Share of lines replaced by garbage (invalid lines), 0..1. */
  invalidShare?: number
  /** Seconds covered by the log. */
  spanSeconds?: number
  /** Epoch seconds of the first line. */
  start?: number
  /** UTC offset written in the timestamps, minutes. */
  tzOffsetMinutes?: number
  seed?: number
  format?: 'combined' | 'common'
  /** Write CRLF line endings. */
  crlf?: boolean
}

export interface GeneratedFigures {
  lines: number
  pv: number
  uv: number
  invalid: number
  bodyBytes: number
  bytesWritten: number
  topClients: { ip: string; pv: number }[]
  statuses: Record<string, number>
  firstTime: number
  lastTime: number
}

const PATHS = [
  '/',
  '/index.html',
  '/about',
  '/products',
  '/products/42',
  '/products/7',
  '/blog/2024/streaming-logs',
  '/blog/2024/bounded-memory',
  '/api/v1/items',
  '/api/v1/items/123',
  '/api/v1/search',
  '/static/app.js',
  '/static/app.css',
  '/static/logo.svg',
  '/favicon.ico',
  '/robots.txt',
  '/login',
  '/cart',
  '/checkout',
  '/docs/getting-started',
]
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'curl/8.5.0',
  'python-requests/2.31.0',
]
const REFERERS = [
  '-',
  '-',
  '-',
  'https://www.google.com/',
  'https://example.com/',
  'https://news.ycombinator.com/',
]
const METHODS = ['GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'HEAD']
const STATUSES = [200, 200, 200, 200, 200, 200, 200, 304, 301, 404, 404, 500, 403, 206]
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const GARBAGE = [
  'this is not a log line',
  '\u0016\u0003\u0001\u0000binary junk',
  '127.0.0.1 - - [not a date] "GET / HTTP/1.1" 200 1',
  '10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" abc 12',
]

/** mulberry32: small, fast, good enough for test data (the tests' own generators use it too). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n)
}

function timeLocal(sec: number, offMin: number): string {
  const d = new Date((sec + offMin * 60) * 1000)
  const sign = offMin < 0 ? '-' : '+'
  const a = Math.abs(offMin)
  return `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${sign}${pad2(Math.floor(a / 60))}${pad2(a % 60)}`
}

function ipv4(i: number): string {
  // Spread clients over the address space deterministically (an odd multiplier is a bijection).
  const v = (Math.imul(i + 1, 2654435761) ^ 0x5bd1e995) >>> 0
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`
}

function v6Groups(i: number): [string, string, string] {
  // Non-zero groups around one run of three zero groups: the canonical form is unambiguous.
  return [
    (0x1000 + (i >>> 12)).toString(16),
    (0x1000 + (i & 0xfff)).toString(16),
    (1 + (i % 65535)).toString(16),
  ]
}

function ipv6Canonical(i: number): string {
  const [a, b, c] = v6Groups(i)
  return `2001:db8:${a}:${b}::${c}`
}

/** The same address spelled differently (RFC 5952 says they are one visitor). */
function ipv6Variant(i: number, k: number): string {
  if (k === 1) return ipv6Canonical(i).toUpperCase()
  const [a, b, c] = v6Groups(i)
  return `2001:0db8:${a}:${b}:0:0:0:${c.padStart(4, '0')}`
}

/** Generate a log; `sink` gets text chunks. Returns the figures of what was written. */
export function generateLog(
  opts: GenerateOptions,
  sink: (chunk: string) => void,
): GeneratedFigures {
  const maxBytes = opts.bytes ?? Infinity
  const maxLines = opts.lines ?? Infinity
  if (!Number.isFinite(maxBytes) && !Number.isFinite(maxLines))
    throw new Error('generateLog needs bytes or lines')
  const clients = Math.max(1, opts.clients ?? 1000)
  const v6Share = opts.ipv6Share ?? 0
  const invalidShare = opts.invalidShare ?? 0
  const span = opts.spanSeconds ?? 86400
  const start = opts.start ?? Date.UTC(2026, 10, 20, 0, 0, 0) / 1000
  const off = opts.tzOffsetMinutes ?? 0
  const rand = rng(opts.seed ?? 1)
  const eol = opts.crlf ? '\r\n' : '\n'
  // Expected line length drives the time step so the log spans about `span` seconds.
  const estLines = Number.isFinite(maxLines) ? maxLines : Math.max(1, maxBytes / 190)
  const step = span / estLines
  const v6Count = Math.round(clients * v6Share)
  // The last clients are IPv6 (the heavy ones, at the start, stay IPv4 like on most sites).
  const isV6 = (c: number): boolean => c >= clients - v6Count
  const counts = new Uint32Array(clients)
  const statusCounts = new Map<number, number>()
  let lines = 0
  let pv = 0
  let invalid = 0
  let bodyBytes = 0
  let written = 0
  let buf = ''
  let t = start
  let firstTime = Infinity
  let lastTime = -Infinity
  // A few heavy clients, then a long tail: client 0 is always the top one.
  const pick = (): number => {
    const r = rand()
    if (r < 0.05) return 0
    if (r < 0.08) return Math.min(1, clients - 1)
    if (r < 0.1) return Math.min(2, clients - 1)
    return Math.floor(Math.pow(rand(), 1.6) * clients)
  }
  while (written < maxBytes && lines < maxLines) {
    const sec = Math.floor(t)
    t += step * (0.5 + rand())
    let line: string
    if (invalidShare > 0 && rand() < invalidShare) {
      line = GARBAGE[Math.floor(rand() * GARBAGE.length)]!
      invalid++
    } else {
      // The first `clients` valid lines visit every client once, so UV is known exactly.
      const c = pv < clients ? pv : pick()
      let ip: string
      if (isV6(c)) {
        const k = opts.ipv6Spellings ? Math.floor(rand() * 3) : 0
        ip = k === 0 ? ipv6Canonical(c) : ipv6Variant(c, k)
      } else ip = ipv4(c)
      const status = STATUSES[Math.floor(rand() * STATUSES.length)]!
      const bytes = status === 304 ? 0 : Math.floor(rand() * 50_000)
      const bytesField = status === 304 ? '-' : String(bytes)
      const path = PATHS[Math.floor(rand() * PATHS.length)]!
      const query = rand() < 0.2 ? `?q=${Math.floor(rand() * 1000)}` : ''
      const method = METHODS[Math.floor(rand() * METHODS.length)]!
      const head = `${ip} - - [${timeLocal(sec, off)}] "${method} ${path}${query} HTTP/1.1" ${status} ${bytesField}`
      line =
        opts.format === 'common'
          ? head
          : `${head} "${REFERERS[Math.floor(rand() * REFERERS.length)]}" "${AGENTS[Math.floor(rand() * AGENTS.length)]}"`
      counts[c]!++
      pv++
      bodyBytes += bytes
      statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1)
      if (sec < firstTime) firstTime = sec
      if (sec > lastTime) lastTime = sec
    }
    buf += line + eol
    written += line.length + eol.length
    lines++
    if (buf.length >= 1 << 20) {
      sink(buf)
      buf = ''
    }
  }
  if (buf) sink(buf)
  let uv = 0
  for (let c = 0; c < clients; c++) if (counts[c]! > 0) uv++
  const order = Array.from({ length: clients }, (_, i) => i)
    .filter((c) => counts[c]! > 0)
    .sort((a, b) => counts[b]! - counts[a]! || a - b)
    .slice(0, 10)
  return {
    lines,
    pv,
    uv,
    invalid,
    bodyBytes,
    bytesWritten: written,
    topClients: order.map((c) => ({ ip: isV6(c) ? ipv6Canonical(c) : ipv4(c), pv: counts[c]! })),
    statuses: Object.fromEntries([...statusCounts.entries()].map(([k, v]) => [String(k), v])),
    firstTime: firstTime * 1000,
    lastTime: lastTime * 1000,
  }
}

/**
 * Generate into a file. A name ending in .gz is written as a series of gzip members (one per
 * chunk), which every gzip reader treats as one stream, so nothing is held in memory.
 */
export function generateLogFile(path: string, opts: GenerateOptions): GeneratedFigures {
  const gz = path.endsWith('.gz')
  const fd = openSync(path, 'w')
  try {
    return generateLog(opts, (c) => {
      if (gz) writeSync(fd, gzipSync(c, { level: 1 }))
      else writeSync(fd, c)
    })
  } finally {
    closeSync(fd)
  }
}
