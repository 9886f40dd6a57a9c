// One thread's aggregation state and the hot loop: lines in, counts out.
// Everything here is per thread; results from several threads are merged by merge.ts.
import { INVALID_REASONS, type InvalidReason } from '../../shared/types'
import { CLIENT_HOST, CLIENT_IPV4, LineRecord, VALID, type LineParser } from '../parser/record'
import { decodeText, hostKeyHash } from '../parser'
import {
  FastLines,
  KIND_V4,
  R_BYTES_F64,
  R_END,
  R_IP,
  R_KIND,
  R_START,
  R_STATUS,
  R_TIME_F64,
  R_TZ,
  R_V6,
  REC_WORDS,
} from '../parser/fast-lines'
import { hashBytes, mix128, mix32 } from './hash'
import { emptyBatch, IpTable, type IpBatch } from './ip-table'
import type { SharedIpTable } from './shared-ip-table'
import { SpaceSaving, type TopKData } from './top-k'
import { EARLIEST_SEC, TimeSeries, type SeriesData } from './time-series'
import type { UvSketchData } from './uv-sketch'

/** What the accumulator needs of a top-k summary (SpaceSaving, or WasmTopK in fast-lines.ts). */
interface TopCounter {
  offer(lo: number, hi: number, buf: Uint8Array, start: number, end: number): void
  toData(decode: (bytes: Uint8Array) => string): TopKData
}

export const TOPK_CAPACITY = 500
/**
 * Hostname clients per thread before they spill (they are rare; IPs use the shared table), and
 * the bytes of their names. With 300k distinct hostnames, tables of 50k per thread took the
 * aggregator to 107 MB, 25k to 92-94 MB, and 300k hostnames followed by 2M IP clients to 100.9
 * (a retired worker's memory is not all given back): 16k and 1 MB of names keep those at 86 and
 * 96 MB, at some speed (the 300k-hostname log: 5.2 s with 25k, 6.1 s with 16k).
 */
export const HOST_TABLE_CAPACITY = 16_384
export const HOST_NAME_BYTES = 1_000_000
/**
 * A thread's first hostname table, when a gzip file is among two or more threads' tasks
 * (FileParsers.firstHosts): that table filling is what changes the job's plan (SQLite opens for
 * the spills, workers retire: job.ts), and a worker on a gzip file reads it to its end whatever
 * the plan. A small table gives the signal early, before the other thread's IP clients and the
 * hostname tables themselves take memory; the tables after it hold hostCapacity. A gzip file of
 * 200k hostnames beside a gzip file of 700k IP clients (memory-budget.test.ts): clients first
 * 88.1-91.4 MiB over 30 runs against 90.0-102.7 over ten with a first table of 16k, hostnames
 * first 88.6-92.1 (18 runs) against 93.0-94.2 (eight), ~0.1 s slower (docs/performance.md).
 * Plain files keep a full first table: a worker hands the rest of its range over at its next
 * chunk, and with a few thousand hostnames (a 200 MB log beside a file of 8k hostnames) the
 * early spill made the job ~15% slower, the rest being read on one thread. With gzip files that
 * is the rule's price (a 200 MB .gz beside a .gz of 8k hostnames: ~14% slower).
 */
export const FIRST_HOST_TABLE_CAPACITY = 2_048
export const SAMPLES_PER_REASON = 5
export const SAMPLE_CHARS = 300
const STATUS_SLOTS = 1000

/** FileParsers.firstHosts for a job: small only with a gzip file among two or more threads. */
export function firstHostsFor(threads: number, anyGzip: boolean): number | undefined {
  return threads > 1 && anyGzip ? FIRST_HOST_TABLE_CAPACITY : undefined
}

/** Counters before the first line. */
export function emptyCounters(): Counters {
  return {
    lines: 0,
    pv: 0,
    invalid: 0,
    bodyBytes: 0,
    firstTime: Infinity,
    lastTime: -Infinity,
    tzOffsetMin: null,
  }
}

export interface Counters {
  lines: number
  pv: number
  invalid: number
  bodyBytes: number
  /** Epoch seconds; Infinity / -Infinity when no valid line yet. */
  firstTime: number
  lastTime: number
  /** UTC offset (minutes) of the first valid line, null before it. */
  tzOffsetMin: number | null
}

