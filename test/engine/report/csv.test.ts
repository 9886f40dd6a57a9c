// CSV: formula injection neutralised, quoting, BOM and CRLF, the per-IP table streamed in order
// with times in the log's offset, and the small tables' content.
import { keyOfClientText } from '../../../src/engine/store/client-key'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  BOM,
  csvRow,
  csvText,
  smallTableCsv,
  writeIpCsv,
  type TextSink,
} from '../../../src/engine/report/csv'
import { openDatabase } from '../../../src/engine/store/db'
import { IP_TABLE_COLUMNS, ipTableName } from '../../../src/engine/store/migrations'
import { createAnalysis } from '../../../src/engine/store/queries'
import type { AnalysisDetail } from '../../../src/shared/types'

const dir = mkdtempSync(join(tmpdir(), 'loglens-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function collect(): TextSink & { text: () => string; writes: number } {
  const parts: string[] = []
  const sink = {
    writes: 0,
    async write(t: string | Uint8Array) {
      // Bytes are the encoder's reused buffer: decode before it is refilled.
      parts.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8'))
      sink.writes++
    },
    text: () => parts.join(''),
  }
  return sink
}

/** A minimal CSV reader (RFC 4180) to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  if (cell || row.length) rows.push([...row, cell])
  return rows
}

describe('csv cells', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['+SUM(1+1)', "'+SUM(1+1)"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['＝1+1', "'＝1+1"],
    ['/index.html', '/index.html'],
    ['a=b', 'a=b'],
  ])('neutralises %j', (input, expected) => {
    expect(parseCsv(csvRow([input]))[0]![0]).toBe(expected)
  })

  it('quotes commas, quotes, CR and LF', () => {
    expect(csvText('a,b')).toBe('"a,b"')
    expect(csvText('say "hi"')).toBe('"say ""hi"""')
    expect(csvText('\rx')).toBe('"\'\rx"')
    expect(csvText('line1\nline2')).toBe('"line1\nline2"')
    expect(parseCsv(csvRow(['x,"y"', 3, null, true]))).toEqual([['x,"y"', '3', '', 'true']])
  })

  it('ends rows with CRLF', () => {
    expect(csvRow(['a', 1])).toBe('a,1\r\n')
  })
})

describe('per-IP CSV', () => {
  const path = join(dir, 'ips.db')
  const db = openDatabase(path)
  const id = createAnalysis(db, { name: 'x', files: [], formatRequest: 'auto' })
  const table = ipTableName(id)
  db.exec(`CREATE TABLE ${table} (${IP_TABLE_COLUMNS}) WITHOUT ROWID`)
  const insert = db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  // The primary key is the client key (store/client-key.ts): the client's only copy.
  const ins = {
    run: (ip: string, ...rest: number[]) => insert.run(keyOfClientText(ip), ...rest),
  }
  const t0 = Date.UTC(2024, 0, 1, 0, 0, 0) / 1000
  db.transaction(() => {
    for (let i = 0; i < 10_000; i++)
      ins.run(
        `10.0.${i >> 8}.${i & 255}`,
        (i * 7919) % 1000,
        i * 10,
        t0 + i,
        t0 + i + 60,
        1,
        2,
        3,
        4,
      )
  })()

  it('streams every row in buffered chunks, busiest first without the pv index too', async () => {
    const sink = collect()
    const rows = await writeIpCsv(db, sink, {
      id,
      locale: 'en',
      tzOffsetMinutes: 480,
      chunkRows: 1000,
    })
    expect(rows).toBe(10_000)
    expect(sink.writes).toBeGreaterThanOrEqual(3) // header, then 256 KB buffers
    const text = sink.text()
    expect(text.startsWith(BOM)).toBe(true)
    const parsed = parseCsv(text.slice(1))
    expect(parsed[0]).toEqual([
      'IP address',
      'Requests',
      'Bytes sent',
      'First seen (UTC+08:00)',
      'Last seen (UTC+08:00)',
      '2xx',
      '3xx',
      '4xx',
      '5xx',
    ])
    expect(parsed).toHaveLength(10_001)
    // `loglens analyze` leaves no requests index: SQLite sorts. Busiest first, ties in natural
    // client order (numeric: 10.0.0.9 before 10.0.0.10), the primary key's.
    const numeric = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0)
    const got = parsed.slice(1).map((r) => [Number(r[1]), numeric(r[0]!)] as const)
    expect(got).toEqual([...got].sort((a, b) => b[0] - a[0] || a[1] - b[1]))
    // The sort's smaller page cache is only for the export.
    expect(db.pragma('cache_size', { simple: true })).toBe(-8192)
    const row0 = parsed.find((r) => r[0] === '10.0.0.0')!
    expect(row0).toEqual([
      '10.0.0.0',
      '0',
      '0',
      '2024-01-01 08:00:00',
      '2024-01-01 08:01:00',
      '1',
      '2',
      '3',
      '4',
    ])
  })

  it('busiest first once the pv index exists; Chinese headers', async () => {
    db.exec(`CREATE INDEX ${table}_pv ON ${table}(pv DESC)`)
    const sink = collect()
    await writeIpCsv(db, sink, { id, locale: 'zh-CN', tzOffsetMinutes: null })
    const parsed = parseCsv(sink.text().slice(1))
    expect(parsed[0]![0]).toBe('IP 地址')
    expect(parsed[0]![3]).toBe('首次出现 (UTC+00:00)')
    const pvs = parsed.slice(1).map((r) => Number(r[1]))
    expect(pvs).toEqual([...pvs].sort((a, b) => b - a))
  })

  it('a missing IP table gives the header only', async () => {
    const other = createAnalysis(db, { name: 'y', files: [], formatRequest: 'auto' })
    const sink = collect()
    expect(await writeIpCsv(db, sink, { id: other, locale: 'en', tzOffsetMinutes: 0 })).toBe(0)
    expect(parseCsv(sink.text().slice(1))).toHaveLength(1)
  })
})

describe('small tables', () => {
  const detail = {
    summary: { tzOffsetMinutes: 60 },
    series: {
      bucket: 'hour',
      points: [
        { t: Date.UTC(2024, 0, 1, 10), pv: 5, uv: 3, uvExact: false, bytes: 99 },
        { t: Date.UTC(2024, 0, 1, 13), pv: 2, uv: 1, uvExact: true, bytes: 40 },
      ],
    },
    memory: [{ t: 250, rss: 50_000_000, heapUsed: 9_000_000 }],
    statuses: [
      { status: 200, count: 4 },
      { status: 404, count: 1 },
    ],
    topIps: [],
    top: {
      path: [{ key: '=HYPERLINK("http://evil")', count: 2, error: 0 }],
      agent: [{ key: 'curl/8', count: 3, error: 1, bot: true }],
      referrer: [{ key: '-', count: 1, error: 0 }],
    },
    invalid: [
      {
        reason: 'not_a_log_line',
        count: 2,
        samples: ['<script>x</script>', '+1'],
        sampleFiles: ['access.log', '=evil.log'],
      },
    ],
    formatSuggestion: null,
  } as unknown as AnalysisDetail
  const rows = (table: Parameters<typeof smallTableCsv>[1], locale: 'en' | 'zh-CN' = 'en') => {
    const text = smallTableCsv(detail, table, locale)
    expect(text.startsWith(BOM)).toBe(true)
    return parseCsv(text.slice(1))
  }

  it('traffic, memory and statuses', () => {
    expect(rows('traffic')).toEqual([
      ['Bucket start (UTC+01:00)', 'PV', 'UV', 'UV exact', 'Bytes sent'],
      ['2024-01-01 11:00:00', '5', '3', 'no', '99'],
      // The hours with no request, at zero (as the charts draw them).
      ['2024-01-01 12:00:00', '0', '0', 'yes', '0'],
      ['2024-01-01 13:00:00', '0', '0', 'yes', '0'],
      ['2024-01-01 14:00:00', '2', '1', 'yes', '40'],
    ])
    expect(rows('memory')).toEqual([
      ['Time (s)', 'RSS bytes', 'JS heap bytes'],
      ['0.25', '50000000', '9000000'],
    ])
    expect(rows('statuses', 'zh-CN')).toEqual([
      ['状态码', '次数'],
      ['200', '4'],
      ['404', '1'],
    ])
  })

  it('top lists and invalid lines, neutralised', () => {
    expect(rows('paths')[1]).toEqual(['1', '\'=HYPERLINK("http://evil")', '2', '0'])
    expect(rows('agents')[1]).toEqual(['1', 'curl/8', '3', '1', 'yes'])
    expect(rows('referrers')[1]).toEqual(['1', "'-", '1', '0'])
    expect(rows('invalid')).toEqual([
      ['Reason code', 'Reason', 'Lines', 'Example line', 'File'],
      ['not_a_log_line', 'Not an access log line', '2', '<script>x</script>', 'access.log'],
      ['not_a_log_line', 'Not an access log line', '2', "'+1", "'=evil.log"],
    ])
    // Samples of an analysis stored before their files were kept.
    const old = { ...detail, invalid: [{ ...detail.invalid[0]!, sampleFiles: undefined }] }
    expect(parseCsv(smallTableCsv(old, 'invalid', 'en').slice(1))[1]).toEqual([
      'not_a_log_line',
      'Not an access log line',
      '2',
      '<script>x</script>',
      '',
    ])
  })
})
