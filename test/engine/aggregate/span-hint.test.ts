// The span a job's plain files cover at least, from the first and last valid line at their ends:
// real files, the real parsers. The time series starts at the level that span calls for, so it
// must never be coarser than the level the whole log gets.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { compileFormat } from '../../../src/engine/parser'
import {
  HINT_BYTES,
  HINT_HEAD_LINES,
  seriesLevelHint,
} from '../../../src/engine/aggregate/span-hint'
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
const file = (path: string, gzip = false) => ({
  path,
  size: statSync(path).size,
  gzip,
  parser,
})
const level = (files: Parameters<typeof seriesLevelHint>[0]): string =>
  LEVELS[seriesLevelHint(files)]!

describe('the series level a job starts at', () => {
  it('follows the span between the first and the last line of a big file', () => {
    // Far more than HINT_BYTES: only its two ends are read.
    expect(level([file(logFile('day.log', 86_400, 3000))])).toBe('hour')
    expect(level([file(logFile('hours.log', 5 * 3600, 3000))])).toBe('minute')
    expect(level([file(logFile('months.log', 90 * 86_400, 3000))])).toBe('day')
  })

  it('reads a small file whole, and skips lines it cannot parse at either end', () => {
    const small = logFile(
      'small.log',
      2 * 86_400,
      20,
      'garbage first line\n',
      'truncated tail "GET',
    )
    expect(statSync(small).size).toBeLessThan(HINT_BYTES)
    expect(level([file(small)])).toBe('hour')
    const big = logFile('big.log', 2 * 86_400, 3000, 'not a log line\n', 'broken\nalso broken\n')
    expect(level([file(big)])).toBe('hour')
  })

  it('spans files: a folder of rotated logs, a day each', () => {
    const days = [0, 1, 2].map((d) => {
      const path = join(dir, `access.log.${d}`)
      let body = ''
      for (let i = 0; i < 50; i++) body += line(T0 + d * 86_400 + i * 60, i)
      writeFileSync(path, body)
      return file(path)
    })
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
        const { lines } = await inspectFile(path)
        return { ...file(path, true), headLines: lines.slice(0, HINT_HEAD_LINES) }
      }),
    )
    expect(level(gzs)).toBe('hour')
    // One alone: a single line's time is no span.
    expect(level([gzs[0]!])).toBe('minute')
    // Beside a plain file of the same days, read at both ends.
    expect(level([gzs[0]!, file(logFile('later.log', 3600, 200))])).toBe('minute')
    expect(level([gzs[2]!, file(logFile('earlier.log', 3600, 200))])).toBe('hour')
  })

  it('gives no hint for a gzip file, a single line, lines before 1991, or a missing file', () => {
    const gz = join(dir, 'day.log.gz')
    writeFileSync(gz, gzipSync(readFileSync(join(dir, 'day.log'))))
    expect(level([file(gz, true)])).toBe('minute')
    const one = join(dir, 'one.log')
    writeFileSync(one, line(T0))
    expect(level([file(one)])).toBe('minute')
    // A device with no clock set logs 1970: the series leaves those lines out, so must the hint.
    const clockless = join(dir, 'clockless.log')
    writeFileSync(clockless, line(0) + line(T0, 1) + line(T0 + 60, 2))
    expect(level([file(clockless)])).toBe('minute')
    expect(level([{ path: join(dir, 'gone.log'), size: 5000, gzip: false, parser }])).toBe('minute')
  })
})
