// Property tests: random bytes and random mutations of valid lines never make the parser
// throw, hang or answer outside its codes; every line is valid or invalid (PV + invalid =
// lines); a line parses the same wherever it sits in a buffer (the fast path looks ahead past
// `end`); and the preset fast path agrees with the general machine.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INVALID_REASONS } from '../../../src/shared/types'
import { LineRecord, PRESET_IDS, VALID } from '../../../src/engine/parser'
import type { LineParser } from '../../../src/engine/parser'
import { CompiledParser } from '../../../src/engine/parser/machine'
import { PRESETS } from '../../../src/engine/parser/presets'
import type { PresetId } from '../../../src/engine/parser/presets'
import { parseSpec } from '../../../src/engine/parser/spec'
import { count, mustCompile } from './helpers'

const CUSTOM = [
  `log_format x '$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $server_port';`,
  `'$remote_addr  $remote_user $http_x_real_ip [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time'`,
  '$remote_addr [$time_iso8601] "$request" $status $bytes_sent $request_time "$http_x_forwarded_for"',
  '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %D',
  '$msec $remote_addr $request_method $request_uri $status',
]

const PARSERS: LineParser[] = [
  ...PRESET_IDS.map((id) => mustCompile(id)),
  ...CUSTOM.map((f) => mustCompile(f)),
]

/** The general machine for a preset, without the fast path. */
function slowPreset(id: PresetId): LineParser {
  const spec = parseSpec(PRESETS[id].apache ?? PRESETS.combined.apache!)
  if (!spec.ok) throw new Error(spec.error)
  const elems =
    id === 'combined_extra'
      ? [...spec.elems, { t: 'field' as const, kind: 'rest' as const, name: '…' }]
      : spec.elems
  return new CompiledParser(id, id, elems)
}

const SEEDS = [
  '203.0.113.5 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html?x=1 HTTP/1.1" 200 2326 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)"',
  '2001:db8::1 - bob [10/Oct/2023:13:55:37 +0800] "POST /api HTTP/2.0" 201 - "-" "curl/8.0"',
  'host.example.org - - [01/Jul/1995:00:00:01 -0400] "GET /ksc.html" 200 7074',
  'example.com:443 192.0.2.11 - - [26/Nov/2020:21:16:29 +0000] "-" 408 0 "-" "-"',
  '10.0.0.2, 10.0.0.1, 85.181.35.98 - - [07/Dec/2016:11:05:07 +0100] "GET /o HTTP/1.1" 200 571 "-" "UA \\"q\\" \\x22" 0.005',
  ' 218.92.0.208 - - [01/Apr/2019:06:25:09 +0000] "SSH-2.0-PUTTY" 400 182 "-" "-" 22',
  '192.0.2.1 [2023-10-10T21:55:36+08:00] "GET /a HTTP/1.1" 200 - 0.012 "198.51.100.1"',
  '1.196.116.32 -  - [29/Jun/2017:03:50:22 +0300] "GET /api HTTP/1.1" 200 927 "-" "Lynx" 0.390',
  '1700000000.123 192.0.2.7 GET /p?q=1 200',
]

/** Bytes that matter to the grammar, to make mutations hit structure. */
const INTERESTING = [32, 34, 92, 91, 93, 45, 46, 58, 44, 47, 63, 48, 57, 13, 0, 9, 0xff, 0xc3, 120]

const byteArb = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...INTERESTING))

type Mutation =
  | { k: 'set'; at: number; b: number }
  | { k: 'ins'; at: number; b: number[] }
  | { k: 'del'; at: number; n: number }
  | { k: 'cut'; at: number }
  | { k: 'dup'; at: number; n: number }

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant('set' as const), at: fc.nat(), b: byteArb }),
  fc.record({
    k: fc.constant('ins' as const),
    at: fc.nat(),
    b: fc.array(byteArb, { maxLength: 6 }),
  }),
  fc.record({ k: fc.constant('del' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('dup' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 30 }) }),
)

function mutate(line: Uint8Array, ms: Mutation[]): Uint8Array {
  let a = Array.from(line)
  for (const m of ms) {
    const at = a.length === 0 ? 0 : m.at % (a.length + 1)
    if (m.k === 'set' && at < a.length) a[at] = m.b
    else if (m.k === 'ins') a.splice(at, 0, ...m.b)
    else if (m.k === 'del') a.splice(at, m.n)
    else if (m.k === 'cut') a = a.slice(0, at)
    else if (m.k === 'dup') a.splice(at, 0, ...a.slice(at, at + m.n))
  }
  return Uint8Array.from(a)
}

const lineArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.array(byteArb, { maxLength: 300 }).map((a) => Uint8Array.from(a)),
  fc
    .tuple(fc.constantFrom(...SEEDS), fc.array(mutationArb, { minLength: 1, maxLength: 5 }))
    .map(([s, ms]) => mutate(Buffer.from(s), ms)),
)

/** The record a valid line produced, with ranges relative to the line start. */
function snapshot(rec: LineRecord, base: number): unknown {
  const rel = (n: number, m: number): [number, number] => (n === m ? [0, 0] : [n - base, m - base])
  return {
    kind: rec.clientKind,
    // only the field of the kind matters (the other one keeps an earlier line's value)
    address: rec.clientKind === 0 ? rec.ipv4 : rec.clientKind === 1 ? Array.from(rec.ipv6) : null,
    client: rel(rec.clientStart, rec.clientEnd),
    timeSec: rec.timeSec,
    tz: rec.tzOffsetMin,
    status: rec.status,
    bytes: rec.bytes,
    method: rel(rec.methodStart, rec.methodEnd),
    path: rel(rec.pathStart, rec.pathEnd),
    referer: rel(rec.refererStart, rec.refererEnd),
    agent: rel(rec.agentStart, rec.agentEnd),
  }
}

