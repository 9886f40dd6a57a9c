// A parse worker thread: runs tasks (file ranges, gzip files) through its own accumulator and
// hands back IP batches when its table fills, snapshots on request, and its result at the end.
// It starts idle (often when the aggregator process starts, before any job: a thread's isolate
// takes 60-70 ms to boot on a small machine) and is set up by its first message, `init`.
import { parentPort, type TransferListItem } from 'node:worker_threads'
import type { IpBatch } from '../engine/aggregate/ip-table'
import { prime } from '../engine/aggregate/prime'
import { ThreadRunner } from '../engine/aggregate/runner'
import { SharedIpTable } from '../engine/aggregate/shared-ip-table'
import { compileFormat } from '../engine/parser'
import type { LineParser } from '../engine/parser/record'
import { P_BYTES, P_HEAP, P_INVALID, P_LINES, P_PV, P_SLOT } from './worker-protocol'
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol'
import type { FileTask, TaskOutcome } from '../engine/aggregate/reader'

const port = parentPort!

const post = (msg: FromWorker, transfer?: TransferListItem[]): void =>
  port.postMessage(msg, transfer)

const transferList = (b: IpBatch): TransferListItem[] =>
  [b.pv, b.bytes, b.first, b.last, b.s2xx, b.s3xx, b.s4xx, b.s5xx].map(
    (a) => a.buffer as ArrayBuffer,
  )

// This thread's heap counts against the process's budget too: collect while parked (the
// coordinator is draining anyway) and every few seconds (the process runs with --expose-gc).
const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

/** The worker's part of one job, set up from its `init` message. */
function start(init: WorkerInit) {
  const progress = new Float64Array(init.progress)
  const cancel = new Int32Array(init.cancel)
  const base = init.slot * P_SLOT
  const parsers: LineParser[] = []
  for (const format of init.formats) {
    const compiled = compileFormat(format)
    if (!compiled.ok) {
      post({ type: 'error', message: compiled.error })
      process.exit(1)
    }
    parsers.push(compiled.parser)
  }
  // Type feedback for the rare paths before the first real line (prime.ts).
  prime(parsers[0]!, init.prime)
  const table = new SharedIpTable(init.table, init.slot)
  table.onFlushRequested = () => post({ type: 'flush' })
  table.onPark = gc
  let lastGc = Date.now()
  // A full table of hostname clients goes to the coordinator, which writes it to SQLite between
  // its own chunks: one at a time. Posted faster than they were written (a gzip file of hostnames
  // read here while the coordinator parses another), batches waited in the message queue, ~1 MB
  // each outside any heap: 27 at once, +30 MB of peak RSS, in one run, and the queue grew with
  // the file. While this thread waits it still parks for a drain of the shared table (the
  // coordinator may need one before it gets back to its messages); the hostname line in hand has
  // nothing in that table, and lines staged for it wait across a park as they do when a region
  // fills. Once posted, the drained table's names and the batch's strings are garbage: collected
  // then (~6 MB less peak RSS with 300k hostnames; this thread's old generation otherwise waits).
  const written = new Int32Array(init.written)
  let posted = 0
  const postBatch = (batch: IpBatch): void => {
    while (Atomics.load(written, init.slot) < posted && Atomics.load(cancel, 0) !== 1) {
      table.parkIfRequested()
      Atomics.wait(written, init.slot, posted - 1, 10)
    }
    posted++
    post({ type: 'batch', batch }, transferList(batch))
    gc()
  }
  const runner = new ThreadRunner(
    {
      parsers,
      ofFile: init.formatOfFile,
      offsetMin: init.offsetMin,
      seriesLevel: init.seriesLevel,
      firstHosts: init.firstHosts,
    },
    table,
    postBatch,
  )
  const c = runner.acc.counters

  let lastHeap = 0
  function publish(): void {
    progress[base + P_LINES] = c.lines
    progress[base + P_PV] = c.pv
    progress[base + P_INVALID] = c.invalid
    // memoryUsage() costs a few syscalls: a few times a second is plenty.
    const now = Date.now()
    if (now - lastHeap >= 200) {
      lastHeap = now
      progress[base + P_HEAP] = process.memoryUsage().heapUsed
    }
  }

  const ctl = {
    cancelled: () => Atomics.load(cancel, 0) === 1,
    // Retired (see job.ts): stop at the next chunk, the coordinator's thread reads the rest.
    retire: () => Atomics.load(cancel, 1) === 1,
    progress: (bytes: number) => {
      progress[base + P_BYTES]! += bytes
      publish()
      table.parkIfRequested()
      if (Date.now() - lastGc >= 3000) {
        lastGc = Date.now()
        gc()
      }
    },
  }

  /** An error, with its code (ENOSPC…) so the coordinator can say what happened. */
  function postError(e: unknown): void {
    table.abandonRecords()
    const code = (e as NodeJS.ErrnoException)?.code
    const err = e as Error | undefined
    post({ type: 'error', message: String((code ? err?.message : err?.stack) ?? e), code })
  }

  async function runQueue(tasks: FileTask[], queue: Int32Array): Promise<TaskOutcome[]> {
    const outcomes: TaskOutcome[] = []
    for (;;) {
      // Between tasks: answer messages (snapshot requests) before claiming the next one.
      await new Promise((r) => setImmediate(r))
      // Cancelled, or retired: the coordinator's thread takes the remaining tasks alone.
      if (ctl.cancelled() || Atomics.load(cancel, 1) === 1) break
      const i = Atomics.add(queue, 0, 1)
      if (i >= tasks.length) break
      const outcome = await runner.run(tasks[i]!, ctl)
      outcomes.push(outcome)
      if (outcome.rest) break
    }
    publish()
    return outcomes
  }

  return (msg: ToWorker): void => {
    if (msg.type === 'run') {
      runQueue(msg.tasks, new Int32Array(msg.queue)).then(
        (outcomes) => post({ type: 'ran', outcomes }),
        (e: unknown) => postError(e),
      )
    } else if (msg.type === 'snapshot') {
      post({ type: 'snapshot', snapshot: runner.acc.snapshot() })
    } else if (msg.type === 'finish') {
      publish()
      const result = runner.acc.finish()
      try {
        // Key-range records (the table filled): written out before the coordinator reads them.
        table.closeRecords()
      } catch (e) {
        postError(e)
        return
      }
      post({ type: 'result', result }, transferList(result.hosts))
    }
  }
}

let handle: ((msg: ToWorker) => void) | null = null
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') handle = start(msg.init)
  else handle?.(msg)
})