/** What a thread hands back when it is done (plain data, transferable). */
export interface ThreadResult {
  counters: Counters
  invalidCounts: number[]
  invalidSamples: string[][]
  /**
   * Where each sample is in the job, three numbers a sample: its file (FileTask.fileIndex), its
   * task's start and its rank in this thread. Sorted by them, samples are in the order of the
   * files' lines, whichever thread read which part (merge.ts keeps the first).
   */
  invalidSampleKeys: number[][]
  statuses: Float64Array
  /** Hostname clients still in this thread's table (IP clients live in the shared table). */
  hosts: IpBatch
  series: SeriesData
  top: { path: TopKData; agent: TopKData; referrer: TopKData }
}

/** A cheap live view of a thread (about once a second). */
export interface ThreadSnapshot {
  counters: Counters
  statuses: Float64Array
  topIps: { ip: string; pv: number }[]
  series: LiveSeries
  /** Hostname clients in this thread's own table (IP clients are counted by the shared table). */
  hostClients: number
  /** IP clients seen since the shared table filled (see SharedIpTable.seenClients), or null. */
  ipSketch: UvSketchData | null
}

/** Per-bucket figures without sketches (per-bucket UV here is this thread's estimate). */
export interface LiveSeries {
  level: number
  points: { t: number; pv: number; uv: number; bytes: number }[]
}

export type BatchSink = (batch: IpBatch) => void

const decodeLabel = (bytes: Uint8Array): string => decodeText(bytes, 0, bytes.length, 400)

export class Accumulator {
  readonly rec = new LineRecord()
  /**
   * Live counters. `bodyBytes` is summed in `body` instead (see counts()): a log's body bytes
   * pass 2^31 within its first GB, and a small-integer sum that overflows sends the compiled
   * loop back to the interpreter; a Float64Array element is a double from the start.
   */
  readonly counters: Counters = emptyCounters()
  readonly invalidCounts = new Array<number>(INVALID_REASONS.length).fill(0)
  readonly invalidSamples: string[][] = INVALID_REASONS.map(() => [])
  readonly invalidSampleKeys: number[][] = INVALID_REASONS.map(() => [])
  /** The task whose lines are being counted (its file and start), for invalid-line samples. */
  private taskFile = 0
  private taskStart = 0
  private sampleRank = 0
  readonly statuses = new Float64Array(STATUS_SLOTS)
  private readonly body = new Float64Array(1)
  private hosts: IpTable | null = null
  readonly series: TimeSeries
  /** Top-k summaries: in JavaScript, or in the WebAssembly parser's memory (chunkBuffer()). */
  private paths: TopCounter = new SpaceSaving(TOPK_CAPACITY)
  private agents: TopCounter = new SpaceSaving(TOPK_CAPACITY)
  private referrers: TopCounter = new SpaceSaving(TOPK_CAPACITY)
  /** The WebAssembly parser of this thread's chunks (presets only), see chunkBuffer(). */
  private fast: FastLines | null = null
  /** An IPv6 client of a parsed record, for the shared table. */
  private readonly v6 = new Uint32Array(4)

  constructor(
    private parser: LineParser,
    private readonly ips: SharedIpTable,
    /** Where a full hostname table goes (upserted to SQLite). */
    private readonly onHostsFull: BatchSink,
    private readonly hostCapacity = HOST_TABLE_CAPACITY,
    /** The job's UTC offset (FileParsers.offsetMin), or null: each thread's first line's. */
    private readonly offsetMin: number | null = null,
    /** The time series' first level (FileParsers.seriesLevel). */
    seriesLevel = 0,
    /** Hostname clients the first table holds (FileParsers.firstHosts). */
    private readonly firstHostCapacity = hostCapacity,
  ) {
    this.series = new TimeSeries(offsetMin === null ? null : offsetMin * 60, seriesLevel)
  }

  /** The counters as of now, body bytes included. */
  counts(): Counters {
    return { ...this.counters, bodyBytes: this.body[0]! }
  }

