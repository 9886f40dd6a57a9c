// A small deterministic nginx "combined" log generator for the e2e tests. Every figure the
// dashboard should show (PV, UV, invalid lines, the top client and its count) is known by
// construction, independently of the engine.
import { closeSync, openSync, writeSync } from 'node:fs'
import { rng as mulberry32 } from '../../src/engine/generate/generator'

export interface GeneratedLog {
  text: string
  bytes: number
  lines: number
  pv: number
  uv: number
  invalid: number
  topIp: string
  topCount: number
  /** Requests per client, for IP-table checks. */
  counts: Map<string, number>
  /** Log time zone offset in minutes (+0800). */
  tzOffsetMinutes: number
  firstTime: number
  lastTime: number
}

export interface GenOptions {
  lines: number
  clients: number
  seed?: number
  /** One in `invalidEvery` lines is not a log line (0: none). */
  invalidEvery?: number
  /** Span of the log in ms. */
  spanMs?: number
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const PATHS = [
  '/',
  '/index.html',
  '/about',
  '/blog/2024/03/memory-and-generators',
  '/static/app.css',
  '/static/app.js',
  '/api/items?page=2',
  '/search?q=%E6%97%A5%E5%BF%97',
  // Log text that must stay text in the dashboard.
  // (nginx writes a quote inside the request as \x22; spaces arrive percent-encoded).
  '/<script>alert(\\x22xss\\x22)</script>',
  '/search?q=<img/src=x/onerror=alert(1)>',
]
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
]
const REFERRERS = ['-', '-', 'https://www.example.com/', 'https://news.example.org/item?id=42']
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 404, 301, 500]

/** Client number → address: mostly IPv4 in 10.0.0.0/16, every 13th an IPv6 (canonical form). */
export function clientIp(k: number): string {
  if (k % 13 === 12) {
    const v = k + 1
    const hi = Math.floor(v / 65536)
    const lo = (v % 65536).toString(16)
    return hi ? `2001:db8::${hi.toString(16)}:${lo}` : `2001:db8::${lo}`
  }
  return `10.0.${(k >> 8) & 255}.${k & 255}`
}

function two(n: number): string {
  return String(n).padStart(2, '0')
}

function nginxTime(utcMs: number, offsetMin: number): string {
  const d = new Date(utcMs + offsetMin * 60_000)
  const sign = offsetMin >= 0 ? '+' : '-'
  const a = Math.abs(offsetMin)
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ` +
    `${sign}${two(Math.floor(a / 60))}${two(a % 60)}`
  )
}

export type GeneratedFigures = Omit<GeneratedLog, 'text'>

/** Streams the lines to `write`; returns the figures. */
export function generateLines(opts: GenOptions, write: (line: string) => void): GeneratedFigures {
  const rand = mulberry32(opts.seed ?? 8)
  const invalidEvery = opts.invalidEvery ?? 0
  const tz = 480
  const start = Date.UTC(2024, 2, 10, 0, 0, 0) // 08:00 in the log's +0800
  const span = opts.spanMs ?? 6 * 3600_000
  const step = span / Math.max(1, opts.lines - 1)
  const counts = new Map<string, number>()
  let bytes = 0
  let pv = 0
  let invalid = 0
  let firstTime = Infinity
  let lastTime = -Infinity
  for (let i = 0; i < opts.lines; i++) {
    if (invalidEvery > 0 && i % invalidEvery === invalidEvery - 1) {
      const bad = `this is not an access log line #${i} <b>bold</b>\n`
      bytes += Buffer.byteLength(bad)
      write(bad)
      invalid++
      continue
    }
    // Skewed towards low client numbers; client 0 gets one line in ten on top, so it is the top IP.
    const k = i % 10 === 0 ? 0 : Math.floor(opts.clients * Math.pow(rand(), 2.2))
    const ip = clientIp(k)
    const t = Math.floor(start + i * step) - (Math.floor(start + i * step) % 1000)
    const status = STATUSES[Math.floor(rand() * STATUSES.length)]!
    const body = status === 304 ? '0' : String(200 + Math.floor(rand() * 20_000))
    const path = PATHS[Math.floor(rand() * PATHS.length)]!
    const method = rand() < 0.9 ? 'GET' : 'POST'
    const ref = REFERRERS[Math.floor(rand() * REFERRERS.length)]!
    const ua = AGENTS[Math.floor(rand() * AGENTS.length)]!
    const line = `${ip} - - [${nginxTime(t, tz)}] "${method} ${path} HTTP/1.1" ${status} ${body} "${ref}" "${ua}"\n`
    bytes += Buffer.byteLength(line)
    write(line)
    counts.set(ip, (counts.get(ip) ?? 0) + 1)
    pv++
    firstTime = Math.min(firstTime, t)
    lastTime = Math.max(lastTime, t)
  }
  let topIp = ''
  let topCount = -1
  for (const [ip, n] of counts) if (n > topCount) [topIp, topCount] = [ip, n]
  return {
    bytes,
    lines: opts.lines,
    pv,
    uv: counts.size,
    invalid,
    topIp,
    topCount,
    counts,
    tzOffsetMinutes: tz,
    firstTime,
    lastTime,
  }
}

export function generateLog(opts: GenOptions): GeneratedLog {
  const out: string[] = []
  const figures = generateLines(opts, (l) => out.push(l))
  return { ...figures, text: out.join('') }
}

/** Writes a large log to disk in chunks (for the live-progress test); returns the figures. */
export function generateLogFile(path: string, opts: GenOptions): GeneratedFigures {
  const fd = openSync(path, 'w')
  let buf: string[] = []
  let size = 0
  try {
    const figures = generateLines(opts, (l) => {
      buf.push(l)
      size += l.length
      if (size > 1 << 22) {
        writeSync(fd, buf.join(''))
        buf = []
        size = 0
      }
    })
    writeSync(fd, buf.join(''))
    return figures
  } finally {
    closeSync(fd)
  }
}