function checkRecord(rec: LineRecord, s: number, e: number): void {
  for (const [a, b] of [
    [rec.clientStart, rec.clientEnd],
    [rec.methodStart, rec.methodEnd],
    [rec.pathStart, rec.pathEnd],
    [rec.refererStart, rec.refererEnd],
    [rec.agentStart, rec.agentEnd],
  ] as const) {
    if (a === b) continue
    expect(a).toBeGreaterThanOrEqual(s)
    expect(b).toBeLessThanOrEqual(e)
    expect(a).toBeLessThan(b)
  }
  expect(Number.isInteger(rec.timeSec)).toBe(true)
  expect(Number.isInteger(rec.bytes) && rec.bytes >= 0).toBe(true)
  if (rec.status !== 0) expect(rec.status >= 100 && rec.status <= 999).toBe(true)
}

describe('parser properties', () => {
  const rec = new LineRecord()

  it('never throws and answers VALID or a reason, on random bytes and mutated lines', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        for (const p of PARSERS) {
          const r = p.parse(line, 0, line.length, rec)
          expect(Number.isInteger(r) && r >= 0 && r <= INVALID_REASONS.length).toBe(true)
          if (r === VALID) checkRecord(rec, 0, line.length)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('parses a line the same wherever it sits in a buffer, whatever surrounds it', () => {
    const fresh = (): LineParser[] => [
      ...PRESET_IDS.map((id) => mustCompile(id)),
      ...CUSTOM.map((f) => mustCompile(f)),
    ]
    fc.assert(
      fc.property(
        lineArb,
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 40 }),
        (line, pre, post) => {
          const alone = fresh()
          const inside = fresh()
          const big = new Uint8Array(pre.length + line.length + post.length)
          big.set(pre, 0)
          big.set(line, pre.length)
          big.set(post, pre.length + line.length)
          const r2 = new LineRecord()
          for (let i = 0; i < alone.length; i++) {
            const a = alone[i]!.parse(line, 0, line.length, rec)
            const b = inside[i]!.parse(big, pre.length, pre.length + line.length, r2)
            expect(b).toBe(a)
            if (a === VALID) expect(snapshot(r2, pre.length)).toEqual(snapshot(rec, 0))
          }
        },
      ),
      { numRuns: 1500 },
    )
  })

  it('the preset fast path agrees with the general machine', () => {
    const pairs = PRESET_IDS.map((id) => [mustCompile(id), slowPreset(id)] as const)
    const r2 = new LineRecord()
    fc.assert(
      fc.property(lineArb, (line) => {
        for (const [fast, slow] of pairs) {
          const a = fast.parse(line, 0, line.length, rec)
          const b = slow.parse(line, 0, line.length, r2)
          expect(a).toBe(b)
          if (a === VALID) expect(snapshot(rec, 0)).toEqual(snapshot(r2, 0))
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    )
  })

  it('keeps PV + invalid = non-blank lines over whole random logs', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), (ls) => {
        const parts: number[] = []
        for (const l of ls) parts.push(...Array.from(l).map((b) => (b === 10 ? 32 : b)), 10)
        const buf = Uint8Array.from(parts)
        for (const p of PARSERS) {
          const c = count(buf, p)
          expect(c.pv + c.invalid).toBe(c.lines)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('takes linear time on long lines (100 KB .. 4 MB), valid or not', () => {
    const combined = mustCompile('combined')
    const shapes = (n: number): Buffer[] => {
      const a = 'A'.repeat(n)
      const sp = 'a '.repeat(n / 2)
      const q = '\\"'.repeat(n / 2)
      const t = '[10/Oct/2023:13:55:36 +0000]'
      return [
        Buffer.from(`1.2.3.4 - - ${t} "GET /${a} HTTP/1.1" 200 5 "-" "${a}"`),
        Buffer.from(`1.2.3.4 - - ${t} "GET /${a}`),
        Buffer.from(`1.2.3.4 - - ${t} "GET / HTTP/1.1" 200 5 "-" "${q}`),
        Buffer.from(a),
        Buffer.from(sp),
        Buffer.from('"'.repeat(n)),
        Buffer.from(`${'1.2.3.4, '.repeat(n / 9)}- - ${t} "GET / HTTP/1.1" 200 5 "-" "-"`),
      ]
    }
    const time = (n: number): number => {
      const bufs = shapes(n)
      let best = Infinity
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now()
        for (const b of bufs) {
          for (const p of [combined, ...PARSERS]) p.parse(b, 0, b.length, rec)
        }
        best = Math.min(best, performance.now() - t0)
      }
      return best
    }
    const small = time(100_000)
    const big = time(4_000_000)
    // 40× the bytes: quadratic would be 1600×; allow generous noise on a busy machine
    expect(big).toBeLessThan(Math.max(small, 1) * 200)
    expect(big).toBeLessThan(20_000)
    const lines = shapes(150_000).map((b) => combined.parse(b, 0, b.length, rec))
    expect(lines[0]).toBe(VALID)
  })
})
