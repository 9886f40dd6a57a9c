// Reading inputs: plain files in byte ranges aligned to line starts (so threads can share one
// file), and gzip files as one stream each. Bytes are read into one reused buffer per thread
// and handed to the accumulator whole lines at a time.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs'
import { createGunzip } from 'node:zlib'
import type { ErrorInfo } from '../../shared/types'

/**
 * A parse thread's read buffer, and the most a plain file's read takes. 512 KB ended the 1 GB
 * bench log's parsing ~30 ms sooner than 256 KB in 10 of 12 interleaved pairs (fewer reads and
 * parse calls; the copy from the page cache competes with the other thread's table misses).
 */
export const CHUNK_BYTES = 512 << 10
/**
 * The most one inflate step writes: a gzip file's lines come in pieces of this size, so the
 * buffer's second half is touched only by plain files and long lines. With the whole buffer,
 * the gzip mix of memory-budget.test.ts peaked ~2 MB higher (its margin is a few MB).
 */
export const GZIP_CHUNK_BYTES = 256 << 10
/**
 * Longest line kept whole; longer lines are counted as one invalid (truncated) line. A line is
 * held whole by every parse thread, and growing to it leaves the smaller buffer as garbage for a
 * while: at 8 MB, two threads on lines just under it took the aggregator to 103 MB. A real
 * access-log line is a few hundred bytes (servers cap request headers at ~8-64 KB).
 */
export const MAX_LINE_BYTES = 1 << 20
/**
 * Plain files are split into ranges of about this size: a queue keeps every thread busy, and the
 * coordinator's own thread (which also parses) answers messages and timers between ranges.
 */
export const RANGE_BYTES = 8 << 20

export interface FileTask {
  kind: 'range' | 'gzip'
  fileIndex: number
  path: string
  name: string
  /** Byte range for 'range' tasks; for gzip, 0 and the compressed size. */
  start: number
  end: number
  /** Size and mtime when the file was chosen: a change during reading is reported. */
  expectedSize: number
}

export interface TaskOutcome {
  /** Input bytes consumed (compressed bytes for gzip). */
  bytes: number
  error: ErrorInfo | null
  /** The part of a range left unread because the thread was asked to stop early (ReadControl.retire). */
  rest?: FileTask
}

/** Split the inputs into tasks: one per gzip file, ranges for plain files. */
export function planTasks(
  inputs: { path: string; name: string; size: number }[],
  isGzip: (i: number) => boolean,
  rangeBytes = RANGE_BYTES,
): FileTask[] {
  const tasks: FileTask[] = []
  inputs.forEach((f, fileIndex) => {
    if (isGzip(fileIndex)) {
      tasks.push({
        kind: 'gzip',
        fileIndex,
        path: f.path,
        name: f.name,
        start: 0,
        end: f.size,
        expectedSize: f.size,
      })
      return
    }
    const n = Math.max(1, Math.ceil(f.size / rangeBytes))
    for (let k = 0; k < n; k++) {
      const start = Math.floor((f.size * k) / n)
      const end = k === n - 1 ? f.size : Math.floor((f.size * (k + 1)) / n)
      tasks.push({
        kind: 'range',
        fileIndex,
        path: f.path,
        name: f.name,
        start,
        end,
        expectedSize: f.size,
      })
    }
  })
  // Big gzip files first: they cannot be split, so starting them early balances the threads.
  return tasks.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'gzip' ? -1 : 1))
}

/** Sniff gzip by its magic bytes, not its name. */
export function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const b = Buffer.alloc(2)
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b
  } finally {
    closeSync(fd)
  }
}

export function fileError(e: unknown, name: string): ErrorInfo {
  const code = (e as { code?: string })?.code
  if (code === 'ENOENT')
    return {
      code: 'NOT_FOUND',
      message: `${name} was not found. It may have been moved or deleted.`,
      params: { file: name },
    }
  if (code === 'EACCES' || code === 'EPERM')
    return {
      code: 'UNREADABLE',
      message: `${name} cannot be read (permission denied).`,
      params: { file: name },
    }
  if (code === 'EISDIR')
    return { code: 'UNREADABLE', message: `${name} is a folder.`, params: { file: name } }
  return {
    code: 'UNREADABLE',
    message: `${name} could not be read: ${(e as Error)?.message ?? String(e)}`,
    params: { file: name },
  }
}

