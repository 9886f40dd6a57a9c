// Progress, memory samples and partial results of a running job, on a timer (≤ 250 ms).
import type { MemorySample, PartialEvent, ProgressEvent } from '../shared/types'
import type { ThreadSnapshot } from '../engine/aggregate/accumulator'
import { mergeSnapshots } from '../engine/aggregate/merge'
import type { SharedIpTable } from '../engine/aggregate/shared-ip-table'
import type { ChildToParent } from './protocol'
import { sumProgress, type ParseThread, type ThreadShared } from './threads'
import { P_SLOT } from './worker-protocol'

const PARTIAL_EVERY_MS = 1000
/** The live top clients scan the whole table: not every second. */
const TOP_IPS_EVERY_MS = 3000

/** A full collection when the process runs with --expose-gc (the aggregator does). */
export function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

/** Real peak RSS of this process (the kernel's high-water mark), in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024
}

export interface TelemetryOptions {
  analysisId: number
  startedAt: number
  totalBytes: number
  intervalMs: number
  shared: ThreadShared
  threads: ParseThread[]
  table: SharedIpTable
  format: string
  /** Partial results besides progress (JobSpec.livePartials). */
  partials: boolean
  emit: (msg: ChildToParent) => void
}

export class Telemetry {
  readonly memory: MemorySample[] = []
  private timer: NodeJS.Timeout | null = null
  private lastPartial = 0
  private snapshotting = false
  private topIps: { ip: string; pv: number }[] = []
  /** Distinct clients already written by spills (set by the job after each one). */
  spilledClients = 0
  /**
   * The top clients when the table filled and began to route lines to key ranges (it counts
   * nothing more while the logs are read): the live preview keeps showing them.
   */
  frozenTop: { ip: string; pv: number }[] | null = null
  /** Key ranges counted so far, once every line is read (set by the job). */
  private ranges: { done: number; total: number; startedAt: number } | null = null
  /** Clients whose final rows are being written (set by the job), or null. */
  private savingClients: number | null = null
  private lastTop = 0
  private lastEmit = 0

  constructor(private readonly o: TelemetryOptions) {}

  /** The client table from now on (the key ranges are counted in one of their own). */
  replaceTable(table: SharedIpTable): void {
    this.o.table = table
  }

  /** Whether it sends partial results: what only they show need not be worked out otherwise. */
  get partials(): boolean {
    return this.o.partials
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), Math.min(this.o.intervalMs, 250))
    this.tick()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Counting key range `done` of `total` now (the job, after reading): progress says so. */
  rangesDone(done: number, total: number): void {
    // The first is said at once (the reading just ended), the next ones at most every interval.
    const first = this.ranges === null
    this.ranges ??= { done, total, startedAt: Date.now() }
    this.ranges.done = done
    this.pulse(first)
  }

  /** Writing the final rows of `clients` clients now (the job, after counting): said at once. */
  saving(clients: number): void {
    this.savingClients = clients
    this.pulse(true)
  }

  /** Take a sample now (also recorded in `memory`). */
  sample(): ProgressEvent {
    const o = this.o
    // Every slot, not only the threads still running: a retired worker's bytes stay read.
    const p = sumProgress(o.shared, o.shared.progress.length / P_SLOT)
    const mu = process.memoryUsage()
    const elapsedMs = Date.now() - o.startedAt
    const heapUsed = mu.heapUsed + p.heap
    this.memory.push({ t: elapsedMs, rss: mu.rss, heapUsed })
    const secs = Math.max(elapsedMs / 1000, 0.001)
    const rate = p.bytes / secs
    const out: ProgressEvent = {
      analysisId: o.analysisId,
      bytesDone: Math.min(p.bytes, o.totalBytes),
      bytesTotal: o.totalBytes,
      lines: p.lines,
      pv: p.pv,
      invalid: p.invalid,
      elapsedMs,
      mbPerSecond: rate / 1e6,
      linesPerSecond: p.lines / secs,
      etaMs: p.bytes > 0 && elapsedMs > 300 ? ((o.totalBytes - p.bytes) / rate) * 1000 : null,
      rssBytes: mu.rss,
      heapUsedBytes: heapUsed,
      currentFile: null,
    }
    const r = this.ranges
    if (r) {
      out.ranges = { done: r.done, total: r.total }
      // The time left, from the ranges counted so far.
      out.etaMs = r.done > 0 ? ((Date.now() - r.startedAt) / r.done) * (r.total - r.done) : null
    }
    if (this.savingClients !== null) {
      out.saving = { clients: this.savingClients }
      out.etaMs = null
    }
    return out
  }

  /**
   * A progress and memory sample if the last one is older than the interval (or `now`): for
   * code that keeps this thread busy (SQLite writes), where the timer cannot fire.
   */
  pulse(now = false): void {
    if (!now && Date.now() - this.lastEmit < Math.min(this.o.intervalMs, 250)) return
    this.lastEmit = Date.now()
    this.o.emit({ type: 'progress', progress: this.sample() })
  }

  private tick(): void {
    const now = Date.now()
    this.lastEmit = now
    const progress = this.sample()
    this.o.emit({ type: 'progress', progress })
    // The first partial once lines are read (at the first tick after, ≤ 250 ms), then one a
    // second: one at the start would show zeros (and the live client count from the shared
    // table beside them) until the next, a second later, when a 1 GB log is nearly done.
    if (
      !this.snapshotting &&
      progress.lines > 0 &&
      (this.lastPartial === 0 || now - this.lastPartial >= PARTIAL_EVERY_MS)
    )
      void this.partial()
  }

  /**
   * Partial results from every thread's snapshot, sent now. The job calls it once every line is
   * read (`whole`): the live figures then show the whole log while the clients are written
   * (seconds, for logs with more clients than the table holds), not the last second's, and the
   * top clients are those of the whole log, not of a scan up to 3 s old.
   */
  async partial(whole = false): Promise<void> {
    if (!this.o.partials) return
    this.lastPartial = Date.now()
    this.snapshotting = true
    try {
      const snaps: ThreadSnapshot[] = await Promise.all(this.o.threads.map((t) => t.snapshot()))
      if (this.frozenTop) this.topIps = this.frozenTop
      else if (whole || this.topIps.length === 0 || Date.now() - this.lastTop >= TOP_IPS_EVERY_MS) {
        this.lastTop = Date.now()
        this.topIps = this.o.table.top(10)
      }
      const partial: PartialEvent = mergeSnapshots(this.o.analysisId, snaps, {
        format: this.o.format,
        memory: this.memory.slice(-600),
        topIps: this.topIps,
        ipClients: this.spilledClients + this.o.table.size,
      })
      this.o.emit({ type: 'partial', partial })
    } catch {
      // A thread that failed: the job reports it.
    } finally {
      this.snapshotting = false
    }
  }
}