  /**
   * A buffer of `bytes` for the reader to read chunks into, inside the WebAssembly parser's
   * memory (lines() then parses them there), or undefined when no format this thread will read
   * (`shape`, the first of its presets' fast shapes) is a preset, or there is no WebAssembly.
   */
  chunkBuffer(bytes: number, shape = this.parser.fastShape ?? -1): Buffer | undefined {
    if (shape < 0 || this.counters.lines > 0) return undefined
    this.fast ??= FastLines.create(this.parser.fastShape ?? -1, bytes)
    if (!this.fast) return undefined
    // The lines it parses are offered to the summaries there; the others from here, to the same.
    this.paths = this.fast.top.path
    this.agents = this.fast.top.agent
    this.referrers = this.fast.top.referrer
    return this.fast.buf
  }

  /**
   * Read the next lines as `parser`'s format (files of one analysis may differ: each file's own
   * detected format). Between inputs only: a line is never split across a change.
   */
  useParser(parser: LineParser): void {
    this.parser = parser
    if (this.fast) this.fast.shape = parser.fastShape ?? -1
  }

  /** The next lines are those of the task of file `fileIndex` from byte `start` (between tasks). */
  setTask(fileIndex: number, start: number): void {
    this.taskFile = fileIndex
    this.taskStart = start
  }

  /**
   * Keep an invalid line as a sample of `reason`, with where it is: the first SAMPLES_PER_REASON
   * in the files' order among the lines this thread reads.
   */
  private sample(reason: number, buf: Uint8Array, start: number, end: number): void {
    const samples = this.invalidSamples[reason]!
    const keys = this.invalidSampleKeys[reason]!
    const rank = this.sampleRank++
    if (samples.length < SAMPLES_PER_REASON) {
      samples.push(decodeText(buf, start, end, SAMPLE_CHARS))
      keys.push(this.taskFile, this.taskStart, rank)
      return
    }
    // Full: a line from an earlier part of the files (a thread may read a later file first: gzip
    // files go first) takes the place of the latest one kept, so the first lines stay.
    let last = 0
    for (let k = 1; k < samples.length; k++) {
      const d = keys[3 * k]! - keys[3 * last]! || keys[3 * k + 1]! - keys[3 * last + 1]!
      if (d > 0 || (d === 0 && keys[3 * k + 2]! > keys[3 * last + 2]!)) last = k
    }
    const d = this.taskFile - keys[3 * last]! || this.taskStart - keys[3 * last + 1]!
    if (d >= 0) return
    samples[last] = decodeText(buf, start, end, SAMPLE_CHARS)
    keys[3 * last] = this.taskFile
    keys[3 * last + 1] = this.taskStart
    keys[3 * last + 2] = rank
  }

  /** Count every line in buf[start, end); `end` is just past the last line's terminator. */
  lines(
    buf: Uint8Array & { indexOf(v: number, from: number): number },
    start: number,
    end: number,
  ): void {
    const fast = this.fast
    // A format without a fast shape (custom) is read from the same buffer line by line.
    if (fast !== null && fast.shape >= 0 && fast.owns(buf)) {
      this.fastLines(fast, buf, start, end)
      return
    }
    let pos = start
    while (pos < end) {
      let nl = buf.indexOf(10, pos)
      if (nl < 0 || nl >= end) nl = end
      this.one(buf, pos, nl)
      pos = nl + 1
    }
    this.flush()
  }

