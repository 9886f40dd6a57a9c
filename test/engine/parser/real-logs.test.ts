// The public logs in /work/shared/testdata/real-logs, with the counts of their PROVENANCE.md.
// Set LOGLENS_REAL_LOGS to another folder holding the same files; skipped when absent.

import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { LineRecord, VALID, clientKeyString, detectFormat } from '../../../src/engine/parser'
import { CompiledParser } from '../../../src/engine/parser/machine'
import { PRESETS } from '../../../src/engine/parser/presets'
import type { PresetId } from '../../../src/engine/parser/presets'
import { parseSpec } from '../../../src/engine/parser/spec'
import { count, lineRanges, mustCompile } from './helpers'

const DIR =
  process.env.LOGLENS_REAL_LOGS ?? resolve(__dirname, '../../../../shared/testdata/real-logs')
const present = existsSync(join(DIR, 'PROVENANCE.md'))

function load(name: string): Buffer {
  return gunzipSync(readFileSync(join(DIR, name + '.gz')))
}

interface RealCase {
  file: string
  format: string
  lines: number
  pv: number
  uv: number
  reasons?: Record<string, number>
  statuses: Record<number, number>
  bodyBytes?: number
  detect?: string
}

const CASES: RealCase[] = [
  {
    file: 'elastic_examples__apache_logs',
    format: 'combined',
    lines: 10_000,
    pv: 9_999,
    uv: 1_753,
    reasons: { truncated: 1 }, // line 8,899 ends inside the user agent
    statuses: { 200: 9125, 304: 445, 404: 213, 301: 164, 206: 45, 500: 3, 403: 2, 416: 2 },
    bodyBytes: 2_747_282_505,
    detect: 'combined',
  },
  {
    file: 'Hurence_logisland-quickstarts__access.log',
    format: 'common',
    lines: 4_000,
    pv: 4_000,
    uv: 416,
    statuses: { 200: 3566, 304: 216, 302: 193, 404: 25 },
    detect: 'common',
  },
  {
    file: 'tah-chag_ApacheLogs__nginx_access.log',
    format: 'combined',
    lines: 1_945,
    pv: 1_945,
    uv: 397,
    statuses: {
      200: 1043,
      404: 423,
      400: 345,
      301: 38,
      405: 33,
      204: 24,
      304: 18,
      201: 15,
      403: 4,
      413: 2,
    },
    detect: 'combined',
  },
  {
    file: 'BCE-yMPyT_log_analizer__access.log.5',
    format: 'combined',
    lines: 50_812,
    pv: 50_812,
    uv: 3_653,
    statuses: {
      200: 49189,
      304: 1054,
      499: 359,
      502: 71,
      204: 37,
      504: 35,
      302: 29,
      500: 18,
      404: 7,
      301: 7,
      400: 4,
      101: 2,
    },
    bodyBytes: 3_361_610_873,
    detect: 'combined',
  },
  {
    file: 'lovecoding1987_sample_logs__other_vhosts_access.log.5',
    format: 'vhost_combined',
    lines: 2_582,
    pv: 2_582,
    uv: 67,
    statuses: { 200: 2083, 304: 149, 400: 94, 403: 92, 404: 65, 302: 48, 408: 44, 204: 4, 500: 3 },
    detect: 'vhost_combined',
  },
  {
    file: 'hanXen_honeypot_log__access.log.1',
    format: `log_format x '$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $server_port';`,
    lines: 5_255,
    pv: 5_255,
    uv: 353,
    statuses: { 400: 4604, 404: 582, 403: 40, 200: 28, 405: 1 },
  },
  {
    file: 'WeirdIdea_OTUS_01__nginx-access-ui.log-20170630',
    format: `log_format ui_short '$remote_addr  $remote_user $http_x_real_ip [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent" "$http_x_forwarded_for" "$http_X_REQUEST_ID" "$http_X_RB_USER" '
                    '$request_time';`,
    lines: 49,
    pv: 49,
    uv: 16,
    statuses: { 200: 43, 404: 5, 302: 1 },
  },
]

