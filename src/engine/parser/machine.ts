// The compiled format: a short array of typed ops run over the line's bytes in one pass.
// Hot-path rules: no strings, no allocation, no regex; bytes compared as numbers; long quoted
// fields found with the native memchr behind Buffer#indexOf, bounded so that it never reads
// past the line (linear time whatever the line length).

import { CLIENT_IPV4, VALID } from './record'
import { fastPreset } from './fast'
import {
  OP_AGENT,
  OP_BYTES_BODY,
  OP_BYTES_SENT,
  OP_CLIENT,
  OP_EPOCH,
  OP_LIT,
  OP_METHOD,
  OP_OF,
  OP_OPAQUE,
  OP_REFERER,
  OP_REQUEST,
  OP_REST,
  OP_STATUS,
  OP_TIME_ISO,
  OP_TIME_LOCAL,
  OP_URI,
  REASON_OF,
  R_BYTES,
  R_CLIENT,
  R_NOT_LOG,
  R_STATUS,
  R_TIME,
  R_TRUNCATED,
  R_UNEXPECTED,
} from './ops'
import { Scanner, skipTo, splitRequest } from './scan'
import type { LineParser, LineRecord } from './record'
import type { Elem } from './spec'
import { TIME_LOCAL_LEN, TimeLocalCache, TimeResult, isTimeLocalPrefix, parseIso } from './time'

export class CompiledParser implements LineParser {
  readonly id: string
  readonly label: string
  private readonly n: number
  private readonly ops: Uint8Array
  private readonly terms: Int16Array
  private readonly quoted: Uint8Array
  private readonly lits: Uint8Array[]
  /** Per literal byte: the reason when the line differs there. */
  private readonly litReasons: Uint8Array[]
  private readonly litSpaces: Uint8Array
  private readonly perSec: Float64Array
  private readonly hasSpaceRuns: boolean

  // caches and scratch
  private readonly timeCache = new TimeLocalCache()
  private readonly tres = new TimeResult()
  private readonly sc = new Scanner()

  /** Fast-path shape (fast.ts) for presets, -1 for none. */
  readonly fastShape: number

  constructor(id: string, label: string, elems: Elem[], shape = -1) {
    this.id = id
    this.label = label
    this.fastShape = shape
    const n = elems.length
    this.n = n
    this.ops = new Uint8Array(n)
    this.terms = new Int16Array(n)
    this.quoted = new Uint8Array(n)
    this.lits = []
    this.litReasons = []
    this.litSpaces = new Uint8Array(n)
    this.perSec = new Float64Array(n)
    const enc = new TextEncoder()
    let hasSpaceRuns = false
    for (let k = 0; k < n; k++) {
      const e = elems[k]!
      const prev = elems[k - 1]
      const next = elems[k + 1]
      if (e.t === 'lit') {
        const bytes = enc.encode(e.text)
        this.ops[k] = OP_LIT
        this.lits.push(bytes)
        if (bytes.includes(32)) this.litSpaces[k] = 1
        if (e.text.includes('  ')) hasSpaceRuns = true
        const reasons = new Uint8Array(bytes.length)
        const pr = prev?.t === 'field' ? REASON_OF[prev.kind] : 0
        const nr = next?.t === 'field' ? REASON_OF[next.kind] : 0
        const prevQuoted = prev?.t === 'field' && this.isQuoted(elems, k - 1)
        for (let j = 0; j < bytes.length; j++) {
          // the byte right after a field (or right after its closing quote) blames that field
          const blamePrev = j === 0 || (j === 1 && prevQuoted)
          reasons[j] = (blamePrev ? pr || nr : nr || pr) || R_UNEXPECTED
        }
        this.litReasons.push(reasons)
        continue
      }
      this.lits.push(new Uint8Array(0))
      this.litReasons.push(new Uint8Array(0))
      this.ops[k] = OP_OF[e.kind]
      const q = this.isQuoted(elems, k)
      this.quoted[k] = q ? 1 : 0
      this.terms[k] = q ? 34 : next?.t === 'lit' ? enc.encode(next.text)[0]! : -1
      this.perSec[k] = e.perSec ?? 1
    }
    this.hasSpaceRuns = hasSpaceRuns
  }