  /**
   * lines() through the WebAssembly parser: one call parses up to MAX_RECORDS lines into
   * records; the lines it leaves (kind 0) go through one() as before. What is counted per line
   * is one()'s, from the record instead of this.rec (hashes included).
   */
  private fastLines(fast: FastLines, buf: Uint8Array, start: number, end: number): void {
    const i32 = fast.i32
    const f64 = fast.f64
    const base = buf.byteOffset
    const c = this.counters
    const body = this.body
    const statuses = this.statuses
    const ips = this.ips
    const series = this.series
    const v6 = this.v6
    const zone = this.offsetMin
    let pos = start
    while (pos < end) {
      const n = fast.parse(buf, pos, end)
      let w = fast.recordsWord
      for (let r = 0; r < n; r++, w += REC_WORDS) {
        const kind = i32[w + R_KIND]!
        if (kind === 0) {
          this.one(buf, i32[w + R_START]! - base, i32[w + R_END]! - base)
          continue
        }
        c.lines++
        c.pv++
        const d = w >> 1
        const bytes = f64[d + R_BYTES_F64]!
        body[0]! += bytes
        const t = f64[d + R_TIME_F64]!
        // The time range leaves out lines dated before 1991 (see EARLIEST_SEC).
        if (t < c.firstTime && t >= EARLIEST_SEC) c.firstTime = t
        if (t > c.lastTime && t >= EARLIEST_SEC) c.lastTime = t
        const tz = i32[w + R_TZ]!
        if (c.tzOffsetMin === null) c.tzOffsetMin = zone ?? tz
        const status = i32[w + R_STATUS]!
        statuses[status]!++
        let h: number
        if (kind === KIND_V4) {
          const ip = i32[w + R_IP]!
          h = mix32(ip)
          ips.stage4(ip, h, t, status, bytes)
        } else {
          // The words as int32 for the hash (small integers, no heap number; same bits).
          const a = i32[w + R_V6]!
          const b = i32[w + R_V6 + 1]!
          const cc = i32[w + R_V6 + 2]!
          const d6 = i32[w + R_V6 + 3]!
          v6[0] = a
          v6[1] = b
          v6[2] = cc
          v6[3] = d6
          h = mix128(a, b, cc, d6)
          ips.stage6(v6, h, t, status, bytes)
        }
        series.add(t, tz, h, bytes)
        // Path, agent and referrer were offered to the top-k summaries by the parser.
      }
      pos = i32[w - REC_WORDS + R_END]! - base + 1
    }
    this.flush()
  }

  /** Count one line (without its `\n`; a trailing `\r` is tolerated). */
  line(buf: Uint8Array, start: number, end: number): void {
    this.one(buf, start, end)
    this.flush()
  }

