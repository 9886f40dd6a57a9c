// A deterministic generator of realistic nginx combined lines (for the parser benchmark):
// mostly IPv4 clients with some IPv6, a rising clock (~60 lines a second), GET-heavy requests
// with some query strings, real-looking referrers and user agents. Average line ≈ 190 bytes.
import { rng as mulberry32 } from '../../../src/engine/generate/generator'

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  'curl/7.81.0',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
]
const PATHS = [
  '/',
  '/index.html',
  '/favicon.ico',
  '/static/css/main.3f9a1c.css',
  '/static/js/app.8b21e4.js',
  '/api/v1/items',
  '/api/v1/users/12345/orders',
  '/images/products/large/sku-88213.jpg',
  '/blog/2023/11/streaming-log-aggregation',
  '/search',
  '/robots.txt',
  '/wp-login.php',
]
const REFERERS = [
  '-',
  '-',
  '-',
  'https://www.google.com/',
  'https://example.com/',
  'https://example.com/blog/2023/11/streaming-log-aggregation',
]
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function pad(n: number): string {
  return n < 10 ? '0' + n : String(n)
}

/** `count` lines of nginx combined, joined by `\n` (with a final newline), as bytes. */
export function generateCombined(count: number, seed = 42): Buffer {
  const rnd = mulberry32(seed)
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!
  const parts: string[] = []
  let t = Date.UTC(2024, 2, 10, 6, 0, 0) / 1000
  for (let i = 0; i < count; i++) {
    if (rnd() < 1 / 60) t++
    const d = new Date(t * 1000)
    const time = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
    const r = rnd()
    const ip =
      r < 0.06
        ? `2001:db8:${Math.floor(rnd() * 65536).toString(16)}::${Math.floor(rnd() * 4096).toString(16)}`
        : `${1 + Math.floor(rnd() * 223)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`
    const m = rnd()
    const method = m < 0.85 ? 'GET' : m < 0.95 ? 'POST' : 'HEAD'
    let path = pick(PATHS)
    if (rnd() < 0.25) path += `?id=${Math.floor(rnd() * 100000)}`
    const s = rnd()
    const status = s < 0.8 ? 200 : s < 0.9 ? 304 : s < 0.96 ? 404 : s < 0.99 ? 301 : 500
    const bytes = status === 304 ? 0 : Math.floor(rnd() * 60000)
    const proto = rnd() < 0.7 ? 'HTTP/1.1' : 'HTTP/2.0'
    parts.push(
      `${ip} - - [${time}] "${method} ${path} ${proto}" ${status} ${bytes} "${pick(REFERERS)}" "${pick(AGENTS)}"`,
    )
  }
  return Buffer.from(parts.join('\n') + '\n', 'latin1')
}