  private isQuoted(elems: Elem[], k: number): boolean {
    const prev = elems[k - 1]
    const next = elems[k + 1]
    return (
      prev?.t === 'lit' && prev.text.endsWith('"') && next?.t === 'lit' && next.text.startsWith('"')
    )
  }

  parse(buf: Uint8Array, start: number, end: number, rec: LineRecord): number {
    if (end > start && buf[end - 1] === 13) end--
    if (this.fastShape >= 0) {
      this.sc.begin(start)
      if (fastPreset(buf, start, end, rec, this.sc, this.timeCache, this.fastShape) === VALID) {
        return VALID
      }
    }
    if (
      end - start >= 3 &&
      buf[start] === 0xef &&
      buf[start + 1] === 0xbb &&
      buf[start + 2] === 0xbf
    ) {
      start += 3
    }
    if (start >= end) return R_NOT_LOG
    this.sc.begin(start)
    const r = this.run(buf, start, end, rec, false)
    if (r === VALID || !this.hasSpaceRuns) return r
    // A format with runs of spaces: lines often differ from it in spacing (the OTUS format
    // writes two spaces where its lines have one, and one where they have two). A second
    // pass where each run of spaces in the format matches any run of spaces.
    const r2 = this.run(buf, start, end, rec, true)
    return r2 === VALID || r === R_NOT_LOG ? r2 : r
  }

