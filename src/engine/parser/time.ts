// Timestamps by fixed offsets, no Date objects: `10/Oct/2000:13:55:36 -0700` ($time_local, %t)
// and `2000-10-10T13:55:36-07:00` ($time_iso8601). The hot path (a line sharing the previous
// line's minute) lives in the format machine; these are the full parses it falls back to.

/** Where a time parse writes its result (reused, never allocated per line). */
export class TimeResult {
  /** Seconds since the epoch, UTC. */
  sec = 0
  /** The written UTC offset in minutes. */
  tz = 0
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
}

/** Month number from three ASCII bytes (`Jan`…`Dec`, any case), or 0. */
export function monthFromBytes(a: number, b: number, c: number): number {
  const k = ((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20)
  switch (k) {
    case 0x6a616e:
      return 1
    case 0x666562:
      return 2
    case 0x6d6172:
      return 3
    case 0x617072:
      return 4
    case 0x6d6179:
      return 5
    case 0x6a756e:
      return 6
    case 0x6a756c:
      return 7
    case 0x617567:
      return 8
    case 0x736570:
      return 9
    case 0x6f6374:
      return 10
    case 0x6e6f76:
      return 11
    case 0x646563:
      return 12
    default:
      return 0
  }
}

function d2(buf: Uint8Array, p: number): number {
  const a = buf[p]! - 48
  const b = buf[p + 1]! - 48
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1
  return a * 10 + b
}

/** Length of `dd/Mon/yyyy:HH:MM:SS +zzzz`. */
export const TIME_LOCAL_LEN = 26

/**
 * Parse a full $time_local at p (26 bytes must be available). Writes the UTC epoch second of
 * the start of the line's minute and the offset; the caller adds the seconds. False when the
 * bytes are not a valid time.
 */
export function parseTimeLocalMinute(buf: Uint8Array, p: number, out: TimeResult): boolean {
  const day = d2(buf, p)
  if (buf[p + 2] !== 47 || buf[p + 6] !== 47 || buf[p + 11] !== 58 || buf[p + 14] !== 58) {
    return false
  }
  if (buf[p + 17] !== 58 || buf[p + 20] !== 32) return false
  const mon = monthFromBytes(buf[p + 3]!, buf[p + 4]!, buf[p + 5]!)
  const y1 = d2(buf, p + 7)
  const y2 = d2(buf, p + 9)
  const hh = d2(buf, p + 12)
  const mm = d2(buf, p + 15)
  const sign = buf[p + 21]
  const zh = d2(buf, p + 22)
  const zm = d2(buf, p + 24)
  if (day < 1 || mon === 0 || y1 < 0 || y2 < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
    return false
  }
  if ((sign !== 43 && sign !== 45) || zh < 0 || zh > 23 || zm < 0 || zm > 59) return false
  const year = y1 * 100 + y2
  if (day > daysInMonth(year, mon)) return false
  const tz = (sign === 45 ? -1 : 1) * (zh * 60 + zm)
  out.tz = tz
  out.sec = daysFromCivil(year, mon, day) * 86400 + hh * 3600 + mm * 60 - tz * 60
  return true
}

/** Pattern of a $time_local, used to tell a cut-off time (truncated) from a wrong one. */
const LOCAL_SHAPE = 'dd/aaa/dddd:dd:dd:dd sdddd'

/** True when the bytes [p, end) could be the beginning of a $time_local. */
export function isTimeLocalPrefix(buf: Uint8Array, p: number, end: number): boolean {
  for (let i = 0; p + i < end && i < TIME_LOCAL_LEN; i++) {
    const c = buf[p + i]!
    const k = LOCAL_SHAPE.charCodeAt(i)
    if (k === 100) {
      if (c < 48 || c > 57) return false
    } else if (k === 97) {
      if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false
    } else if (k === 115) {
      if (c !== 43 && c !== 45) return false
    } else if (c !== k) return false
  }
  return true
}

/**
 * Parse an ISO 8601 time at p: `yyyy-mm-ddTHH:MM:SS`, optional `.fraction` (dropped), then
 * `Z`, `±hh:mm`, `±hhmm`, `±hh` or nothing (UTC). Returns the position after it, -1 when the bytes are not a
 * time, -2 when the line ends inside it.
 */
export function parseIso(buf: Uint8Array, p: number, end: number, out: TimeResult): number {
  if (p + 19 > end) return -2
  if (buf[p + 4] !== 45 || buf[p + 7] !== 45 || buf[p + 13] !== 58 || buf[p + 16] !== 58) {
    return -1
  }
  const t = buf[p + 10]
  if (t !== 84 && t !== 116 && t !== 32) return -1
  const y1 = d2(buf, p)
  const y2 = d2(buf, p + 2)
  const mon = d2(buf, p + 5)
  const day = d2(buf, p + 8)
  const hh = d2(buf, p + 11)
  const mm = d2(buf, p + 14)
  const ss = d2(buf, p + 17)
  if (y1 < 0 || y2 < 0 || mon < 1 || mon > 12 || day < 1 || hh < 0 || hh > 23) return -1
  if (mm < 0 || mm > 59 || ss < 0 || ss > 60) return -1
  const year = y1 * 100 + y2
  if (day > daysInMonth(year, mon)) return -1
  let i = p + 19
  if (i < end && (buf[i] === 46 || buf[i] === 44)) {
    i++
    const fs = i
    while (i < end && buf[i]! >= 48 && buf[i]! <= 57) i++
    if (i === fs) return i === end ? -2 : -1
  }
  let tz = 0
  const z = i < end ? buf[i] : 0
  if (z === 90 || z === 122) i++
  else if (z === 43 || z === 45) {
    if (i + 3 > end) return -2
    const zh = d2(buf, i + 1)
    if (zh < 0 || zh > 23) return -1
    i += 3
    let zm = 0
    if (i < end && buf[i] === 58) {
      if (i + 3 > end) return -2
      zm = d2(buf, i + 1)
      i += 3
    } else if (i + 1 < end && buf[i]! >= 48 && buf[i]! <= 57) {
      zm = d2(buf, i)
      i += 2
    }
    if (zm < 0 || zm > 59) return -1
    tz = (z === 45 ? -1 : 1) * (zh * 60 + zm)
  } // else: no offset written, read as UTC
  out.tz = tz
  out.sec = daysFromCivil(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss - tz * 60
  return i
}

/**
 * $time_local with a cache of the last parsed minute: consecutive lines nearly always share
 * `dd/Mon/yyyy:HH:MM` and the offset, so a hit costs a byte compare and two digits.
 */
export class TimeLocalCache {
  // public for the preset fast path, which inlines the compare (fast.ts)
  /** The bytes of the last parsed time (only the minute and offset parts are compared). */
  readonly key = new Uint8Array(TIME_LOCAL_LEN)
  valid = false
  /** UTC epoch second of the start of the cached minute, and its offset in minutes. */
  minute = 0
  offset = 0
  private readonly res = new TimeResult()
  /** Results of the last successful read. */
  sec = 0
  tz = 0

  /** Read the 26 bytes at p (the caller checked they are there); false when not a valid time. */
  read(buf: Uint8Array, p: number): boolean {
    const k = this.key
    // unrolled, the minute digits first (they change most often)
    if (
      !this.valid ||
      buf[p + 16] !== k[16] ||
      buf[p + 15] !== k[15] ||
      buf[p + 13] !== k[13] ||
      buf[p + 12] !== k[12] ||
      buf[p + 1] !== k[1] ||
      buf[p] !== k[0] ||
      buf[p + 4] !== k[4] ||
      buf[p + 5] !== k[5] ||
      buf[p + 3] !== k[3] ||
      buf[p + 10] !== k[10] ||
      buf[p + 9] !== k[9] ||
      buf[p + 8] !== k[8] ||
      buf[p + 7] !== k[7] ||
      buf[p + 2] !== 47 ||
      buf[p + 6] !== 47 ||
      buf[p + 11] !== 58 ||
      buf[p + 14] !== 58 ||
      buf[p + 17] !== 58 ||
      buf[p + 20] !== 32 ||
      buf[p + 21] !== k[21] ||
      buf[p + 22] !== k[22] ||
      buf[p + 23] !== k[23] ||
      buf[p + 24] !== k[24] ||
      buf[p + 25] !== k[25]
    ) {
      return this.miss(buf, p)
    }
    const s1 = buf[p + 18]! - 48
    const s2 = buf[p + 19]! - 48
    if (s1 < 0 || s1 > 6 || s2 < 0 || s2 > 9) return false
    const ss = s1 * 10 + s2
    if (ss > 60) return false
    this.sec = this.minute + ss
    this.tz = this.offset
    return true
  }

  /** Full parse of the time at p; updates the cache. */
  miss(buf: Uint8Array, p: number): boolean {
    if (!parseTimeLocalMinute(buf, p, this.res)) return false
    const s1 = buf[p + 18]! - 48
    const s2 = buf[p + 19]! - 48
    if (s1 < 0 || s1 > 6 || s2 < 0 || s2 > 9 || s1 * 10 + s2 > 60) return false
    for (let j = 0; j < TIME_LOCAL_LEN; j++) this.key[j] = buf[p + j]!
    this.valid = true
    this.minute = this.res.sec
    this.offset = this.res.tz
    this.sec = this.minute + s1 * 10 + s2
    this.tz = this.offset
    return true
  }
}
