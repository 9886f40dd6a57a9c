// The span a job's files cover at least, from their first valid lines (as inspected) and the
// last valid lines of the plain ones: real files, the real inspection and parsers. The time series starts at the level that span calls for, so it
// must never be coarser than the level the whole log gets.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { compileFormat } from '../../../src/engine/parser'
import { firstLineTime, HINT_BYTES, seriesLevelHint } from '../../../src/engine/aggregate/span-hint'
import { inspectFile } from '../../../src/engine/aggregate/inspect'
import { LEVELS } from '../../../src/engine/aggregate/time-series'

const dir = mkdtempSync(join(tmpdir(), 'loglens-span-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const c = compileFormat('combined')
if (!c.ok) throw new Error(c.error)
const parser = c.parser

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** A combined line at epoch second `t` (UTC). */
function line(t: number, i = 0): string {
  const d = new Date(t * 1000)
  const p = (n: number): string => String(n).padStart(2, '0')
  const stamp = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  return `10.0.${i % 250}.${i % 7} - - [${stamp}] "GET /p${i} HTTP/1.1" 200 ${i} "-" "Mozilla/5.0"\n`
}

const T0 = Date.UTC(2026, 10, 20) / 1000
/** A file of `n` lines evenly over `span` seconds (plus optional raw text at either end). */
function logFile(name: string, span: number, n: number, head = '', tail = ''): string {
  const path = join(dir, name)
  let body = head
  for (let i = 0; i < n; i++) body += line(T0 + Math.round((i / (n - 1)) * span), i)
  writeFileSync(path, body + tail)
  return path
}
/** A file as the job sees it: inspected (gzip or not, its first line's time), read with `parser`. */
async function file(path: string) {
  const ins = await inspectFile(path)
  return {
    path,
    size: statSync(path).size,
    gzip: ins.gzip,
    parser,
    firstTime: firstLineTime(parser, ins.lines),
  }
}
const level = (files: Parameters<typeof seriesLevelHint>[0]): string =>
  LEVELS[seriesLevelHint(files)]!

describe('the series level a job starts at', () => {
  it('follows the span between the first and the last line of a big file', async () => {
    // Far more than HINT_BYTES: only its two ends are read.
    expect(level([await file(logFile('day.log', 86_400, 3000))])).toBe('hour')
    expect(level([await file(logFile('hours.log', 5 * 3600, 3000))])).toBe('minute')
    expect(level([await file(logFile('months.log', 90 * 86_400, 3000))])).toBe('day')
  })

  it('reads a small file whole, and skips lines it cannot parse at either end', async () => {
    const small = logFile(
      'small.log',
      2 * 86_400,
      20,
      'garbage first line\n',
      'truncated tail "GET',
    )
    expect(statSync(small).size).toBeLessThan(HINT_BYTES)
    expect(level([await file(small)])).toBe('hour')
    const big = logFile('big.log', 2 * 86_400, 3000, 'not a log line\n', 'broken\nalso broken\n')
    expect(level([await file(big)])).toBe('hour')
  })

  it('spans files: a folder of rotated logs, a day each', async () => {
    const days = await Promise.all(
      [0, 1, 2].map((d) => {
        const path = join(dir, `access.log.${d}`)
        let body = ''
        for (let i = 0; i < 50; i++) body += line(T0 + d * 86_400 + i * 60, i)
        writeFileSync(path, body)
        return file(path)
      }),
    )
    // Each alone lasts under an hour; together, two days.
    expect(level([days[0]!])).toBe('minute')
    expect(level(days)).toBe('hour')
  })

  it('takes the first valid line of each gzip file from its inspected head', async () => {
    // A folder of rotated .gz logs, a day each: their heads alone span two days.
    const gzs = await Promise.all(
      [0, 1, 2].map(async (d) => {
        const path = join(dir, `access.log.${d + 1}.gz`)
        let body = 'not a log line\n'
        for (let i = 0; i < 50; i++) body += line(T0 + d * 86_400 + i * 60, i)
        writeFileSync(path, gzipSync(body))
        return file(path)
      }),
    )
    expect(level(gzs)).toBe('hour')
    // One alone: a single line's time is no span.
    expect(level([gzs[0]!])).toBe('minute')
    // Beside a plain file: its first and last lines.
    expect(level([gzs[0]!, await file(logFile('later.log', 3600, 200))])).toBe('minute')
    expect(level([gzs[2]!, await file(logFile('earlier.log', 3600, 200))])).toBe('hour')
  })

  it('gives no hint from a gzip file alone, a single line, lines before 1991, or a missing file', async () => {
    const gz = join(dir, 'day.log.gz')
    writeFileSync(gz, gzipSync(readFileSync(join(dir, 'day.log'))))
    expect(level([await file(gz)])).toBe('minute')
    const one = join(dir, 'one.log')
    writeFileSync(one, line(T0))
    expect(level([await file(one)])).toBe('minute')
    // A device with no clock set logs 1970: the series leaves those lines out, so must the hint.
    const clockless = join(dir, 'clockless.log')
    writeFileSync(clockless, line(0) + line(T0, 1) + line(T0 + 60, 2))
    expect(level([await file(clockless)])).toBe('minute')
    expect(level([{ path: join(dir, 'gone.log'), size: 5000, gzip: false, parser }])).toBe('minute')
  })
})