  private run(buf: Uint8Array, start: number, end: number, rec: LineRecord, flex: boolean): number {
    const ops = this.ops
    const terms = this.terms
    const n = this.n
    let pos = start
    let soft = 0 // first field-level error (the line is kept parsing to classify it)
    let atTime = false // reached the time field: failures from here on are "truncated"/specific
    let bodySeen = false
    rec.methodStart = rec.methodEnd = rec.pathStart = rec.pathEnd = 0
    rec.refererStart = rec.refererEnd = rec.agentStart = rec.agentEnd = 0
    rec.status = 0
    rec.bytes = 0
    rec.tzOffsetMin = 0
    for (let k = 0; k < n; k++) {
      switch (ops[k]) {
        case OP_LIT: {
          const lit = this.lits[k]!
          const L = lit.length
          if (!flex || this.litSpaces[k] === 0) {
            if (pos + L <= end) {
              let j = 0
              while (j < L && buf[pos + j] === lit[j]) j++
              if (j === L) {
                pos += L
                break
              }
              return this.fail(this.litReasons[k]![j]!, soft, atTime, false)
            }
            let j = 0
            while (pos + j < end && buf[pos + j] === lit[j]) j++
            return this.fail(this.litReasons[k]![j]!, soft, atTime, pos + j === end)
          }
          // flex: a run of spaces in the literal matches one or more spaces
          let j = 0
          while (j < L) {
            if (pos >= end) return this.fail(R_TRUNCATED, soft, atTime, true)
            if (lit[j] === 32) {
              if (buf[pos] !== 32) return this.fail(this.litReasons[k]![j]!, soft, atTime, false)
              while (j < L && lit[j] === 32) j++
              while (pos < end && buf[pos] === 32) pos++
            } else {
              if (buf[pos] !== lit[j])
                return this.fail(this.litReasons[k]![j]!, soft, atTime, false)
              j++
              pos++
            }
          }
          break
        }

        case OP_CLIENT: {
          const t = terms[k]!
          // fast path: a dotted quad ending at the terminator
          let i = pos
          let acc = 0
          let oct = 0
          let nd = 0
          let dots = 0
          let ok = true
          while (i < end) {
            const c = buf[i]!
            if (c === 46) {
              if (nd === 0 || nd > 3 || oct > 255) ok = false
              acc = acc * 256 + oct
              oct = 0
              nd = 0
              dots++
            } else if (c >= 48 && c <= 57) {
              oct = oct * 10 + (c - 48)
              nd++
            } else break
            i++
          }
          if (
            ok &&
            dots === 3 &&
            nd > 0 &&
            nd <= 3 &&
            oct <= 255 &&
            (i < end ? buf[i] === t : t < 0)
          ) {
            rec.clientKind = CLIENT_IPV4
            rec.ipv4 = acc * 256 + oct
            rec.clientStart = pos
            rec.clientEnd = i
            pos = i
            break
          }
          const r = this.sc.client(buf, pos, end, t, rec)
          if (r >= 0) pos = r
          else {
            if (soft === 0) soft = R_CLIENT
            pos = -r - 1
          }
          break
        }

        case OP_TIME_LOCAL: {
          atTime = true
          if (pos + TIME_LOCAL_LEN > end) {
            if (isTimeLocalPrefix(buf, pos, end)) return this.fail(R_TRUNCATED, soft, true, true)
            if (soft === 0) soft = R_TIME
            pos = skipTo(buf, pos, end, terms[k]!)
            break
          }
          const tc = this.timeCache
          if (!tc.read(buf, pos)) {
            if (soft === 0) soft = R_TIME
            pos = skipTo(buf, pos, end, terms[k]!)
            break
          }
          rec.timeSec = tc.sec
          rec.tzOffsetMin = tc.tz
          pos += TIME_LOCAL_LEN
          break
        }
        case OP_TIME_ISO: {
          atTime = true
          const r = parseIso(buf, pos, end, this.tres)
          if (r === -2) return this.fail(R_TRUNCATED, soft, true, true)
          if (r < 0) {
            if (soft === 0) soft = R_TIME
            pos = skipTo(buf, pos, end, terms[k]!)
            break
          }
          rec.timeSec = this.tres.sec
          rec.tzOffsetMin = this.tres.tz
          pos = r
          break
        }

        case OP_EPOCH: {
          atTime = true
          let i = pos
          let v = 0
          while (i < end && i - pos < 20) {
            const c = buf[i]!
            if (c < 48 || c > 57) break
            v = v * 10 + (c - 48)
            i++
          }
          if (i > pos && i < end && buf[i] === 46) {
            i++
            while (i < end && buf[i]! >= 48 && buf[i]! <= 57) i++
          }
          if (i === pos || (i < end && buf[i]! >= 48 && buf[i]! <= 57)) {
            if (soft === 0) soft = R_TIME
            pos = skipTo(buf, pos, end, terms[k]!)
            break
          }
          rec.timeSec = Math.floor(v / this.perSec[k]!)
          rec.tzOffsetMin = 0
          pos = i
          break
        }

        case OP_REQUEST: {
          if (this.quoted[k] === 0) {
            pos = this.requestUnquoted(buf, pos, end, terms[k]!, rec)
            break
          }
          const q = this.sc.request(buf, pos, end, rec)
          if (q < 0) return this.fail(R_TRUNCATED, soft, atTime, true)
          pos = q
          break
        }

        case OP_METHOD:
        case OP_URI: {
          const s = pos
          const e = this.fieldEnd(buf, pos, end, k)
          if (e < 0) return this.fail(R_TRUNCATED, soft, atTime, true)
          pos = e
          if (e - s === 1 && buf[s] === 45) break
          if (ops[k] === OP_METHOD) {
            rec.methodStart = s
            rec.methodEnd = e
          } else {
            let p = s
            while (p < e && buf[p] !== 63) p++
            rec.pathStart = s
            rec.pathEnd = p
          }
          break
        }

        case OP_STATUS: {
          if (pos + 3 > end) {
            let i = pos
            while (i < end && buf[i]! >= 48 && buf[i]! <= 57) i++
            if (i === end) return this.fail(R_TRUNCATED, soft, atTime, true)
          } else {
            const a = buf[pos]! - 48
            const b = buf[pos + 1]! - 48
            const c = buf[pos + 2]! - 48
            const d = pos + 3 < end ? buf[pos + 3]! : 0
            if (a >= 1 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9 && (d < 48 || d > 57)) {
              rec.status = a * 100 + b * 10 + c
              pos += 3
              break
            }
          }
          if (soft === 0) soft = R_STATUS
          pos = skipTo(buf, pos, end, terms[k]!)
          break
        }

        case OP_BYTES_BODY:
        case OP_BYTES_SENT: {
          let i = pos
          let v = 0
          if (i < end && buf[i] === 45) i++
          else {
            while (i < end) {
              const c = buf[i]!
              if (c < 48 || c > 57) break
              v = v * 10 + (c - 48)
              i++
            }
          }
          if (i === pos || i - pos > 15 || (i < end && buf[i]! >= 48 && buf[i]! <= 57)) {
            if (pos >= end) return this.fail(R_TRUNCATED, soft, atTime, true)
            if (soft === 0) soft = R_BYTES
            pos = skipTo(buf, pos, end, terms[k]!)
            break
          }
          if (ops[k] === OP_BYTES_BODY) {
            rec.bytes = v
            bodySeen = true
          } else if (!bodySeen) rec.bytes = v
          pos = i
          break
        }

        case OP_REFERER:
        case OP_AGENT: {
          const s = pos
          let e: number
          if (buf[pos] === 45 && pos + 1 < end && buf[pos + 1] === terms[k]) e = pos + 1
          else {
            e = this.fieldEnd(buf, pos, end, k)
            if (e < 0) return this.fail(R_TRUNCATED, soft, atTime, true)
          }
          pos = e
          if (e - s === 1 && buf[s] === 45) break
          if (ops[k] === OP_REFERER) {
            rec.refererStart = s
            rec.refererEnd = e
          } else {
            rec.agentStart = s
            rec.agentEnd = e
          }
          break
        }

        case OP_OPAQUE: {
          const e = this.fieldEnd(buf, pos, end, k)
          if (e < 0) return this.fail(R_TRUNCATED, soft, atTime, true)
          pos = e
          break
        }

        case OP_REST: {
          if (pos < end && buf[pos] !== 32 && buf[pos] !== 9) {
            return this.fail(R_UNEXPECTED, soft, atTime, false)
          }
          pos = end
          break
        }
      }
    }
    while (pos < end && (buf[pos] === 32 || buf[pos] === 9)) pos++
    if (pos !== end) return this.fail(R_UNEXPECTED, soft, atTime, false)
    return soft
  }

