// Type feedback for the rare paths of the parse loop, before the real lines.
//
// V8 compiles the hot loop (parser, accumulator, shared table) from what it has seen so far. A
// path never taken by then, such as the first IPv6 client or the first hostname, is compiled
// as a bail-out: when a line takes it, the whole inlined loop goes back to the interpreter, runs
// there until it is hot again and is compiled anew, in each thread. On the 1 GB benchmark log,
// whose first IPv6 clients come ~80 MB in, that cost each parse thread ~0.1-0.2 s of slow tasks.
//
// So each parse thread first runs a few hundred lines through a throwaway accumulator and table:
// the input's own first lines with their client replaced by IPv4 addresses, IPv6 addresses and
// hostnames, new and seen again. That is far too little for V8 to optimise anything (a
// millisecond or two, interpreted); it only records the types and branches, so that the
// optimised code made later from the real lines covers those paths too. Nothing of it reaches
// the analysis.
import { VALID, LineRecord, type LineParser } from '../parser/record'
import { Accumulator } from './accumulator'
import { createSharedTable, SharedIpTable } from './shared-ip-table'

/** Head lines used as templates. */
const TEMPLATES = 32

/** A client for template j in round r: an IPv4 address (kind 0), IPv6 (1) or a hostname (2). */
function clientText(kind: number, r: number, j: number): string {
  if (kind === 0) return `10.${r}.${j}.1`
  if (kind === 1) return `2001:db8::${r}:${j}:1`
  return `host-${j}.example.org`
}

/**
 * A priming sample built from the first lines of the input (joined by `\n`). Per round: the
 * templates with IPv4 clients first (V8 allocates a function's feedback only after its first
 * calls), then IPv6, then hostnames; a second round sees the same clients again. Empty when no
 * head line parses or the format has no client field.
 */
export function primingSample(parser: LineParser, headLines: Uint8Array[]): Uint8Array {
  const rec = new LineRecord()
  const templates: { line: Uint8Array; cs: number; ce: number }[] = []
  for (const line of headLines) {
    if (templates.length >= TEMPLATES) break
    if (parser.parse(line, 0, line.length, rec) !== VALID) continue
    if (rec.clientEnd <= rec.clientStart) continue
    templates.push({ line, cs: rec.clientStart, ce: rec.clientEnd })
  }
  if (templates.length === 0) return new Uint8Array(0)
  const lines: Buffer[] = []
  for (let r = 0; r < 2; r++) {
    for (const kind of [0, 1, 2, 0, 1])
      templates.forEach((t, j) =>
        lines.push(
          Buffer.concat([
            t.line.subarray(0, t.cs),
            Buffer.from(clientText(kind, r, j), 'latin1'),
            t.line.subarray(t.ce),
            Buffer.of(10),
          ]),
        ),
      )
    // Invalid lines (a cut-off line, one that is not a log line): real logs have some.
    const t = templates[r % templates.length]!
    lines.push(Buffer.concat([t.line.subarray(0, t.line.length >> 1), Buffer.of(10)]))
    lines.push(Buffer.from('not a log line\n', 'latin1'))
  }
  return Buffer.concat(lines)
}

/**
 * Run a priming sample through a throwaway accumulator and table (see the module header):
 * through the JavaScript parser, and, for the presets, once more through the WebAssembly
 * parser's records (fast-lines.ts), whose loop sees IPv4, IPv6 and left-over lines likewise.
 */
export function prime(parser: LineParser, sample: Uint8Array): void {
  if (sample.length === 0) return
  const table = new SharedIpTable(createSharedTable(4096, 1), 0, () => table.clear())
  for (const wasm of [false, true]) {
    const acc = new Accumulator(parser, table, () => undefined, 64)
    let buf = Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength)
    if (wasm) {
      const chunk = acc.chunkBuffer(sample.length)
      if (!chunk) return
      chunk.set(sample)
      buf = chunk.subarray(0, sample.length)
    }
    // A few chunks, as the reader hands them over.
    const step = Math.ceil(buf.length / 4)
    let pos = 0
    while (pos < buf.length) {
      let end = Math.min(pos + step, buf.length)
      if (end < buf.length) end = buf.lastIndexOf(10, end - 1) + 1
      if (end <= pos) end = buf.length
      acc.lines(buf, pos, end)
      pos = end
    }
  }
}
