// The coordinator's view of a parsing thread: a worker thread, or the coordinator's own thread
// (small inputs, --jobs 1), behind one interface.
import type { Worker } from 'node:worker_threads'
import type { ThreadResult, ThreadSnapshot } from '../engine/aggregate/accumulator'
import type { IpBatch } from '../engine/aggregate/ip-table'
import type { FileTask, TaskOutcome } from '../engine/aggregate/reader'
import { ThreadRunner, type FileParsers } from '../engine/aggregate/runner'
import type { SharedIpTable } from '../engine/aggregate/shared-ip-table'
import { P_BYTES, P_HEAP, P_INVALID, P_LINES, P_PV, P_SLOT } from './worker-protocol'
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol'
import { spawnParseWorker } from './standby'

export interface ParseThread {
  /** Run tasks from the shared queue until it is empty (or the job is cancelled). */
  runQueue(tasks: FileTask[], queue: Int32Array): Promise<TaskOutcome[]>
  snapshot(): Promise<ThreadSnapshot>
  finish(): Promise<ThreadResult>
  terminate(): Promise<void>
}

export interface ThreadShared {
  progress: Float64Array
  cancel: Int32Array
  /** Per thread: hostname batches written (WorkerInit.written). */
  written: Int32Array
}

export function createShared(threads: number): ThreadShared {
  return {
    progress: new Float64Array(new SharedArrayBuffer(8 * P_SLOT * threads)),
    // [0] the job is cancelled; [1] worker threads stop taking tasks (see job.ts, retire).
    cancel: new Int32Array(new SharedArrayBuffer(8)),
    written: new Int32Array(new SharedArrayBuffer(4 * threads)),
  }
}

/**
 * Progress of every thread the job started (`threads` of them), retired ones included: what a
 * retired worker read stays read.
 */
export function sumProgress(shared: ThreadShared, threads: number) {
  const p = shared.progress
  let bytes = 0
  let lines = 0
  let pv = 0
  let invalid = 0
  let heap = 0
  for (let t = 0; t < threads; t++) {
    const b = t * P_SLOT
    bytes += p[b + P_BYTES]!
    lines += p[b + P_LINES]!
    pv += p[b + P_PV]!
    invalid += p[b + P_INVALID]!
    heap += p[b + P_HEAP]!
  }
  return { bytes, lines, pv, invalid, heap }
}

/** Parsing on the coordinator's own thread, yielding to the event loop between tasks. */
export class InlineThread implements ParseThread {
  private readonly runner: ThreadRunner

  constructor(
    formats: FileParsers,
    table: SharedIpTable,
    onHosts: (b: IpBatch) => void,
    private readonly shared: ThreadShared,
    private readonly slot: number,
    inflateEntry?: string,
    /** What to wait for before reading on (ReadControl.hold). */
    private readonly hold: () => Promise<unknown> | null = () => null,
  ) {
    this.runner = new ThreadRunner(formats, table, onHosts, inflateEntry)
  }

  private publish(): void {
    const c = this.runner.acc.counters
    const b = this.slot * P_SLOT
    const p = this.shared.progress
    p[b + P_LINES] = c.lines
    p[b + P_PV] = c.pv
    p[b + P_INVALID] = c.invalid
  }

  async runQueue(tasks: FileTask[], queue: Int32Array): Promise<TaskOutcome[]> {
    const outcomes: TaskOutcome[] = []
    for (;;) {
      // Between tasks: answer messages (a worker's drain request, cancel) and run the timers.
      await new Promise((r) => setImmediate(r))
      const held = this.hold()
      if (held) await held
      if (Atomics.load(this.shared.cancel, 0) === 1) break
      const i = Atomics.add(queue, 0, 1)
      if (i >= tasks.length) break
      outcomes.push(await this.runTask(tasks[i]!))
    }
    return outcomes
  }

  private async runTask(task: FileTask): Promise<TaskOutcome> {
    const outcome = await this.runner.run(task, {
      cancelled: () => Atomics.load(this.shared.cancel, 0) === 1,
      hold: this.hold,
      // A plain range cannot wait midway (it is read without a turn): it stops at the next
      // chunk instead, and its rest is read at the end.
      retire: () => this.hold() !== null,
      progress: (bytes) => {
        this.shared.progress[this.slot * P_SLOT + P_BYTES]! += bytes
        this.publish()
      },
    })
    this.publish()
    return outcome
  }

  async snapshot(): Promise<ThreadSnapshot> {
    return this.runner.acc.snapshot()
  }

  async finish(): Promise<ThreadResult> {
    return this.runner.acc.finish()
  }

  async terminate(): Promise<void> {}
}

/** Parsing in a worker thread (src/aggregator/parse-worker.ts). */
export class WorkerThread implements ParseThread {
  private readonly worker: Worker
  private pending: {
    kind: FromWorker['type']
    resolve: (v: never) => void
    reject: (e: Error) => void
  }[] = []
  private failed: Error | null = null
  private readonly written: Int32Array
  private readonly slot: number
  private readonly progress: Float64Array

  constructor(
    /** The worker script, or a worker already started from it (StandbyWorkers). */
    worker: string | Worker,
    init: WorkerInit,
    private readonly onBatch: (b: IpBatch) => void,
    private readonly onFlush: () => void,
  ) {
    this.written = new Int32Array(init.written)
    this.slot = init.slot
    this.progress = new Float64Array(init.progress)
    this.worker = typeof worker === 'string' ? spawnParseWorker(worker) : worker
    this.worker.on('message', (m: FromWorker) => this.onMessage(m))
    this.worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))))
    this.worker.on('exit', (code) => {
      if (this.pending.length > 0) this.fail(new Error(`parse worker exited (code ${code})`))
    })
    this.worker.postMessage({ type: 'init', init } satisfies ToWorker)
  }

  private fail(e: Error): void {
    this.failed = e
    const pending = this.pending
    this.pending = []
    for (const p of pending) p.reject(e)
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'batch') {
      try {
        this.onBatch(m.batch)
      } finally {
        // Written (or failed, which cancels the job): the worker may post its next one.
        Atomics.add(this.written, this.slot, 1)
        Atomics.notify(this.written, this.slot)
      }
      return
    }
    if (m.type === 'flush') {
      this.onFlush()
      return
    }
    if (m.type === 'error') {
      this.fail(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}))
      return
    }
    const i = this.pending.findIndex((p) => p.kind === m.type)
    if (i < 0) return
    const [p] = this.pending.splice(i, 1)
    const value = m.type === 'ran' ? m.outcomes : m.type === 'snapshot' ? m.snapshot : m.result
    p!.resolve(value as never)
  }

  private request<T>(msg: ToWorker, kind: FromWorker['type']): Promise<T> {
    if (this.failed) return Promise.reject(this.failed)
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ kind, resolve: resolve as (v: never) => void, reject })
      this.worker.postMessage(msg)
    })
  }

  runQueue(tasks: FileTask[], queue: Int32Array): Promise<TaskOutcome[]> {
    return this.request({ type: 'run', tasks, queue: queue.buffer as SharedArrayBuffer }, 'ran')
  }

  snapshot(): Promise<ThreadSnapshot> {
    return this.request({ type: 'snapshot' }, 'snapshot')
  }

  finish(): Promise<ThreadResult> {
    return this.request({ type: 'finish' }, 'result')
  }

  async terminate(): Promise<void> {
    await this.worker.terminate()
    // Its bytes and lines stay counted (sumProgress); its heap is gone.
    this.progress[this.slot * P_SLOT + P_HEAP] = 0
  }
}