  private viewBuf: Uint8Array | null = null
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0))

  /** A DataView over the bytes being parsed (text fields are hashed four bytes at a time). */
  private viewOf(buf: Uint8Array): DataView<ArrayBufferLike> {
    if (buf !== this.viewBuf) {
      this.viewBuf = buf
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    }
    return this.view
  }

  /** Count the lines still staged for the shared table (see SharedIpTable.stage4). */
  flush(): void {
    this.ips.flush()
  }

  /**
   * A refused line with NUL bytes in it, read as the lines between its runs of NULs when one of
   * them is a valid line (returns true; otherwise false, and it stays one invalid line). A server
   * that lost power leaves blocks of zeros where the log's last writes were, with no newline after
   * them: the first line written after the restart is glued to them, and a line they cut before.
   */
  private nulSplit(buf: Uint8Array, start: number, end: number): boolean {
    const rec = this.rec
    if (!someNulFree(buf, start, end, (a, b) => this.parser.parse(buf, a, b, rec) === VALID)) {
      return false
    }
    someNulFree(buf, start, end, (a, b) => {
      this.one(buf, a, b)
      return false
    })
    return true
  }

  private one(buf: Uint8Array, start: number, end: number): void {
    // Blank lines (only spaces, tabs or \r) are not lines of the log.
    let k = start
    while (k < end) {
      const c = buf[k]!
      if (c !== 32 && c !== 13 && c !== 9) break
      k++
    }
    if (k === end) return
    const c = this.counters
    c.lines++
    const rec = this.rec
    const r = this.parser.parse(buf, start, end, rec)
    if (r !== VALID) {
      if (hasNul(buf, k, end) && this.nulSplit(buf, k, end)) {
        c.lines--
        return
      }
      c.invalid++
      const reason = r - 1
      this.invalidCounts[reason]!++
      // A trailing \r is not part of the sample.
      this.sample(reason, buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end)
      return
    }
    c.pv++
    this.body[0]! += rec.bytes
    const t = rec.timeSec
    if (t < c.firstTime && t >= EARLIEST_SEC) c.firstTime = t
    if (t > c.lastTime && t >= EARLIEST_SEC) c.lastTime = t
    if (c.tzOffsetMin === null) c.tzOffsetMin = this.offsetMin ?? rec.tzOffsetMin
    this.statuses[rec.status < STATUS_SLOTS ? rec.status : 0]!++
    let h: number
    if (rec.clientKind === CLIENT_IPV4) {
      // The address as int32: no heap number for the call (see hash.ts).
      const ip = rec.ipv4 | 0
      h = mix32(ip)
      this.ips.stage4(ip, h, t, rec.status, rec.bytes)
    } else if (rec.clientKind === CLIENT_HOST) {
      let hosts = (this.hosts ??= hostTable(Math.min(this.firstHostCapacity, this.hostCapacity)))
      if (!hosts.add(rec, buf)) {
        this.onHostsFull(hosts.drain())
        // A small first table has told the job (FIRST_HOST_TABLE_CAPACITY): full ones from here.
        if (hosts.capacity < this.hostCapacity) hosts = this.hosts = hostTable(this.hostCapacity)
        hosts.add(rec, buf)
      }
      h = hostKeyHash(buf, rec.clientStart, rec.clientEnd)
    } else {
      const w = rec.ipv6
      h = mix128(w[0]!, w[1]!, w[2]!, w[3]!)
      this.ips.stage6(w, h, t, rec.status, rec.bytes)
    }
    this.series.add(t, rec.tzOffsetMin, h, rec.bytes)
    const view = this.viewOf(buf)
    if (rec.pathEnd > rec.pathStart) offer(this.paths, view, buf, rec.pathStart, rec.pathEnd)
    if (rec.agentEnd > rec.agentStart) offer(this.agents, view, buf, rec.agentStart, rec.agentEnd)
    if (rec.refererEnd > rec.refererStart)
      offer(this.referrers, view, buf, rec.refererStart, rec.refererEnd)
  }

  /** A line too long to keep whole: counted once as invalid (truncated), with its start as sample. */
  longLine(buf: Uint8Array, start: number, end: number): void {
    this.counters.lines++
    this.counters.invalid++
    const reason = INVALID_REASONS.indexOf('truncated')
    this.invalidCounts[reason]!++
    this.sample(reason, buf, start, end)
  }

  snapshot(): ThreadSnapshot {
    return {
      counters: this.counts(),
      statuses: this.statuses.slice(),
      // IP clients are in the shared table (the coordinator reads its top); hostnames are here.
      topIps: this.hosts ? this.hosts.top(10) : [],
      series: this.series.live(),
      hostClients: this.hosts ? this.hosts.size : 0,
      ipSketch: this.ips.seenClients(),
    }
  }

  /** Final state; the IP table is drained (sorted) into the result. */
  finish(): ThreadResult {
    return {
      counters: this.counts(),
      invalidCounts: this.invalidCounts.slice(),
      invalidSamples: this.invalidSamples.map((s) => s.slice()),
      invalidSampleKeys: this.invalidSampleKeys.map((s) => s.slice()),
      statuses: this.statuses.slice(),
      hosts: this.hosts ? this.hosts.drain() : emptyBatch(0),
      series: this.series.toData(),
      top: {
        path: this.paths.toData(decodeLabel),
        agent: this.agents.toData(decodeLabel),
        referrer: this.referrers.toData(decodeLabel),
      },
    }
  }
}

function offer(
  ss: TopCounter,
  view: DataView<ArrayBufferLike>,
  buf: Uint8Array,
  start: number,
  end: number,
): void {
  ss.offer(hashBytes(view, buf, start, end), end - start, buf, start, end)
}

/** A table of `capacity` hostname clients, with room for names of HOST_NAME_BYTES in proportion. */
function hostTable(capacity: number): IpTable {
  return new IpTable(capacity, Math.ceil((HOST_NAME_BYTES * capacity) / HOST_TABLE_CAPACITY))
}

function hasNul(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === 0) return true
  return false
}

/** Calls `fn` on each run of non-NUL bytes in [start, end), in order, until it returns true. */
function someNulFree(
  buf: Uint8Array,
  start: number,
  end: number,
  fn: (from: number, to: number) => boolean,
): boolean {
  for (let pos = start; pos < end;) {
    while (pos < end && buf[pos] === 0) pos++
    let stop = pos
    while (stop < end && buf[stop] !== 0) stop++
    if (stop > pos && fn(pos, stop)) return true
    pos = stop
  }
  return false
}

export function reasonName(index: number): InvalidReason {
  return INVALID_REASONS[index]!
}
