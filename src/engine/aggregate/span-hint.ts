// How long a job's logs last at least, known before they are read: from the first valid line of
// each file (among the first lines its inspection read anyway) and the last valid line of each
// plain file (a few KB from its end). Each parse thread's time series then starts at the level
// of buckets that span calls for (time-series.ts) instead of minutes: a thread reading a day of
// log otherwise counted its first six hours into 360 minute buckets and their UV sketches, only
// to fold them into hours (measured: ~70 ms a thread of ~350 on the 200 MB bench log, ~40 of
// ~900 on the 1 GB one). Only lines the analysis counts are used, so the level is never coarser
// than the one the whole log gets at the end, and the figures are the same either way. A gzip
// file's end is read last: it gives its first line only (a folder of rotated .gz logs still
// spans their days).
import { closeSync, openSync, readSync } from 'node:fs'
import { LineRecord, VALID, type LineParser } from '../parser/record'
import { EARLIEST_SEC, levelForSpan } from './time-series'

/** Bytes read from the end of a plain file. */
export const HINT_BYTES = 16 * 1024
/** Plain files whose end is read, the biggest first (a folder of rotated logs: they span it). */
export const HINT_FILES = 16
export interface HintFile {
  path: string
  size: number
  gzip: boolean
  /** The parser the file is read with. */
  parser: LineParser
  /** The time of its first valid line, from its inspection (firstLineTime), if known. */
  firstTime?: number | null
}

/** Whether `parser` takes one of the first `count` of `lines`: the first it takes is in `rec`. */
export function firstValidLine(
  parser: LineParser,
  lines: readonly Uint8Array[],
  rec: LineRecord,
  count = lines.length,
): boolean {
  for (let i = 0; i < count; i++) {
    const l = lines[i]!
    if (parser.parse(l, 0, l.length, rec) === VALID) return true
  }
  return false
}

/**
 * The time of the first valid line among an inspected head's lines (inspect.ts), or null: read
 * while the head is at hand (keeping heads would hold 64 KB each for the whole job). The head's
 * last line may be a piece of one and is left out.
 */
export function firstLineTime(parser: LineParser, lines: readonly Uint8Array[]): number | null {
  const rec = new LineRecord()
  return firstValidLine(parser, lines, rec, lines.length - 1) ? rec.timeSec : null
}

/**
 * The series level for the span between the earliest and the latest valid line (dated 1991 or
 * later, as the series counts them) among the files' first lines and the plain files' last
 * ones; 0 (minutes) when there are fewer than two such lines. Unreadable files are skipped:
 * reading reports them.
 */
export function seriesLevelHint(files: readonly HintFile[]): number {
  const rec = new LineRecord()
  let lo = Infinity
  let hi = -Infinity
  const seen = (t: number): void => {
    if (t < EARLIEST_SEC) return
    if (t < lo) lo = t
    if (t > hi) hi = t
  }
  for (const f of files) if (f.firstTime != null) seen(f.firstTime)
  const buf = Buffer.allocUnsafe(HINT_BYTES)
  const plain = files.filter((f) => !f.gzip && f.size > 0).sort((a, b) => b.size - a.size)
  for (const f of plain.slice(0, HINT_FILES)) {
    let fd: number
    try {
      fd = openSync(f.path, 'r')
    } catch {
      continue
    }
    try {
      // Its last HINT_BYTES, or all of it; from mid-file, the first line may be a piece of one.
      const at = Math.max(0, f.size - HINT_BYTES)
      const n = readSync(fd, buf, 0, f.size - at, at)
      const last = lastValid(buf.subarray(0, n), f.parser, rec, at > 0)
      if (last !== null) seen(last)
    } catch {
      // Unreadable now: the analysis says so when it reads the file.
    } finally {
      closeSync(fd)
    }
  }
  return hi > lo ? levelForSpan(hi - lo) : 0
}

/**
 * The time of the last whole line of `b` the parser takes, or null. A last line without its
 * newline is whole only at the end of the file, which `b` reaches; `skipFirst`: `b` starts
 * mid-file, so its first line may be a piece.
 */
function lastValid(
  b: Buffer,
  parser: LineParser,
  rec: LineRecord,
  skipFirst: boolean,
): number | null {
  const floor = skipFirst ? b.indexOf(10) + 1 : 0
  if (skipFirst && floor === 0) return null
  let end = b.length
  if (end > 0 && b[end - 1] === 10) end--
  while (end > floor) {
    const nl = b.lastIndexOf(10, end - 1)
    const start = Math.max(nl + 1, floor)
    if (end > start && parser.parse(b, start, end, rec) === VALID) return rec.timeSec
    if (nl < floor) return null
    end = nl
  }
  return null
}
