// What a valid line leaves in the record (the aggregation engine's view), decodeText for
// display, and format detection.

import { describe, expect, it } from 'vitest'
import {
  CLIENT_IPV6,
  DETECT_LINES,
  LineRecord,
  VALID,
  decodeText,
  detectFileFormat,
  detectFormat,
} from '../../../src/engine/parser'
import { mustCompile } from './helpers'

function parse(spec: string, line: string | Buffer) {
  const buf = typeof line === 'string' ? Buffer.from(line) : line
  const rec = new LineRecord()
  const code = mustCompile(spec).parse(buf, 0, buf.length, rec)
  const text = (s: number, e: number): string | null =>
    s === e ? null : buf.toString('latin1', s, e)
  return {
    code,
    rec,
    client: text(rec.clientStart, rec.clientEnd),
    method: text(rec.methodStart, rec.methodEnd),
    path: text(rec.pathStart, rec.pathEnd),
    referer: text(rec.refererStart, rec.refererEnd),
    agent: text(rec.agentStart, rec.agentEnd),
  }
}

describe('record fields', () => {
  it('fills numbers and byte ranges of a combined line', () => {
    const r = parse(
      'combined',
      '2001:db8::7 - alice [10/Oct/2023:13:55:36 +0200] "POST /api/items?id=5&x=1 HTTP/1.1" 201 1234 "https://example.com/p?q=1" "Mozilla/5.0 (X11)"',
    )
    expect(r.code).toBe(VALID)
    expect(r.rec.clientKind).toBe(CLIENT_IPV6)
    expect(r.client).toBe('2001:db8::7')
    expect(r.rec.timeSec).toBe(Date.UTC(2023, 9, 10, 11, 55, 36) / 1000)
    expect(r.rec.tzOffsetMin).toBe(120)
    expect(r.rec.status).toBe(201)
    expect(r.rec.bytes).toBe(1234)
    expect([r.method, r.path, r.referer, r.agent]).toEqual([
      'POST',
      '/api/items',
      'https://example.com/p?q=1',
      'Mozilla/5.0 (X11)',
    ])
  })

  it('leaves ranges empty for `-` and for requests that are not METHOD TARGET', () => {
    const dash = parse('combined', '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "-" 408 - "-" "-"')
    expect(dash.code).toBe(VALID)
    expect([dash.method, dash.path, dash.referer, dash.agent, dash.rec.bytes]).toEqual([
      null,
      null,
      null,
      null,
      0,
    ])
    const tls = parse(
      'combined',
      '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "\\x16\\x03\\x01\\x00" 400 0 "-" "-"',
    )
    expect([tls.code, tls.method, tls.path]).toEqual([VALID, null, null])
    const noProto = parse(
      'common',
      'a.example - - [10/Oct/2023:13:55:36 +0000] "GET /ksc.html" 200 1',
    )
    expect([noProto.code, noProto.method, noProto.path]).toEqual([VALID, 'GET', '/ksc.html'])
    const twice = parse(
      'combined',
      '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET GET /x HTTP/1.1" 404 0 "-" "-"',
    )
    expect([twice.code, twice.method, twice.path]).toEqual([VALID, 'GET', 'GET'])
    const escaped = parse(
      'combined',
      '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET /a\\"b HTTP/1.1" 200 0 "-" "x\\"y"',
    )
    expect([escaped.code, escaped.path, escaped.agent]).toEqual([VALID, '/a\\"b', 'x\\"y'])
  })

  it('drops a trailing \\r and a UTF-8 BOM', () => {
    const r = parse(
      'combined',
      Buffer.from(
        '\ufeff192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "ua"\r',
      ),
    )
    expect([r.code, r.client, r.agent]).toEqual([VALID, '192.0.2.1', 'ua'])
  })
})

