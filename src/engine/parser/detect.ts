// Format detection: try every preset on the first non-blank lines, keep the one that parses most.

import { PRESET_IDS, PRESET_RANK, presetParser } from './presets'
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

/** Lines are given without their terminator (a trailing `\r` is fine). */
export function detectFormat(lines: Uint8Array[]): DetectResult {
  const parsers = PRESET_IDS.map((id) => presetParser(id))
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
