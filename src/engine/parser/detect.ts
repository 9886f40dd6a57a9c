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

/** Lines are given without their terminator (a trailing `\r` is fine). */
export function detectFormat(lines: Uint8Array[]): DetectResult {
  const parsers = presetParsers()
  const valid = PRESET_IDS.map(() => 0)
  const rec = new LineRecord()
  let total = 0
  for (const line of lines) {
    if (total >= DETECT_LINES) break
    if (isBlank(line)) continue
    total++
    for (let p = 0; p < parsers.length; p++) {
      if (parsers[p]!.parse(line, 0, line.length, rec) === VALID) valid[p]!++
    }
  }
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
  // A format chosen so far that reads every line is as good as any: the usual case, a rotated
  // set, costs one parser's pass.
  const rec = new LineRecord()
  for (const id of chosen) {
    const p = PRESET_IDS.indexOf(id as PresetId)
    if (p < 0) continue
    const parser = presetParsers()[p]!
    let total = 0
    let valid = 0
    for (const line of lines) {
      if (total >= DETECT_LINES) break
      if (isBlank(line)) continue
      total++
      if (parser.parse(line, 0, line.length, rec) === VALID) valid++
    }
    if (total > 0 && valid === total) return id
  }
  const d = detectFormat(lines)
  const total = d.scores[0]?.total ?? 0
  if (total === 0) return undefined
  if (!d.best) return null
  const valid = (id: string): number => d.scores.find((s) => s.id === id)?.valid ?? -1
  const top = valid(d.best)
  return chosen.find((id) => valid(id) === top) ?? d.best
}