/** Where whole lines go (the Accumulator; tests use a recorder). */
export interface LineSink {
  /** Every line in buf[start, end); `end` is just past a `\n`. */
  lines(buf: Buffer, start: number, end: number): void
  /** One line without its terminator. */
  line(buf: Buffer, start: number, end: number): void
  /** A line too long to keep: its first bytes. */
  longLine(buf: Buffer, start: number, end: number): void
}

/**
 * Feeds whole lines to the accumulator from successive chunks, carrying a partial last line over
 * to the next chunk. Lines longer than MAX_LINE_BYTES are skipped and counted once as invalid.
 */
export class LineAssembler {
  buf: Buffer
  /** Scratch space for finding the first line start of a range (reused: no garbage per task). */
  readonly probe = Buffer.allocUnsafe(64 * 1024)
  /** Bytes [0, fill) of buf hold data not yet consumed. */
  fill = 0
  private skippingLongLine = false
  private atStart = true
  /** The buffer to come back to after one grown for a long line (it may be the sink's own). */
  private readonly home: Buffer
  private spare: Buffer | null = null

  constructor(
    private readonly acc: LineSink,
    size = CHUNK_BYTES,
    /** A buffer of `size` bytes to read into (the WebAssembly parser's, see fast-lines.ts). */
    buf?: Buffer,
  ) {
    this.buf = buf ?? Buffer.allocUnsafe(size)
    this.home = this.buf
  }

  /** Start a new input; `atFileStart` enables the byte-order-mark check. */
  begin(atFileStart: boolean): void {
    this.buf = this.home
    this.fill = 0
    this.skippingLongLine = false
    this.atStart = atFileStart
  }

  /** Room to write the next chunk into: buf[fill, buf.length). Grows for long lines. */
  room(): number {
    if (this.fill === this.buf.length) {
      if (this.buf.length >= MAX_LINE_BYTES) {
        // A single line longer than we keep: count it once, drop its bytes until its end.
        this.acc.longLine(this.buf, 0, Math.min(this.fill, 4096))
        this.skippingLongLine = true
        this.fill = 0
      } else {
        // The biggest buffer grown so far is kept for the next long line: every task starts
        // back in `home`, and a log of long lines would otherwise leave 1.5 MB of garbage a task
        // (16 lines of 8 MB: 96 MiB peak instead of 70).
        const spare = this.spare
        const grown =
          spare !== null && spare.length > this.buf.length
            ? spare
            : Buffer.allocUnsafe(this.buf.length * 2)
        this.buf.copy(grown, 0, 0, this.fill)
        this.buf = grown
        if (spare === null || grown.length > spare.length) this.spare = grown
      }
    }
    return this.buf.length - this.fill
  }

  /** `n` new bytes were written at buf[fill]. Consume every complete line. */
  commit(n: number): void {
    let start = 0
    let end = this.fill + n
    if (this.atStart) {
      // A UTF-8 byte-order mark at the start of a file is not part of the first line.
      if (end < 3 && this.buf.subarray(0, end).indexOf(10) < 0) {
        this.fill = end
        return
      }
      if (end >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf)
        start = 3
      this.atStart = false
    }
    if (this.skippingLongLine) {
      const nl = this.buf.indexOf(10, start)
      if (nl < 0 || nl >= end) {
        this.fill = 0
        return
      }
      this.skippingLongLine = false
      start = nl + 1
    }
    const last = this.buf.lastIndexOf(10, end - 1)
    if (last >= start) {
      this.acc.lines(this.buf, start, last + 1)
      start = last + 1
    }
    if (start > 0) {
      this.buf.copy(this.buf, 0, start, end)
      end -= start
    }
    this.fill = end
  }

