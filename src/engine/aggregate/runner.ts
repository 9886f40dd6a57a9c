// One thread's worth of work: an accumulator fed by a line assembler, task after task.
// Used inside parse worker threads and, for small inputs or --jobs 1, on the aggregator's own
// thread.
import type { LineParser } from '../parser/record'
import { Accumulator, type BatchSink } from './accumulator'
import {
  LineAssembler,
  readGzip,
  readRange,
  type FileTask,
  type ReadControl,
  type TaskOutcome,
} from './reader'

export class ThreadRunner {
  readonly acc: Accumulator
  private readonly asm: LineAssembler

  constructor(parser: LineParser, ipCapacity: number, onBatch: BatchSink) {
    this.acc = new Accumulator(parser, ipCapacity, onBatch)
    this.asm = new LineAssembler(this.acc)
  }

  run(task: FileTask, ctl: ReadControl): Promise<TaskOutcome> {
    if (task.kind === 'gzip') return readGzip(task, this.asm, ctl)
    return Promise.resolve(readRange(task, this.asm, ctl))
  }
}
