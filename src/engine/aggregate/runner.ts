// One thread's worth of work: an accumulator fed by a line assembler, task after task.
// Used inside parse worker threads and, for small inputs or --jobs 1, on the aggregator's own
// thread.
import type { LineParser } from '../parser/record'
import { Accumulator, type BatchSink } from './accumulator'
import {
  CHUNK_BYTES,
  LineAssembler,
  readGzip,
  readRange,
  type FileTask,
  type ReadControl,
  type TaskOutcome,
} from './reader'
import { THREAD_IDLE, THREAD_RUNNING, type SharedIpTable } from './shared-ip-table'
import { INFLATER_MIN_BYTES, readGzipInWorker } from './inflate'
import { canGunzipInPlace, readGzipInPlace } from './gunzip'

/**
 * The formats of a job's files: the parsers, and for each file (FileTask.fileIndex) the index of
 * its parser. A format given by the user is every file's; detected, each file has its own.
 */
export interface FileParsers {
  parsers: readonly LineParser[]
  ofFile: readonly number[]
  /**
   * The log's UTC offset in minutes (its first valid line's), shared by every thread: their time
   * buckets line up, and the analysis's time zone is the same whichever thread reads which file.
   * Null or absent: each thread takes its own first line's.
   */
  offsetMin?: number | null
  /**
   * The level every thread's time series starts at: the one a span the logs are known to cover
   * calls for (span-hint.ts); absent, minutes.
   */
  seriesLevel?: number
  /**
   * Hostname clients a thread's first table holds (FIRST_HOST_TABLE_CAPACITY, where the job
   * needs to know early that hostnames spill); absent, a full table (HOST_TABLE_CAPACITY).
   */
  firstHosts?: number
}

/** One format for every file. */
export const oneParser = (parser: LineParser): FileParsers => ({ parsers: [parser], ofFile: [] })

export class ThreadRunner {
  readonly acc: Accumulator
  private readonly asm: LineAssembler
  private current: LineParser

  constructor(
    private readonly formats: FileParsers,
    private readonly table: SharedIpTable,
    onHosts: BatchSink,
    /**
     * The inflating worker's script (src/aggregator/inflate-worker.ts), for a thread that parses
     * alone (the other core is free); without it, gzip files are inflated on this thread.
     */
    private readonly inflateEntry?: string,
  ) {
    this.current = formats.parsers[0]!
    this.acc = new Accumulator(
      this.current,
      table,
      onHosts,
      undefined,
      formats.offsetMin ?? null,
      formats.seriesLevel ?? 0,
      formats.firstHosts,
    )
    // The chunk buffer is the WebAssembly parser's when any format is a preset: read straight
    // into it.
    const shape = formats.parsers.map((p) => p.fastShape ?? -1).find((s) => s >= 0) ?? -1
    this.asm = new LineAssembler(this.acc, CHUNK_BYTES, this.acc.chunkBuffer(CHUNK_BYTES, shape))
  }

  async run(task: FileTask, ctl: ReadControl): Promise<TaskOutcome> {
    const parser = this.formats.parsers[this.formats.ofFile[task.fileIndex] ?? 0]!
    if (parser !== this.current) {
      this.acc.useParser(parser)
      this.current = parser
    }
    this.acc.setTask(task.fileIndex, task.start)
    this.table.setState(THREAD_RUNNING)
    try {
      if (task.kind === 'gzip') {
        // Inflated into buffers we own (gunzip.ts), in a thread of its own when one was given
        // (a core is free); zlib's stream only where its internals are not there.
        if (!canGunzipInPlace()) return await readGzip(task, this.asm, ctl)
        if (this.inflateEntry && task.end >= INFLATER_MIN_BYTES)
          return await readGzipInWorker(task, this.asm, ctl, this.inflateEntry)
        return await readGzipInPlace(task, this.asm, ctl)
      }
      return readRange(task, this.asm, ctl)
    } finally {
      this.table.setState(THREAD_IDLE)
    }
  }
}
