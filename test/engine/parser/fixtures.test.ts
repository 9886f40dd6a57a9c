// Hand-written fixtures (test/fixtures/logs): one per item of the "Log parsing" issue. Every
// expected number below was counted by hand from the fixture's lines (line numbers in the
// comments are 1-based lines of the file), not taken from a parser run.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectFormat } from '../../../src/engine/parser'
import { count, lineRanges, mustCompile } from './helpers'
import type { Counts } from './helpers'

const DIR = join(__dirname, '../../fixtures/logs')

const HOST_PREFIX_FORMAT = `log_format x '$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $server_port';`
const OTUS_FORMAT = `log_format ui_short '$remote_addr  $remote_user $http_x_real_ip [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent" "$http_x_forwarded_for" "$http_X_REQUEST_ID" "$http_X_RB_USER" '
                    '$request_time';`
const ISO_FORMAT =
  '$remote_addr [$time_iso8601] "$request" $status $bytes_sent $request_time "$http_x_forwarded_for"'
const APACHE_FORMAT =
  'LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %D" combined_time'

interface Case {
  file: string
  format: string
  expected: Counts
  /** The preset detection must pick (preset-format files only). */
  detect?: string
}

const CASES: Case[] = [
  {
    // 1-2 203.0.113.5 (A) · 3-4 198.51.100.7 (B, +0800 / -0500, bytes `-`) · 5-7 2001:db8::1 in
    // three spellings (C) · 8-9 ::ffff:192.0.2.33 and 192.0.2.33 (D) · 10 `-` request (E) ·
    // 11 TLS bytes as \xHH (F) · 12 "GET GET" (G) · 13 no HTTP/x (H) · 14 empty request (I) ·
    // 15 + 17 one hostname in two cases (J); line 16 is blank.
    // Invalid, one of each: 18 truncated, 19 bad time, 20 bad status, 21 bad bytes,
    // 22 not a log line, 23 unquoted request, 24 client `<script>…`, 25 a trailing field.
    file: 'combined.log',
    format: 'combined',
    expected: {
      lines: 24,
      pv: 16,
      uv: 10,
      invalid: 8,
      reasons: {
        truncated: 1,
        bad_time: 1,
        bad_status: 1,
        bad_bytes: 1,
        not_a_log_line: 1,
        bad_request: 1,
        bad_client: 1,
        unexpected_text: 1,
      },
    },
    // line 25 parses as combined_extra (a trailing field), so that preset parses one more line
    detect: 'combined_extra',
  },
  {
    // 1, 7 199.72.81.55 · 2-3 unicomp6.unicomp.net in two cases · 4 burger · 5 columbia (no
    // HTTP/x) · 6 d104 (bytes `-`) · 8 ppp-mia-30 → 6 clients.
    // 9 a combined line (text after the bytes), 10 cut inside the time, 11 `bad_host!name`.
    file: 'common.log',
    format: 'common',
    expected: {
      lines: 11,
      pv: 8,
      uv: 6,
      invalid: 3,
      reasons: { unexpected_text: 1, truncated: 1, bad_client: 1 },
    },
    detect: 'common',
  },
  {
    // 1-2 192.0.2.10 · 3 188.43.235.177 (`-` 408) · 4-5 ::1 in two spellings · 6 192.0.2.11.
    // 7 has no vhost prefix (not a log line of this format), 8 status 2000.
    file: 'vhost_combined.log',
    format: 'vhost_combined',
    expected: {
      lines: 8,
      pv: 6,
      uv: 4,
      invalid: 2,
      reasons: { not_a_log_line: 1, bad_status: 1 },
    },
    detect: 'vhost_combined',
  },
  {
    // 1-2 192.0.2.1 (extra fields: times, a quoted XFF) · 3 192.0.2.2 · 4 192.0.2.3 (no extra).
    // 5 text glued to the agent's quote, 6 ends after the referrer.
    file: 'combined_extra.log',
    format: 'combined_extra',
    expected: {
      lines: 6,
      pv: 4,
      uv: 3,
      invalid: 2,
      reasons: { unexpected_text: 1, truncated: 1 },
    },
    detect: 'combined_extra',
  },
  {
    // $host first: 1 empty host (line starts with a space) 218.92.0.208 · 2 172.104.92.166 ·
    // 3 host `_`, 218.92.0.208 again · 4 198.51.100.20 → 3 clients. 5 lacks $server_port.
    file: 'nginx-host-prefix.log',
    format: HOST_PREFIX_FORMAT,
    expected: { lines: 5, pv: 4, uv: 3, invalid: 1, reasons: { truncated: 1 } },
  },
  {
    // The OTUS format has two spaces after $remote_addr; its lines have one there and two after
    // $remote_user (1, 2), or two in both places (3). 1, 3: 1.196.116.32 · 2: 1.99.174.176.
    // 4 lacks $request_time.
    file: 'nginx-otus.log',
    format: OTUS_FORMAT,
    expected: { lines: 4, pv: 3, uv: 2, invalid: 1, reasons: { truncated: 1 } },
  },
  {
    // 1-2 192.0.2.1 (+00:00, +08:00, bytes `-`) · 3 192.0.2.2 (Z) · 4 month 13.
    file: 'nginx-iso8601.log',
    format: ISO_FORMAT,
    expected: { lines: 4, pv: 3, uv: 2, invalid: 1, reasons: { bad_time: 1 } },
  },
  {
    // 1-2 192.0.2.1 · 3 2001:db8::ff00:42:8329 (bytes `-`) · 4 192.0.2.9 with Apache \" and \\
    // escapes in request and agent. 5 lacks %D.
    file: 'apache-custom.log',
    format: APACHE_FORMAT,
    expected: { lines: 5, pv: 4, uv: 3, invalid: 1, reasons: { truncated: 1 } },
  },
  {
    // 1 \x22 in request and agent (192.0.2.1) · 2 binary request (192.0.2.2) · 3 \xHH referrer
    // (192.0.2.3) · 4 Apache \" in the agent, 5 an escaped backslash before the closing quote
    // (both 192.0.2.4). 6: its only closing quote is escaped, so the agent never ends.
    file: 'escapes.log',
    format: 'combined',
    expected: { lines: 6, pv: 5, uv: 4, invalid: 1, reasons: { truncated: 1 } },
    detect: 'combined',
  },
  {
    // CRLF endings. 1-2 192.0.2.1 · 3 is blank (only \r) · 4 192.0.2.2 · 5 ends after the status.
    file: 'crlf.log',
    format: 'combined',
    expected: { lines: 4, pv: 3, uv: 2, invalid: 1, reasons: { truncated: 1 } },
    detect: 'combined',
  },
  {
    // Raw invalid UTF-8 in 1 (192.0.2.1) and 2 (192.0.2.2); 3 is two stray bytes and a word;
    // 4 starts with a UTF-8 BOM (192.0.2.3).
    file: 'invalid-utf8.log',
    format: 'combined',
    expected: { lines: 4, pv: 3, uv: 3, invalid: 1, reasons: { not_a_log_line: 1 } },
    detect: 'combined',
  },
  {
    // Client lists: the first public address, else the first address.
    // 1 10.0.0.2 (all private) · 2-3 85.181.35.98 · 4 quoted XFF then 10.2.1.185 → 199.96.1.1 ·
    // 5 2a03:0:10ff:f00f::8000 · 6 `unknown, 203.0.113.50` → 203.0.113.50 · 7 10.0.0.3 → 6.
    // 8 a list with `-` as its second item.
    file: 'xff.log',
    format: 'combined',
    expected: { lines: 8, pv: 7, uv: 6, invalid: 1, reasons: { bad_client: 1 } },
    detect: 'combined',
  },
]

describe('fixture logs', () => {
  for (const c of CASES) {
    it(`${c.file}: PV ${c.expected.pv}, UV ${c.expected.uv}, invalid ${c.expected.invalid}`, () => {
      const buf = readFileSync(join(DIR, c.file))
      const got = count(buf, mustCompile(c.format))
      expect(got).toEqual(c.expected)
      expect(got.pv + got.invalid).toBe(got.lines)
    })
    if (c.detect) {
      it(`${c.file}: detected as ${c.detect}`, () => {
        const buf = readFileSync(join(DIR, c.file))
        const ls = lineRanges(buf).map(([s, e]) => buf.subarray(s, e))
        expect(detectFormat(ls).best).toBe(c.detect)
      })
    }
  }
})
