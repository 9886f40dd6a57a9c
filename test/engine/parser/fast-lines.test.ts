// The WebAssembly line parser (wasm/fast-lines.ts) against the JavaScript parser it stands in
// for: every line it takes must parse as VALID in JavaScript, to the same fields and the same
// top-k hashes; it must split lines where JavaScript does; it must take the usual lines (or it
// buys nothing); and the embedded module must be built from the source in the repository.

import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hashBytes } from '../../../src/engine/aggregate/hash'
import { mergeTopK } from '../../../src/engine/aggregate/top-k'
import { LineRecord, VALID } from '../../../src/engine/parser'
import {
  FastLines,
  R_AGENT,
  R_BYTES_F64,
  R_END,
  R_IP,
  R_KIND,
  R_PATH,
  R_REFERER,
  R_START,
  R_STATUS,
  R_TIME_F64,
  R_TZ,
  R_V6,
  REC_WORDS,
} from '../../../src/engine/parser/fast-lines'
import { presetParser, type PresetId } from '../../../src/engine/parser/presets'
import { generateCombined } from './gen-lines'

const ROOT = resolve(__dirname, '../../..')
const REAL =
  process.env.LOGLENS_REAL_LOGS ?? resolve(__dirname, '../../../../shared/testdata/real-logs')
const PRESETS: PresetId[] = ['combined', 'common', 'vhost_combined', 'combined_extra']
const CHUNK = 256 << 10

interface Outcome {
  lines: number
  taken: number
  /** Of those, IPv6 clients. */
  v6: number
}

/**
 * Run the WebAssembly parser for `preset` over `text` (chunk by chunk, as the engine does) and
 * check every record against the JavaScript parser. Returns how many lines it took.
 */
function compare(preset: PresetId, text: Uint8Array): Outcome {
  const js = presetParser(preset)
  const fl = FastLines.create(js.fastShape, CHUNK)
  if (!fl) throw new Error('no WebAssembly here')
  const rec = new LineRecord()
  const out: Outcome = { lines: 0, taken: 0, v6: 0 }
  let from = 0
  while (from < text.length) {
    // Whole lines only, at most a chunk.
    let to = Math.min(text.length, from + CHUNK)
    if (to < text.length) to = text.lastIndexOf(10, to - 1) + 1
    if (to <= from) throw new Error('a line longer than a chunk')
    const buf = fl.buf
    buf.set(text.subarray(from, to), 0)
    // Stale bytes past the end must not be read as part of a line.
    buf.fill(0x20, to - from, Math.min(buf.length, to - from + 64))
    const end = to - from
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    const base = buf.byteOffset
    let pos = 0
    while (pos < end) {
      const n = fl.parse(buf, pos, end)
      expect(n).toBeGreaterThan(0)
      for (let r = 0; r < n; r++) {
        const w = fl.recordsWord + r * REC_WORDS
        const s = fl.i32[w + R_START]! - base
        const e = fl.i32[w + R_END]! - base
        // Lines split where JavaScript splits them.
        expect(s).toBe(pos)
        let nl = buf.indexOf(10, pos)
        if (nl < 0 || nl >= end) nl = end
        expect(e).toBe(nl)
        pos = e + 1
        out.lines++
        const kind = fl.i32[w + R_KIND]!
        if (kind === 0) continue
        out.taken++
        if (kind === 2) out.v6++
        const line = () => Buffer.from(buf.subarray(s, e)).toString('latin1')
        const verdict = js.parse(buf, s, e, rec)
        if (verdict !== VALID) throw new Error(`taken, but JavaScript says ${verdict}: ${line()}`)
        const d = w >> 1
        const got = {
          client:
            kind === 1
              ? [fl.i32[w + R_IP]! >>> 0]
              : [0, 1, 2, 3].map((k) => fl.i32[w + R_V6 + k]! >>> 0),
          time: fl.f64[d + R_TIME_F64],
          tz: fl.i32[w + R_TZ],
          status: fl.i32[w + R_STATUS],
          bytes: fl.f64[d + R_BYTES_F64],
          path: field(fl, w + R_PATH, base),
          referer: field(fl, w + R_REFERER, base),
          agent: field(fl, w + R_AGENT, base),
        }
        const want = {
          client:
            rec.clientKind === 0 ? [rec.ipv4] : rec.clientKind === 1 ? Array.from(rec.ipv6) : null,
          time: rec.timeSec,
          tz: rec.tzOffsetMin,
          status: rec.status,
          bytes: rec.bytes,
          path: jsField(view, buf, rec.pathStart, rec.pathEnd),
          referer: jsField(view, buf, rec.refererStart, rec.refererEnd),
          agent: jsField(view, buf, rec.agentStart, rec.agentEnd),
        }
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          expect({ line: line(), ...got }).toEqual({ line: line(), ...want })
        }
      }
    }
    from = to
  }
  return out
}

