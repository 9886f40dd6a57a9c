// Shared by the parser tests: run a parser over a whole log the way the engine does
// (split on \n, skip blank lines) and count what a dashboard would show.

import { INVALID_REASONS } from '../../../src/shared/types'
import type { InvalidReason } from '../../../src/shared/types'
import { LineRecord, VALID, clientKeyString, compileFormat } from '../../../src/engine/parser'
import type { LineParser } from '../../../src/engine/parser'

export interface Counts {
  /** Non-blank lines. */
  lines: number
  pv: number
  uv: number
  invalid: number
  reasons: Partial<Record<InvalidReason, number>>
}

export function mustCompile(spec: string): LineParser {
  const r = compileFormat(spec)
  if (!r.ok) throw new Error(r.error)
  return r.parser
}

function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i]
    if (c !== 32 && c !== 9 && c !== 13) return false
  }
  return true
}

/** Each non-blank line of buf as [start, end) (without the \n). */
export function lineRanges(buf: Uint8Array): [number, number][] {
  const out: [number, number][] = []
  let s = 0
  while (s < buf.length) {
    let e = buf.indexOf(10, s)
    if (e < 0) e = buf.length
    if (!isBlank(buf, s, e)) out.push([s, e])
    s = e + 1
  }
  return out
}

export function count(buf: Uint8Array, parser: LineParser): Counts {
  const rec = new LineRecord()
  const clients = new Set<string>()
  const c: Counts = { lines: 0, pv: 0, uv: 0, invalid: 0, reasons: {} }
  for (const [s, e] of lineRanges(buf)) {
    c.lines++
    const r = parser.parse(buf, s, e, rec)
    if (r === VALID) {
      c.pv++
      clients.add(clientKeyString(buf, rec))
    } else {
      c.invalid++
      const reason = INVALID_REASONS[r - 1]
      if (reason === undefined) throw new Error(`parse returned ${r}`)
      c.reasons[reason] = (c.reasons[reason] ?? 0) + 1
    }
  }
  c.uv = clients.size
  return c
}

export function lines(...text: string[]): Buffer {
  return Buffer.from(text.join('\n') + '\n')
}
