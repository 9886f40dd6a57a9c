// Format detection: try every preset on the first non-blank lines, keep the one that parses most.

import type { CompiledParser } from './machine'
import { PRESET_IDS, PRESET_RANK, presetParser, type PresetId } from './presets'
import { LineRecord, VALID } from './record'

export interface DetectResult {
  /** The preset that parsed most lines (ties: the more specific), null when none parsed any. */
  best: string | null
  /** One entry per preset, in PRESET_IDS order. */
  scores: { id: string; valid: number; total: number }[]
}

/** How many non-blank lines detection looks at. */
export const DETECT_LINES = 200

function isBlank(line: Uint8Array): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c !== 32 && c !== 9 && c !== 13) return false
  }
  return true
}

let parsersMade: CompiledParser[] | null = null

/** The presets' parsers, made once (a folder of thousands of files is detected file by file). */
function presetParsers(): CompiledParser[] {
  return (parsersMade ??= PRESET_IDS.map((id) => presetParser(id)))
}

/** The lines detection judges: the first DETECT_LINES non-blank ones. */
function judged(lines: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const line of lines) {
    if (out.length >= DETECT_LINES) break
    if (!isBlank(line)) out.push(line)
  }
  return out
}

/** How many of `lines` the preset at `p` (in PRESET_IDS order) parses. */
function validCount(p: number, lines: Uint8Array[], rec: LineRecord): number {
  const parser = presetParsers()[p]!
  let valid = 0
  for (const line of lines) if (parser.parse(line, 0, line.length, rec) === VALID) valid++
  return valid
}

/** Lines are given without their terminator (a trailing `\r` is fine). */
export function detectFormat(lines: Uint8Array[]): DetectResult {
  const head = judged(lines)
  const rec = new LineRecord()
  const valid = PRESET_IDS.map((_, p) => validCount(p, head, rec))
  const total = head.length
  let best: string | null = null
  let bestValid = 0
  let bestRank = Infinity
  PRESET_IDS.forEach((id, p) => {
    const v = valid[p]!
    if (v > bestValid || (v === bestValid && v > 0 && PRESET_RANK[id] < bestRank)) {
      best = id
      bestValid = v
      bestRank = PRESET_RANK[id]
    }
  })
  return { best, scores: PRESET_IDS.map((id, p) => ({ id, valid: valid[p]!, total })) }
}

/**
 * The format of one file among several, from its first lines: a format already chosen for
 * another file of the selection when it parses them as well as the best preset does (a rotated
 * set stays one format, and ties go to what the user's other files are), else the best preset;
 * null when none parses any line, and undefined when there is no line to judge by.
 */
export function detectFileFormat(
  lines: Uint8Array[],
  chosen: readonly string[],
): string | null | undefined {
  const head = judged(lines)
  if (head.length === 0) return undefined
  // A format chosen so far that reads every line is as good as any: the usual case, a rotated
  // set, costs one parser's pass.
  const rec = new LineRecord()
  for (const id of chosen) {
    const p = PRESET_IDS.indexOf(id as PresetId)
    if (p >= 0 && validCount(p, head, rec) === head.length) return id
  }
  const d = detectFormat(head)
  if (!d.best) return null
  const valid = (id: string): number => d.scores.find((s) => s.id === id)?.valid ?? -1
  const top = valid(d.best)
  return chosen.find((id) => valid(id) === top) ?? d.best
}
