// Parser throughput on one thread. Not a test (nothing asserts speed). Run it bundled, as the
// app runs it:
//   npx rolldown test/engine/parser/bench-parse.ts --platform node -o /tmp/bench-parse.mjs \
//     && node /tmp/bench-parse.mjs [lines] [rounds]
// (`npx jiti test/engine/parser/bench-parse.ts` works too, but its transpiled code is slower.)
// Prints lines/s and MB/s (CPU time, best round) for the combined preset on a generated
// realistic nginx combined mix, the same through the general format machine (what a custom
// log_format gets), the real BCE log if present, and long lines to show time stays linear.

import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { LineRecord, VALID, compileFormat } from '../../../src/engine/parser'
import type { LineParser } from '../../../src/engine/parser'
import { CompiledParser } from '../../../src/engine/parser/machine'
import { PRESETS } from '../../../src/engine/parser/presets'
import { parseSpec } from '../../../src/engine/parser/spec'
import { generateCombined } from './gen-lines'

const count = Number(process.argv[2] ?? 300_000)
const rounds = Number(process.argv[3] ?? 30)
const rec = new LineRecord()

function mustCompile(spec: string): LineParser {
  const c = compileFormat(spec)
  if (!c.ok) throw new Error(c.error)
  return c.parser
}

/** Line offsets first, so the measurement is the parser alone (the engine splits lines). */
function lineStarts(data: Uint8Array): Int32Array {
  const starts: number[] = []
  for (let s = 0; s < data.length;) {
    let e = data.indexOf(10, s)
    if (e < 0) e = data.length
    starts.push(s)
    s = e + 1
  }
  starts.push(data[data.length - 1] === 10 ? data.length : data.length + 1)
  return Int32Array.from(starts)
}

// The engine calls the parser per chunk of lines; so does the benchmark (the JIT sees a
// function called often, not one giant loop).
function parseChunk(p: LineParser, data: Uint8Array, starts: Int32Array, from: number, to: number) {
  let valid = 0
  for (let i = from; i < to; i++) {
    if (p.parse(data, starts[i]!, starts[i + 1]! - 1, rec) === VALID) valid++
  }
  return valid
}

/** Rounds timed by CPU time (user + system): other processes on the machine matter less. */
function bench(name: string, p: LineParser, data: Uint8Array, expectValid: number): void {
  const starts = lineStarts(data)
  const n = starts.length - 1
  const times: number[] = []
  for (let r = 0; r < rounds; r++) {
    let valid = 0
    const t0 = process.cpuUsage()
    for (let i = 0; i < n; i += 4096) valid += parseChunk(p, data, starts, i, Math.min(n, i + 4096))
    const t = process.cpuUsage(t0)
    if (valid !== expectValid) throw new Error(`${name}: ${valid} valid, expected ${expectValid}`)
    times.push(t.user + t.system)
  }
  times.sort((a, b) => a - b)
  const rate = (us: number): string =>
    `${(n / us).toFixed(2)} M lines/s, ${(data.length / us).toFixed(0)} MB/s`
  console.log(
    `${name}: ${n} lines, ${(data.length / n).toFixed(0)} B/line: best ${rate(times[0]!)}` +
      ` (median ${rate(times[times.length >> 1]!)})`,
  )
}

const data = generateCombined(count)
bench('combined preset, generated nginx mix', mustCompile('combined'), data, count)

// the same lines through the general machine (no preset fast path): custom formats' speed
const spec = parseSpec(PRESETS.combined.apache!)
if (!spec.ok) throw new Error(spec.error)
bench('general format machine, same lines', new CompiledParser('x', 'x', spec.elems), data, count)

// run from the repository root; LOGLENS_REAL_LOGS as in real-logs.test.ts
const realDir =
  process.env.LOGLENS_REAL_LOGS ?? resolve(process.cwd(), '../shared/testdata/real-logs')
const bce = resolve(realDir, 'BCE-yMPyT_log_analizer__access.log.5.gz')
if (existsSync(bce)) {
  const real = gunzipSync(readFileSync(bce))
  bench('combined preset, real BCE log', mustCompile('combined'), real, 50_812)
}

// long lines: time per byte must not grow with the line length (best of 5 runs each)
const parser = mustCompile('combined')
for (const size of [100_000, 1_000_000, 10_000_000]) {
  const agent = 'A'.repeat(size)
  const ok = Buffer.from(
    `1.2.3.4 - - [10/Mar/2024:06:00:00 +0000] "GET /x HTTP/1.1" 200 5 "-" "${agent}"\n`,
  )
  const cut = Buffer.from(`1.2.3.4 - - [10/Mar/2024:06:00:00 +0000] "GET /${agent}\n`)
  const noSpace = Buffer.from(`${agent}\n`)
  for (const [name, line] of [
    ['valid', ok],
    ['truncated', cut],
    ['no spaces', noSpace],
  ] as const) {
    let best = Infinity
    let r = -1
    for (let k = 0; k < 5; k++) {
      const t0 = process.hrtime.bigint()
      r = parser.parse(line, 0, line.length - 1, rec)
      best = Math.min(best, Number(process.hrtime.bigint() - t0))
    }
    console.log(
      `${name} line of ${size} B: code ${r}, ${(best / 1000).toFixed(0)} µs, ${(best / size).toFixed(2)} ns/B`,
    )
  }
}