/** A text field of a record: [start, end, hash] relative to the buffer, or null when empty. */
function field(fl: FastLines, w: number, base: number): number[] | null {
  const s = fl.i32[w]!
  const e = fl.i32[w + 1]!
  return e > s ? [s - base, e - base, fl.i32[w + 2]!] : null
}

function jsField(view: DataView, buf: Uint8Array, s: number, e: number): number[] | null {
  return e > s ? [s, e, hashBytes(view, buf, s, e)] : null
}

/** `n` combined lines from one client at one second, each ending in `rest(i)` after the time. */
function logText(n: number, rest: (i: number) => string): Buffer {
  const head = '10.0.0.1 - - [10/Oct/2024:13:55:00 +0000] '
  return Buffer.from(Array.from({ length: n }, (_, i) => `${head}${rest(i)}\n`).join(''), 'latin1')
}

const combinedParser = (): FastLines => FastLines.create(presetParser('combined').fastShape, CHUNK)!

describe('WebAssembly line parser', () => {
  it('is built from wasm/fast-lines.ts as committed (scripts/build-wasm.mjs --check)', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-wasm.mjs'), '--check'])
    expect(out.toString()).toContain('up to date')
  }, 60_000)

  it('takes the usual lines of a generated log, as the JavaScript parser reads them', () => {
    const text = generateCombined(40_000, 7)
    const r = compare('combined', text)
    expect(r.lines).toBe(40_000)
    // Every line of it is a plain combined line: all taken, IPv6 clients too.
    expect(r.taken).toBe(40_000)
    expect(r.v6).toBeGreaterThan(1_000)
    // The same text through the other preset shapes: whatever it takes still agrees.
    for (const p of ['common', 'vhost_combined', 'combined_extra'] as const) compare(p, text)
  })

  it('agrees with the JavaScript parser on every line of the real logs, in every preset shape', () => {
    if (!existsSync(join(REAL, 'PROVENANCE.md'))) {
      console.warn(`skipped: no real logs at ${REAL}`)
      return
    }
    const taken: Record<string, number> = {}
    for (const f of readdirSync(REAL).filter((n) => n.endsWith('.gz'))) {
      const text = gunzipSync(readFileSync(join(REAL, f)))
      for (const p of PRESETS) {
        const r = compare(p, text)
        taken[`${f} ${p}`] = r.taken
      }
    }
    // The Apache combined log: 9,999 of its 10,000 lines are combined (PROVENANCE.md); all but
    // those with a backslash in a quoted field or an IPv6 client are taken.
    expect(taken['elastic_examples__apache_logs.gz combined']).toBeGreaterThan(9_900)
    // The vhost log in its own shape.
    expect(
      taken['lovecoding1987_sample_logs__other_vhosts_access.log.5.gz vhost_combined'],
    ).toBeGreaterThan(2_000)
    // NASA 1995 (common, mostly hostnames): some dotted quads are taken as common.
    expect(taken['Hurence_logisland-quickstarts__access.log.gz common']).toBeGreaterThan(0)
  })

  it('agrees with the JavaScript parser on near misses of every field', () => {
    const ok =
      '203.0.113.5 - - [10/Oct/2023:13:55:36 +0000] "GET /a?x=1 HTTP/1.1" 200 2326 "r" "ua"'
    const swap = (from: string, to: string): string => {
      if (!ok.includes(from)) throw new Error(from)
      return ok.replace(from, to)
    }
    const lines = [
      ok,
      ok + '\r',
      ok + '\r\r',
      ok + ' 0.005',
      ok + '\t"x"',
      ok + 'x',
      ...[
        '256.0.113.5',
        '203.0.113',
        '203.0.113.5.6',
        '203.000.113.05',
        '203.0.113.5,198.51.100.1',
        '2001:db8::1',
        '2001:DB8:0:0:0:0:2:1',
        '1:2:3:4:5:6:7:8',
        '1:2:3:4:5:6:7:8:9',
        '1:2:3:4:5:6:7',
        '1::2:3:4:5:6:7',
        '1::2:3:4:5:6:7:8',
        '::',
        '::1',
        '1::',
        ':1::',
        '1:',
        ':1',
        '1::2::3',
        '::1::2',
        '12345::1',
        '0001:0db8::0000',
        '::ffff:c000:201',
        '::ffff:192.0.2.1',
        '::fffe:c000:201',
        'fe80::1%eth0',
        '[2001:db8::1]',
        '2001:db8::1,10.0.0.1',
        'abcd',
        'beef:cafe',
        'g::1',
      ].map((ip) => swap('203.0.113.5', ip)),
      swap(' - - ', ' - bob '),
      swap(' - - ', ' id bob '),
      swap(' - - ', ' -  '),
      swap(' - - ', '  - '),
      ...[
        '30/Feb/2023:13:55:36 +0000',
        '29/Feb/2023:13:55:36 +0000',
        '29/Feb/2024:13:55:36 +0000',
        '29/Feb/1900:13:55:36 +0000',
        '31/Apr/2023:13:55:36 +0000',
        '00/Oct/2023:13:55:36 +0000',
        '10/oct/2023:13:55:36 +0000',
        '10/OCT/2023:13:55:36 +0000',
        '10/Oct/0000:13:55:36 +0000',
        '10/Oct/0001:13:55:36 +0000',
        '10/Oct/2023:24:55:36 +0000',
        '10/Oct/2023:13:60:36 +0000',
        '10/Oct/2023:13:55:60 +0000',
        '10/Oct/2023:13:55:61 +0000',
        '10/Oct/2023:13:55:36 +2400',
        '10/Oct/2023:13:55:36 +0060',
        '10/Oct/2023:13:55:36 -1359',
        '10/Oct/2023:13:55:36 *0000',
        '10/Oct/2023 13:55:36 +0000',
      ].map((t) => swap('10/Oct/2023:13:55:36 +0000', t)),
      ...[
        '"-"',
        '""',
        '"GET /"',
        '"GET / HTTP/1.1 x"',
        '"GET /a?"',
        '"GET  /a HTTP/1.1"',
        '"GET /a HTTP/1.1 "',
        '"GET /a\\" HTTP/1.1"',
        '"GET /a?b=\\"c HTTP/1.1"',
        '"GET /a HTTPS/1.1"',
        '"GET /a HTTP/1.1\\"',
      ].map((r) => swap('"GET /a?x=1 HTTP/1.1"', r)),
      swap('"GET /a?x=1 HTTP/1.1" ', '"GET /a  '),
      swap('"GET /a?x=1 HTTP/1.1" ', '"GET /a?x  '),
      swap('"GET /a?x=1 HTTP/1.1" ', '"GET /a HTTP/1.1  '),
      ...[' 099 ', ' 000 ', ' 1000 ', ' 20 ', ' 2x0 '].map((st) => swap(' 200 ', st)),
      ...[' -', ' 0', ' 123456789012345', ' 1234567890123456', ' -1', ' 12-'].map((b) =>
        swap(' 2326', b),
      ),
      ...[
        '"r\\" "ua"',
        '"r\\"x" "ua"',
        '"\\\\" "ua"',
        '"r" "ua\\"',
        '"r" "ua\\" x"',
        '"r" "u\\"a"',
        '"-" "-"',
        '"" ""',
        '"r" "ua',
        '"r"  "ua"',
        '"r" "-"x',
        '"r\\ "ua"',
        '"r" "ua\\',
        '"r\\ "ua\\',
      ].map((t) => swap('"r" "ua"', t)),
    ]
    const text = Buffer.from(lines.join('\n') + '\n', 'latin1')
    for (const p of PRESETS) compare(p, text)
    // The lines it must take: the same as JavaScript's fast path would.
    expect(compare('combined', Buffer.from(ok + '\n')).taken).toBe(1)
    expect(compare('combined', Buffer.from(ok + '\r\n')).taken).toBe(1)
    expect(compare('combined_extra', Buffer.from(ok + ' 0.005\n')).taken).toBe(1)
  })

  it('agrees with the JavaScript parser on mutated lines (structure bytes, CR, cut lines)', () => {
    const seeds = [
      '203.0.113.5 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html?x=1 HTTP/1.1" 200 2326 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"',
      '198.51.100.7 - bob [29/Feb/2024:23:59:59 -0930] "POST /api/v1/items HTTP/2.0" 201 - "-" "curl/8.0"',
      '192.0.2.1 - - [01/Jul/1995:00:00:01 -0400] "GET /ksc.html" 200 7074',
      'example.com:443 192.0.2.11 - - [26/Nov/2020:21:16:29 +0000] "GET / HTTP/1.1" 408 0 "-" "-"',
      '10.1.2.3 - - [07/Dec/2016:11:05:07 +0100] "GET /o HTTP/1.1" 200 571 "" "" 0.005 "x"',
      '1.196.116.32 ident user [31/Dec/9999:23:59:59 +2359] "GET /a?b=%22 HTTP/1.0" 599 123456789012345 "r" "a"',
    ]
    const special = [32, 34, 92, 91, 93, 45, 46, 58, 47, 63, 48, 57, 13, 9, 10, 0, 0xff, 72]
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...special))
    const mutation = fc.record({
      at: fc.nat(),
      b: byte,
      k: fc.constantFrom('set', 'ins', 'del', 'cut'),
    })
    const lineArb = fc
      .tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 4 }))
      .map(([s, ms]) => {
        let a = Array.from(Buffer.from(s))
        for (const m of ms) {
          const at = m.at % (a.length + 1)
          if (m.k === 'set' && at < a.length) a[at] = m.b
          else if (m.k === 'ins') a.splice(at, 0, m.b)
          else if (m.k === 'del') a.splice(at, 1)
          else if (m.k === 'cut') a = a.slice(0, at)
        }
        return a
      })
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), (lines) => {
        const text = Buffer.from(lines.flatMap((l) => [...l, 10]))
        for (const p of PRESETS) compare(p, text)
      }),
      { numRuns: 400, seed: 20261206 },
    )
  })

  it('sums the offers of a call per text, and its summaries keep Space-Saving’s guarantee', () => {
    // 6,000 distinct paths on a long tail (12 times the summaries' capacity), three agents, in a
    // scattered order: many texts repeat within a call of 1,024 lines, and the tail evicts.
    const paths: string[] = []
    for (let k = 0; k < 6000; k++) {
      const n = Math.max(1, Math.floor(4000 / Math.pow(k + 1, 1.1)))
      for (let i = 0; i < n; i++) paths.push(`/page/${k}`)
    }
    let seed = 11
    for (let i = paths.length - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      const j = seed % (i + 1)
      ;[paths[i], paths[j]] = [paths[j]!, paths[i]!]
    }
    const agents = ['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64)', 'python-requests/2.31.0']
    const lines = paths.map(
      (p, i) =>
        `10.0.${(i >> 8) & 255}.${i & 255} - - [10/Oct/2024:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET ${p} HTTP/1.1" 200 ${i % 999} "-" "${agents[i % 3]}"\n`,
    )
    const fl = combinedParser()
    let taken = 0
    for (let from = 0; from < lines.length;) {
      // Whole lines, at most a chunk's bytes, read into the module's buffer as the reader does.
      let bytes = 0
      let to = from
      while (to < lines.length && bytes + lines[to]!.length <= CHUNK) bytes += lines[to++]!.length
      const text = Buffer.from(lines.slice(from, to).join(''), 'latin1')
      fl.buf.set(text, 0)
      for (let pos = 0; pos < text.length;) {
        const n = fl.parse(fl.buf, pos, text.length)
        for (let r = 0; r < n; r++) if (fl.i32[fl.recordsWord + r * REC_WORDS + R_KIND]) taken++
        pos = fl.i32[fl.recordsWord + (n - 1) * REC_WORDS + R_END]! - fl.buf.byteOffset + 1
      }
      from = to
    }
    expect(taken).toBe(lines.length)
    const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1')
    const truth = new Map<string, number>()
    for (const p of paths) truth.set(p, (truth.get(p) ?? 0) + 1)
    const data = fl.top.path.toData(dec)
    const n = paths.length
    expect(data.total).toBe(n)
    // The counts of a full summary add up to N (every offer counted once, weights included).
    expect(data.counts.reduce((a, b) => a + b, 0)).toBe(n)
    const { entries } = mergeTopK([data], 500)
    expect(entries.length).toBe(data.capacity)
    for (const e of entries) {
      const t = truth.get(e.key) ?? 0
      expect(e.count).toBeGreaterThanOrEqual(t)
      expect(e.count - e.error).toBeLessThanOrEqual(t)
      expect(e.error).toBeLessThanOrEqual(n / data.capacity)
    }
    const trueTop = [...truth.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
    expect(entries.slice(0, 10).map((e) => [e.key, e.count - e.error])).toEqual(trueTop)
    // Texts that fit are counted exactly.
    const byAgent = mergeTopK([fl.top.agent.toData(dec)], 10).entries
    expect(byAgent.map((e) => [e.key, e.count, e.error]).sort()).toEqual(
      agents.map((a, k) => [a, Math.ceil((n - k) / 3), 0]).sort(),
    )
  })

  it('passes on its sums when one call holds more distinct texts than it can sum', () => {
    // 1,024 lines (one call), every path, agent and referrer distinct: 3,072 texts, over the
    // 1,024 a call sums before it hands them on; then the same lines again.
    const text = logText(
      2048,
      (i) =>
        `"GET /p${i % 1024} HTTP/1.1" 200 1 "https://r${i % 1024}.example/" "agent-${i % 1024}"`,
    )
    const fl = combinedParser()
    fl.buf.set(text, 0)
    expect(fl.parse(fl.buf, 0, text.length)).toBe(1024)
    const pos = fl.i32[fl.recordsWord + 1023 * REC_WORDS + R_END]! - fl.buf.byteOffset + 1
    expect(fl.parse(fl.buf, pos, text.length)).toBe(1024)
    const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1')
    for (const [name, prefix] of [
      ['path', '/p'],
      ['agent', 'agent-'],
      ['referrer', 'https://r'],
    ] as const) {
      const d = fl.top[name].toData(dec)
      expect(d.total).toBe(2048)
      // 1,024 texts in a summary of 500: each twice, the kept ones with their error bound.
      expect(d.counts.reduce((a, b) => a + b, 0)).toBe(2048)
      for (let k = 0; k < d.size; k++) {
        expect(d.labels[k]!.startsWith(prefix)).toBe(true)
        expect(d.counts[k]! - d.errors[k]!).toBeLessThanOrEqual(2)
        expect(d.counts[k]!).toBeGreaterThanOrEqual(2)
      }
    }
  })

  it('tells apart texts of the same length, start and end that differ inside', () => {
    // A call's sums are keyed by a text's hash and length: these must stay apart.
    const agents = [120, 121, 122].map(
      (v) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/${v}.0.0.0 Safari/537.36`,
    )
    const paths = ['/aaaa/1/zzzz', '/aaaa/2/zzzz', '/aaaa/3/zzzz']
    const text = logText(
      900,
      (i) => `"GET ${paths[(i * 7) % 3]} HTTP/1.1" 200 1 "-" "${agents[i % 3]}"`,
    )
    const r = compare('combined', text)
    expect(r.taken).toBe(900)
    const fl = combinedParser()
    fl.buf.set(text, 0)
    expect(fl.parse(fl.buf, 0, text.length)).toBe(900)
    const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1')
    for (const [name, texts] of [
      ['agent', agents],
      ['path', paths],
    ] as const) {
      const got = mergeTopK([fl.top[name].toData(dec)], 10).entries
      expect(got.map((e) => [e.key, e.count, e.error]).sort()).toEqual(
        texts.map((t) => [t, 300, 0]).sort(),
      )
    }
  })

  it('keys every summary by the text’s hash and length, as the JavaScript path does', () => {
    // A text counted by either path (a line the module leaves to JavaScript offers through
    // hash.ts) must be one entry of its summary: same (hash, length) in all three summaries.
    const path = '/catalog/items?page=2'
    const referrer = 'https://example.org/search?q=logs'
    const agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/121.0'
    const text = logText(50, () => `"GET ${path} HTTP/1.1" 200 1 "${referrer}" "${agent}"`)
    const fl = combinedParser()
    fl.buf.set(text, 0)
    expect(fl.parse(fl.buf, 0, text.length)).toBe(50)
    const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1')
    for (const [name, t] of [
      ['path', '/catalog/items'],
      ['referrer', referrer],
      ['agent', agent],
    ] as const) {
      const b = Buffer.from(t, 'latin1')
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
      const d = fl.top[name].toData(dec)
      expect([d.size, d.labels[0], d.counts[0]]).toEqual([1, t, 50])
      expect([d.keysLo[0], d.keysHi[0]]).toEqual([hashBytes(view, b, 0, b.length), b.length])
    }
  })
})
