// Parse workers: how they are started, and the ones started before the job.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

/**
 * Parse threads the 100 MB budget has room for: each costs ~11 MB (1 GB bench log, 500k clients:
 * 92.6 MB with two, 103.1 with three, 114.7 with four; `--jobs 8` on a 200 MB log reached
 * 137 MB). So a machine with more cores still parses on two by default; `--jobs N` may ask for
 * more, with a warning.
 */
export const BUDGET_THREADS = 2

/** Parse threads for a machine with `cores` cores: one per core, within the budget. */
export function threadsFor(cores: number): number {
  return Math.max(1, Math.min(cores, BUDGET_THREADS))
}

export function defaultJobs(): number {
  return threadsFor(availableParallelism())
}

/**
 * Heap limits of the aggregator's parse and range writer threads: a small young generation, as
 * their loops allocate little and every MB counts against the aggregator's 100 MB budget.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 256 }

/** How parse workers are made: started idle, set up by their first message (parse-worker.ts). */
export function spawnParseWorker(entry: string): Worker {
  return new Worker(entry, { resourceLimits: WORKER_LIMITS })
}

/**
 * Parse workers started before the job, when the aggregator process starts: a worker's isolate
 * takes 60-70 ms to boot on a two-core machine and its modules as long again to load, time in
 * which the coordinator's thread would parse alone. The job takes what it needs; the rest are
 * stopped.
 */
export class StandbyWorkers {
  private idle: Worker[]
  private readonly exited = new Set<Worker>()
  /** Workers handed to a job so far. */
  taken = 0

  constructor(
    readonly entry: string,
    count: number,
  ) {
    this.idle = Array.from({ length: Math.max(0, count) }, () => spawnParseWorker(entry))
    // An idle worker must not keep the process alive, nor fail it (errors surface in the job
    // that takes it, or never).
    for (const w of this.idle) {
      w.unref()
      w.on('error', () => undefined)
      w.once('exit', () => this.exited.add(w))
    }
  }

  get size(): number {
    return this.idle.length
  }

  /** A booted (or booting) worker for `entry`, or null when none is left. */
  take(entry: string): Worker | null {
    if (entry !== this.entry) return null
    let w = this.idle.shift()
    // One that died while idle (it should not) is replaced by a fresh start.
    while (w && this.exited.has(w)) w = this.idle.shift()
    if (!w) return null
    w.ref()
    this.taken++
    return w
  }

  /** Stop the workers nobody took. */
  async dispose(): Promise<void> {
    const idle = this.idle
    this.idle = []
    await Promise.all(idle.map((w) => w.terminate()))
  }
}