describe('decodeText', () => {
  const b = (s: string | number[]): Buffer =>
    typeof s === 'string' ? Buffer.from(s) : Buffer.from(s)

  it('decodes UTF-8, replacing invalid bytes, keeping \\xHH escapes as written', () => {
    const raw = b([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xff, 0x20, 0xc3, 0x28])
    expect(decodeText(raw, 0, raw.length)).toBe('café \ufffd \ufffd(')
    const esc = b('"\\x22quoted\\x22 \\xe4\\xe5"')
    expect(decodeText(esc, 1, esc.length - 1)).toBe('\\x22quoted\\x22 \\xe4\\xe5')
    expect(decodeText(b('line\r'), 0, 5)).toBe('line')
    expect(decodeText(b('abc'), 2, 2)).toBe('')
  })

  it('cuts to maxChars code points with an ellipsis, never inside a character', () => {
    const s = b('héllo wörld')
    expect(decodeText(s, 0, s.length, 20)).toBe('héllo wörld')
    expect(decodeText(s, 0, s.length, 11)).toBe('héllo wörld')
    expect(decodeText(s, 0, s.length, 10)).toBe('héllo wör…')
    expect(decodeText(s, 0, s.length, 1)).toBe('…')
    const emoji = b('😀😀😀😀')
    expect(decodeText(emoji, 0, emoji.length, 3)).toBe('😀😀…')
    expect(decodeText(emoji, 0, emoji.length, 4)).toBe('😀😀😀😀')
    const long = Buffer.alloc(1_000_000, 0x61)
    expect(decodeText(long, 0, long.length, 5)).toBe('aaaa…')
    const bad = Buffer.alloc(1000, 0xff)
    expect(decodeText(bad, 0, bad.length, 3)).toBe('\ufffd\ufffd…')
  })
})

describe('detectFormat', () => {
  const L = (s: string): Uint8Array => Buffer.from(s)
  const combined = '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "ua"'
  const common = '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5'

  it('scores every preset and picks the one that parses most lines', () => {
    const d = detectFormat([L(combined), L(''), L('   '), L(common), L(common)])
    expect(d.best).toBe('common')
    expect(d.scores).toEqual([
      { id: 'combined', valid: 1, total: 3 },
      { id: 'common', valid: 2, total: 3 },
      { id: 'vhost_combined', valid: 0, total: 3 },
      { id: 'combined_extra', valid: 1, total: 3 },
    ])
  })

  it('prefers the more specific preset on a tie, and says null when nothing parses', () => {
    expect(detectFormat([L(combined), L(combined)]).best).toBe('combined')
    expect(detectFormat([L(combined + ' 0.1')]).best).toBe('combined_extra')
    expect(detectFormat([L('hello'), L('\x00\x01')]).best).toBeNull()
    expect(detectFormat([]).best).toBeNull()
  })

  it(`looks at no more than ${DETECT_LINES} non-blank lines`, () => {
    const ls = [...Array(DETECT_LINES).fill(L(common)), ...Array(500).fill(L(combined))]
    const d = detectFormat(ls)
    expect(d.best).toBe('common')
    expect(d.scores[0]!.total).toBe(DETECT_LINES)
  })
})

describe('detectFileFormat (each file of a selection)', () => {
  const L = (s: string): Uint8Array => Buffer.from(s)
  const combined = '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "ua"'
  const common = '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 5'

  it("keeps another file's format when it parses the lines as well as the best preset", () => {
    // combined_extra reads plain combined lines too: a rotated set stays one format.
    expect(detectFileFormat([L(combined), L(combined)], ['combined_extra'])).toBe('combined_extra')
    expect(detectFileFormat([L(combined), L(combined)], [])).toBe('combined')
    expect(detectFileFormat([L(combined)], ['common', 'combined_extra'])).toBe('combined_extra')
  })

  it('picks the best preset when the formats chosen so far parse fewer lines', () => {
    expect(detectFileFormat([L(common), L(common)], ['combined'])).toBe('common')
    expect(detectFileFormat([L(combined + ' 0.1')], ['combined'])).toBe('combined_extra')
  })

  it('says null for a file no preset reads, undefined for one with no line to judge by', () => {
    expect(detectFileFormat([L('hello'), L('world')], ['combined'])).toBeNull()
    expect(detectFileFormat([L(''), L('  \r')], ['combined'])).toBeUndefined()
    expect(detectFileFormat([], [])).toBeUndefined()
  })
})
