// How long a job's logs last at least, known before they are read: from the first and the last
// valid line of each plain file (a few KB from each end). Each parse thread's time series then
// starts at the level of buckets that span calls for (time-series.ts) instead of minutes: a
// thread reading a day of log otherwise counted its first six hours into 360 minute buckets and
// their UV sketches, only to fold them into hours (measured: ~70 ms a thread of ~350 on the
// 200 MB bench log, ~40 of ~900 on the 1 GB one). Only lines the analysis counts are used, so
// the level is never coarser than the one the whole log gets at the end, and the figures are
// the same either way. A gzip file gives its first lines only (inflated when it was inspected;
// its end is read last): a folder of rotated .gz logs still spans their days.
import { closeSync, openSync, readSync } from 'node:fs'
import { LineRecord, VALID, type LineParser } from '../parser/record'
import { EARLIEST_SEC, levelForSpan } from './time-series'

/** Bytes read from each end of a file. */
export const HINT_BYTES = 16 * 1024
/** Plain files looked at, the biggest first (a folder of rotated logs: their ends span it). */
export const HINT_FILES = 16
/** A gzip file's first lines kept from its inspection, for its first valid line. */
export const HINT_HEAD_LINES = 8

export interface HintFile {
  path: string
  size: number
  gzip: boolean
  /** The parser the file is read with. */
  parser: LineParser
  /** A gzip file's first lines (without their newlines), from its inspection. */
  headLines?: readonly Uint8Array[]
}

/**
 * The series level for the span between the earliest and the latest valid line (dated 1991 or
 * later, as the series counts them) found at the ends of the plain files and the heads of the
 * gzip files; 0 (minutes) when there are fewer than two such lines. Unreadable files are skipped: reading reports them.
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
  for (const f of files) {
    if (!f.gzip || !f.headLines) continue
    for (const l of f.headLines)
      if (f.parser.parse(l, 0, l.length, rec) === VALID) {
        seen(rec.timeSec)
        break
      }
  }
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
      const n = readSync(fd, buf, 0, Math.min(HINT_BYTES, f.size), 0)
      const first = firstValid(buf.subarray(0, n), f.parser, rec)
      if (first !== null) seen(first)
      if (f.size > n) {
        const at = f.size - Math.min(HINT_BYTES, f.size - n)
        const m = readSync(fd, buf, 0, f.size - at, at)
        // The first line of the tail may be a piece of one: only whole lines after it count.
        const last = lastValid(buf.subarray(0, m), f.parser, rec, true)
        if (last !== null) seen(last)
      } else {
        const last = lastValid(buf.subarray(0, n), f.parser, rec, false)
        if (last !== null) seen(last)
      }
    } catch {
      // Unreadable now: the analysis says so when it reads the file.
    } finally {
      closeSync(fd)
    }
  }
  return hi > lo ? levelForSpan(hi - lo) : 0
}

/** The time of the first whole line of `b` the parser takes, or null. */
function firstValid(b: Buffer, parser: LineParser, rec: LineRecord): number | null {
  let start = 0
  for (;;) {
    const nl = b.indexOf(10, start)
    if (nl < 0) return null // the rest is a piece of a line
    if (parser.parse(b, start, nl, rec) === VALID) return rec.timeSec
    start = nl + 1
  }
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