  /** Copy src[from, from + n) in and consume every complete line (gzip: inflated chunks). */
  feed(src: Uint8Array, from: number, n: number): void {
    const end = from + n
    while (from < end) {
      const k = Math.min(this.room(), end - from)
      this.buf.set(src.subarray(from, from + k), this.fill)
      from += k
      this.commit(k)
    }
  }

  /** End of input: the last line may lack its newline. */
  finish(): void {
    if (
      this.atStart &&
      this.fill >= 3 &&
      this.buf[0] === 0xef &&
      this.buf[1] === 0xbb &&
      this.buf[2] === 0xbf
    ) {
      this.buf.copy(this.buf, 0, 3, this.fill)
      this.fill -= 3
    }
    if (this.fill > 0 && !this.skippingLongLine) this.acc.line(this.buf, 0, this.fill)
    this.fill = 0
    this.skippingLongLine = false
    this.atStart = true
  }
}

export interface ReadControl {
  cancelled(): boolean
  /**
   * True when this thread should stop at the next chunk and leave the rest of a range to
   * another thread (gzip tasks cannot be split: they are read to the end).
   */
  retire?(): boolean
  /**
   * Something to wait for before reading on, or null: the coordinator's own thread waits while
   * retiring workers finish (see job.ts). Asked between tasks and after each chunk of a gzip task.
   */
  hold?(): Promise<unknown> | null
  /** Bytes of input consumed since the last call (progress). */
  progress(bytes: number): void
}

/**
 * Read a byte range of a plain file: the lines that START in [start, end). A line that starts in
 * the range and runs past `end` is read to its end; the next range skips it.
 */
export function readRange(task: FileTask, asm: LineAssembler, ctl: ReadControl): TaskOutcome {
  let fd: number
  try {
    fd = openSync(task.path, 'r')
  } catch (e) {
    return { bytes: 0, error: fileError(e, task.name) }
  }
  let reported = task.start
  const report = (upTo: number): void => {
    const cur = Math.min(upTo, task.end)
    if (cur > reported) {
      ctl.progress(cur - reported)
      reported = cur
    }
  }
  const shrunk = (): TaskOutcome => ({
    bytes: reported - task.start,
    error: {
      code: 'FILE_CHANGED',
      message: `${task.name} got shorter while it was being read.`,
      params: { file: task.name },
    },
  })
  try {
    if (fstatSync(fd).size < task.end) return shrunk()
    let pos = task.start
    if (task.start > 0) {
      // Skip the tail of a line that began in the previous range.
      const probe = asm.probe
      let at = task.start - 1
      let found = -1
      while (found < 0 && at < task.end) {
        const n = readSync(fd, probe, 0, probe.length, at)
        if (n <= 0) break
        const nl = probe.subarray(0, n).indexOf(10)
        if (nl >= 0) found = at + nl
        else at += n
      }
      if (found < 0 || found + 1 >= task.end) {
        report(task.end)
        return { bytes: task.end - task.start, error: null }
      }
      pos = found + 1
    }
    asm.begin(pos === 0)
    for (;;) {
      if (ctl.cancelled()) return { bytes: reported - task.start, error: null }
      if (ctl.retire?.()) {
        // Every line before the partial one in the buffer is counted: the rest starts there.
        const at = pos - asm.fill
        if (at < task.end) {
          report(at)
          return { bytes: at - task.start, error: null, rest: { ...task, start: at } }
        }
      }
      const room = asm.room()
      const base = pos - asm.fill // file offset of asm.buf[0]
      const n = readSync(fd, asm.buf, asm.fill, room, pos)
      if (n <= 0) {
        if (pos < task.end) return shrunk()
        asm.finish()
        break
      }
      pos += n
      if (pos >= task.end) {
        // Keep the lines that start before `end`: up to the newline ending the line that holds
        // byte end-1.
        const from = Math.max(task.end - 1 - base, 0)
        const nl = asm.buf.subarray(0, asm.fill + n).indexOf(10, from)
        if (nl >= 0) {
          asm.commit(nl + 1 - asm.fill)
          break
        }
      }
      asm.commit(n)
      // Progress counts the bytes of whole lines only (a range left early resumes at a line).
      report(pos - asm.fill)
    }
    report(task.end)
    return { bytes: task.end - task.start, error: null }
  } catch (e) {
    return { bytes: reported - task.start, error: fileError(e, task.name) }
  } finally {
    closeSync(fd)
  }
}