describe.skipIf(!present)(`real logs (${DIR})`, () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.pv} valid of ${c.lines}, ${c.uv} clients`, () => {
      const buf = load(c.file)
      const parser = mustCompile(c.format)
      const got = count(buf, parser)
      expect(got.lines).toBe(c.lines)
      expect(got.pv).toBe(c.pv)
      expect(got.uv).toBe(c.uv)
      expect(got.reasons).toEqual(c.reasons ?? {})

      const rec = new LineRecord()
      const statuses: Record<number, number> = {}
      let bytes = 0
      for (const [s, e] of lineRanges(buf)) {
        if (parser.parse(buf, s, e, rec) !== VALID) continue
        statuses[rec.status] = (statuses[rec.status] ?? 0) + 1
        bytes += rec.bytes
      }
      expect(statuses).toEqual(c.statuses)
      if (c.bodyBytes !== undefined) expect(bytes).toBe(c.bodyBytes)
    })
    if (c.detect) {
      it(`${c.file}: detected as ${c.detect}`, () => {
        const buf = load(c.file)
        const ls = lineRanges(buf)
          .slice(0, 500)
          .map(([s, e]) => buf.subarray(s, e))
        expect(detectFormat(ls).best).toBe(c.detect)
      })
    }
  }

  it('the honeypot and OTUS formats are no preset: detection finds none', () => {
    for (const f of [
      'hanXen_honeypot_log__access.log.1',
      'WeirdIdea_OTUS_01__nginx-access-ui.log-20170630',
    ]) {
      const buf = load(f)
      const ls = lineRanges(buf).map(([s, e]) => buf.subarray(s, e))
      expect(detectFormat(ls).best).toBeNull()
    }
  })

  it('filebeat edge cases: client lists, IPv6, a trailing field, an empty request', () => {
    const buf = load('elastic_beats__filebeat_nginx_access_test.log')
    const rec = new LineRecord()
    const extra = mustCompile('combined_extra')
    const keys = lineRanges(buf).map(([s, e]) =>
      extra.parse(buf, s, e, rec) === VALID ? clientKeyString(buf, rec) : null,
    )
    expect(keys).toEqual([
      '10.0.0.2', // 10.0.0.2, 10.0.0.1, 127.0.0.1: all private, the first
      '172.17.0.1', // followed by an extra "-" field
      '85.181.35.98', // the first public address of the list
      '85.181.35.98',
      '199.96.1.1', // "10.5.102.222, 199.96.1.1, 204.246.1.1" 10.2.1.185
      '2a03:0:10ff:f00f::8000', // 2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121
      '127.0.0.1', // "" request, 400
    ])
    const combined = count(buf, mustCompile('combined'))
    // as combined, line 2 (172.17.0.1, trailing "-") is invalid: the other 5 keys above
    expect(combined).toMatchObject({ lines: 7, pv: 6, invalid: 1, uv: 5 })
    expect(combined.reasons).toEqual({ unexpected_text: 1 })
  })

  // The preset fast path (fast.ts) and the general machine must agree on every line.
  for (const [file, id] of [
    ['elastic_examples__apache_logs', 'combined'],
    ['BCE-yMPyT_log_analizer__access.log.5', 'combined'],
    ['tah-chag_ApacheLogs__nginx_access.log', 'combined'],
    ['lovecoding1987_sample_logs__other_vhosts_access.log.5', 'vhost_combined'],
    ['Hurence_logisland-quickstarts__access.log', 'common'],
    ['elastic_beats__filebeat_nginx_access_test.log', 'combined_extra'],
  ] as const) {
    it(`${file}: the ${id} fast path and the general machine give the same records`, () => {
      const buf = load(file)
      const fast = mustCompile(id)
      const spec = parseSpec(PRESETS[id as PresetId].apache ?? PRESETS.combined.apache!)
      if (!spec.ok) throw new Error(spec.error)
      const elems =
        id === 'combined_extra'
          ? [...spec.elems, { t: 'field' as const, kind: 'rest' as const, name: '…' }]
          : spec.elems
      const slow = new CompiledParser(id, id, elems)
      const a = new LineRecord()
      const b = new LineRecord()
      let n = 0
      for (const [s, e] of lineRanges(buf)) {
        const ra = fast.parse(buf, s, e, a)
        const rb = slow.parse(buf, s, e, b)
        expect(ra).toBe(rb)
        if (ra === VALID) expect(a).toEqual(b)
        n++
      }
      expect(n).toBeGreaterThan(0)
    })
  }
})
