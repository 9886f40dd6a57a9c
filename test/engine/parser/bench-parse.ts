// Parser throughput, single thread: `npx jiti test/engine/parser/bench-parse.ts [lines] [rounds]`.
// Not a test (nothing asserts speed); prints lines/s and MB/s for the combined preset on a
// generated realistic nginx combined mix, plus a 1 MB line to show long lines are linear.

import { compileFormat, LineRecord, VALID } from '../../../src/engine/parser'
import { generateCombined } from './gen-lines'

const count = Number(process.argv[2] ?? 500_000)
const rounds = Number(process.argv[3] ?? 7)
const data = generateCombined(count)
const c = compileFormat('combined')
if (!c.ok) throw new Error(c.error)
const parser = c.parser
const rec = new LineRecord()

// line offsets first, so the measurement is the parser alone (the engine splits lines itself)
const starts = new Int32Array(count + 1)
let n = 0
for (let s = 0; s < data.length;) {
  const e = data.indexOf(10, s)
  starts[n++] = s
  s = e + 1
}
starts[n] = data.length

// the engine calls the parser per chunk of lines; so does the benchmark (and the JIT sees a
// function that is called often, not one giant loop)
function parseChunk(from: number, to: number): number {
  let valid = 0
  for (let i = from; i < to; i++) {
    if (parser.parse(data, starts[i]!, starts[i + 1]! - 1, rec) === VALID) valid++
  }
  return valid
}

/** CPU time of one pass (user + system), so other processes on the machine matter less. */
function pass(): { us: number; valid: number } {
  let valid = 0
  const t0 = process.cpuUsage()
  for (let i = 0; i < n; i += 4096) valid += parseChunk(i, Math.min(n, i + 4096))
  const t = process.cpuUsage(t0)
  return { us: t.user + t.system, valid }
}

let best = Infinity
for (let r = 0; r < rounds; r++) {
  const { us, valid } = pass()
  if (valid !== n) throw new Error(`only ${valid} of ${n} lines valid`)
  best = Math.min(best, us)
  const s = us / 1e6
  console.log(
    `round ${r + 1}: ${(n / s / 1e6).toFixed(2)} M lines/s, ${(data.length / s / 1e6).toFixed(0)} MB/s`,
  )
}
const s = best / 1e6
console.log(
  `combined, ${n} lines, ${(data.length / n).toFixed(0)} B/line avg: best ${(n / s / 1e6).toFixed(2)} M lines/s, ${(data.length / s / 1e6).toFixed(0)} MB/s (CPU time)`,
)

// long lines: time per byte must not grow with the line length (best of 5 runs each)
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