/** Inflated chunks waiting to be parsed before the stream is paused (256 KB each). */
const GZIP_QUEUE = 4

/** What a damaged gzip file gives, whichever way it was inflated: the part before was counted. */
export function gzipCorrupt(name: string, detail: string): ErrorInfo {
  return {
    code: 'GZIP_CORRUPT',
    message: `${name} is a damaged gzip file (${detail}); the readable part was counted.`,
    params: { file: name },
  }
}

/**
 * Stream a gzip file through the assembler with zlib's stream. A corrupt or truncated stream
 * keeps what was read. Only where zlib cannot be driven in place (gunzip.ts): this way leaves up
 * to ~32 MB of dead chunks on the heap. Inflating (zlib, on libuv's thread pool) and parsing
 * (this thread) overlap: each inflated chunk is queued and parsed on its own turn of the event
 * loop, so zlib has the next chunk under way meanwhile.
 */
export function readGzip(
  task: FileTask,
  asm: LineAssembler,
  ctl: ReadControl,
): Promise<TaskOutcome> {
  return new Promise((resolve, reject) => {
    let compressed = 0
    let settled = false
    const input = createReadStream(task.path, { highWaterMark: 256 * 1024 })
    const gunzip = createGunzip({ chunkSize: 256 * 1024 })
    const queue: Buffer[] = []
    let scheduled = false
    /** How the stream ended (null: at its end, cleanly), once it has. */
    let ended: ErrorInfo | null | undefined
    asm.begin(true)
    // Counting itself failed (a full disk under the key-range records): the task fails with it.
    const fail = (e: unknown): void => {
      if (settled) return
      settled = true
      input.destroy()
      gunzip.destroy()
      reject(e instanceof Error ? e : new Error(String(e)))
    }
    const done = (error: ErrorInfo | null): void => {
      if (settled) return
      try {
        asm.finish()
      } catch (e) {
        return fail(e)
      }
      settled = true
      input.destroy()
      gunzip.destroy()
      resolve({ bytes: compressed, error })
    }
    // One chunk per turn: zlib's callbacks (the next chunk inflated) run in between.
    const pump = (): void => {
      scheduled = false
      if (settled) return
      const out = queue.shift()
      if (out) {
        try {
          asm.feed(out, 0, out.length)
        } catch (e) {
          return fail(e)
        }
      }
      if (ctl.cancelled()) return done(null)
      if (queue.length > 0) schedule()
      else if (ended !== undefined) done(ended)
      if (queue.length < GZIP_QUEUE && gunzip.isPaused()) gunzip.resume()
    }
    const schedule = (): void => {
      if (scheduled || settled) return
      scheduled = true
      setImmediate(pump)
    }
    // The stream is over: what is queued is still parsed first (the readable part).
    const end = (error: ErrorInfo | null): void => {
      if (ended !== undefined) return
      ended = error
      schedule()
    }
    input.on('data', (chunk) => {
      compressed += chunk.length
      ctl.progress(chunk.length)
      if (ctl.cancelled()) done(null)
    })
    input.on('error', (e) => end(fileError(e, task.name)))
    gunzip.on('data', (out: Buffer) => {
      queue.push(out)
      if (queue.length >= GZIP_QUEUE) gunzip.pause()
      schedule()
    })
    gunzip.on('error', (e) => end(gzipCorrupt(task.name, e.message)))
    gunzip.on('end', () => end(null))
    input.pipe(gunzip)
  })
}
