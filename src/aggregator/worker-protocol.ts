// Messages between the aggregator's coordinator and its parse worker threads.
import type { ThreadResult, ThreadSnapshot } from '../engine/aggregate/accumulator'
import type { IpBatch } from '../engine/aggregate/ip-table'
import type { FileTask, TaskOutcome } from '../engine/aggregate/reader'
import type { SharedTableBuffers } from '../engine/aggregate/shared-ip-table'

/** Layout of each thread's slot in the shared progress array (Float64). */
export const P_BYTES = 0
export const P_LINES = 1
export const P_PV = 2
export const P_INVALID = 3
export const P_HEAP = 4
/** Eight numbers (one cache line) per thread, so threads never write to the same line. */
export const P_SLOT = 8

export interface WorkerInit {
  /** The job's formats (preset ids or log_format strings), the first the main one. */
  formats: string[]
  /** Per file (FileTask.fileIndex): its index in `formats`. */
  formatOfFile: number[]
  /** The job's UTC offset in minutes, shared by every thread (FileParsers.offsetMin). */
  offsetMin?: number | null
  /** Where every thread's time series starts (FileParsers.seriesLevel). */
  seriesLevel?: number
  /** Hostname clients of the first table (FileParsers.firstHosts). */
  firstHosts?: number
  table: SharedTableBuffers
  /** Float64Array over it: P_SLOT numbers per thread. */
  progress: SharedArrayBuffer
  slot: number
  /** Int32Array over it: [0] = 1 when the analysis is cancelled, [1] = 1 to stop taking tasks. */
  cancel: SharedArrayBuffer
  /**
   * Int32Array over it: [slot] = hostname batches of that thread the coordinator has written. A
   * worker posts its next batch only once the last one is written (see parse-worker.ts).
   */
  written: SharedArrayBuffer
  /** Lines to run first, for type feedback (engine/aggregate/prime.ts); may be empty. */
  prime: Uint8Array
}

/**
 * Threads claim tasks themselves (Atomics.add on the shared queue index), so a worker never waits
 * for the coordinator's thread, which parses too and only answers messages between its tasks.
 */
export type ToWorker =
  /** The first message: what the worker parses and where it counts (it starts idle). */
  | { type: 'init'; init: WorkerInit }
  | { type: 'run'; tasks: FileTask[]; queue: SharedArrayBuffer }
  | { type: 'snapshot' }
  | { type: 'finish' }

export type FromWorker =
  | { type: 'ran'; outcomes: TaskOutcome[] }
  /** A full table of hostname clients; the coordinator counts it in `written` once written. */
  | { type: 'batch'; batch: IpBatch }
  /** This thread found the shared IP table full and parked: drain it. */
  | { type: 'flush' }
  | { type: 'snapshot'; snapshot: ThreadSnapshot }
  | { type: 'result'; result: ThreadResult }
  | { type: 'error'; message: string; code?: string }