  /** The reason for a structural failure, given what the line did so far. */
  private fail(reason: number, soft: number, atTime: boolean, ranOut: boolean): number {
    if (!atTime) return R_NOT_LOG
    if (soft !== 0) return soft === R_CLIENT ? R_NOT_LOG : soft
    return ranOut ? R_TRUNCATED : reason
  }

  /** End of an unquoted or quoted field at pos; -1 when the line ends inside a quoted one. */
  private fieldEnd(buf: Uint8Array, pos: number, end: number, k: number): number {
    if (this.quoted[k] !== 0) return this.sc.findQuote(buf, pos, end)
    const t = this.terms[k]!
    if (t < 0) return end
    while (pos < end && buf[pos] !== t) pos++
    return pos
  }

  /** An unquoted $request: METHOD SP target [SP HTTP/x] when spaces end it, else up to the terminator. */
  private requestUnquoted(
    buf: Uint8Array,
    pos: number,
    end: number,
    t: number,
    rec: LineRecord,
  ): number {
    let i = pos
    if (t !== 32) {
      if (t < 0) i = end
      else while (i < end && buf[i] !== t) i++
      splitRequest(buf, pos, i, rec)
      return i
    }
    while (i < end && buf[i] !== 32) i++
    if (i + 1 >= end || (i === pos + 1 && buf[pos] === 45)) return i
    const me = i++
    const ps = i
    while (i < end && buf[i] !== 32) i++
    rec.methodStart = pos
    rec.methodEnd = me
    rec.pathStart = ps
    let p = ps
    while (p < i && buf[p] !== 63) p++
    rec.pathEnd = p
    if (i + 5 < end && buf[i + 1] === 72 && buf[i + 2] === 84 && buf[i + 5] === 47) {
      i++
      while (i < end && buf[i] !== 32) i++
    }
    return i
  }
}
