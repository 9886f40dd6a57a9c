// The aggregator's coordinator for one analysis: picks the format, splits the inputs into tasks
// for the parse threads (its own thread is one of them), handles the shared IP table when it
// fills (key ranges on disk the first time, counted range by range at the end; SQLite spills
// where that cannot be), reports progress, memory and partial results, and writes the result in
// one final transaction. The database is opened only to write (a spill or the end): the service
// records progress meanwhile, and better-sqlite3 stays out of memory while the logs are read.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AnalysisStatus, ErrorInfo } from '../shared/types'
import { firstHostsFor, type ThreadResult } from '../engine/aggregate/accumulator'
import { batchCursor, type IpBatch, type RowCursor } from '../engine/aggregate/ip-table'
import {
  errorLogServer,
  inspectFile,
  notALogError,
  notTextError,
} from '../engine/aggregate/inspect'
import { mergeResults } from '../engine/aggregate/merge'
import {
  freeBytes,
  MAX_PARTS,
  partFile,
  partsFor,
  readRecords,
  RECORD_CARRY_BYTES,
  recordBytesNeeded,
  spillDirOf,
} from '../engine/aggregate/partition'
import { prime, primingSample } from '../engine/aggregate/prime'
import { planTasks, fileError, type FileTask, type TaskOutcome } from '../engine/aggregate/reader'
import { oneParser, type FileParsers } from '../engine/aggregate/runner'
import {
  createSharedTable,
  SharedIpTable,
  type SharedTableBuffers,
  slotsFor,
  THREAD_IDLE,
  THREAD_RUNNING,
} from '../engine/aggregate/shared-ip-table'
import { compileFormat, detectFileFormat, detectFormat } from '../engine/parser'
import { LineRecord, type LineParser } from '../engine/parser/record'
import { openDatabase, toErrorInfo, truncateWalPast, type Db } from '../engine/store/db'
import { firstLineTime, firstValidLine, seriesLevelHint } from '../engine/aggregate/span-hint'
import { ipTableName } from '../engine/store/migrations'
import { packRows, type PackedRows } from '../engine/store/packed-rows'
import { AnalysisWriter } from '../engine/store/writer'
import {
  INLINE_BELOW_BYTES,
  type ChildToParent,
  type DoneSummary,
  type IndexSpec,
  type JobSpec,
} from './protocol'
import { RangeWriter } from './range-writes'
import { collectGarbage, peakRss, Telemetry } from './telemetry'
import { createShared, InlineThread, sumProgress, WorkerThread, type ParseThread } from './threads'
import { BUDGET_THREADS, defaultJobs, type StandbyWorkers } from './standby'

/**
 * Clients kept in memory before the table spills to SQLite: 24 MB of slots and counters holds
 * about 515k. Only pages in use count against the budget, so a small log costs little.
 */
const IP_TABLE_BYTES = 24 << 20
/**
 * The write-ahead log's size past which a spill copies it into the database file and empties it.
 * Spills rewrite pages all over the per-client table (hostnames come in any order), and with no
 * checkpoint until the end the log grew to 4.9 GB beside a 67 MB database for 1M hostnames and
 * 2M IP clients, its index (mapped into this process) to ~10 MB of RSS. The final write still
 * runs without checkpoints (see store()).
 */
export const WAL_LIMIT_BYTES = 256 << 20
/**
 * Disk a final row may take, with room to spare: in the log and again in the database file
 * (500k IP clients: 18.7 MB of log, ~40 bytes a row each; a hostname's key is longer).
 */
const FINAL_ROW_DISK_BYTES = 256
/**
 * Key ranges of at most this many clients are written by the range writer thread while the next
 * is counted (countRanges): their rows are packed to be handed over, ~77 bytes each, one range
 * at a time (64k clients: ~5 MB). Bigger ones are written here, as the table's counters are.
 */
const HANDED_RANGE_ROWS = 1 << 16
/** Key-range records read back at a time (countRanges). */
const RECORD_READ_BYTES = 1 << 20

export type Emit = (msg: ChildToParent) => void

class JobError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message)
  }
}

export interface JobControl {
  cancelled: boolean
  /** Set by the running job: called when a cancel arrives. */
  onCancel?: () => void
}

/** What the job reads its files as (see FileParsers), and the main format. */
interface Formats extends FileParsers {
  /** The main format: the user's, or the first file's; its label names the analysis's format. */
  parser: LineParser
  /** The analysis's format as shown: the main one's label, or each detected format's. */
  label: string
  detected: boolean
  /** The first lines of the first file with lines (priming, the format suggestion). */
  headLines: Uint8Array[]
}

/**
 * The user's format for every file, or each file's own detected format. A file whose first lines
 * no format parses is left out with a NOT_A_LOG error (the analysis is then incomplete), unless
 * no file has a format: then the job fails with it. Drops left-out files from `usable`.
 */
function chooseFormats(
  job: JobSpec,
  inspections: Inspection[],
  usable: Usable[],
  fileErrors: ErrorInfo[],
): Formats {
  const headLines = inspections.find((i) => i.lines.length > 0)?.lines ?? []
  if (job.format && job.format !== 'auto') {
    const c = compileFormat(job.format)
    if (!c.ok)
      throw new JobError({ code: 'BAD_FORMAT', message: c.error, params: { detail: c.error } })
    return {
      ...oneParser(c.parser),
      parser: c.parser,
      label: c.parser.label,
      detected: false,
      headLines,
    }
  }
  const ids = [...new Set(inspections.flatMap((i) => (i.format ? [i.format] : [])))]
  if (ids.length === 0) {
    const first = inspections.find((i) => i.format === null) ?? inspections[0]
    throw new JobError(notALogError(first?.name ?? '', first?.errorLog ?? null))
  }
  const parsers = ids.map((id) => {
    const c = compileFormat(id)
    if (!c.ok) throw new JobError({ code: 'INTERNAL', message: c.error })
    return c.parser
  })
  const kept: Usable[] = []
  const ofFile: number[] = []
  inspections.forEach((ins, i) => {
    if (ins.format === null) {
      const e = notALogError(ins.name, ins.errorLog, ' It was left out of the analysis.')
      fileErrors.push({ ...e, params: { ...e.params, leftOut: 'yes' } })
      return
    }
    kept.push(usable[i]!)
    ofFile.push(ins.format === undefined ? 0 : ids.indexOf(ins.format))
  })
  usable.splice(0, usable.length, ...kept)
  return {
    parsers,
    ofFile,
    parser: parsers[0]!,
    label: parsers.map((p) => p.label).join(' + '),
    detected: true,
    headLines,
  }
}

/** The UTC offset (minutes) of the first of `lines` that `parser` reads, or null. */
function firstOffset(parser: LineParser, lines: Uint8Array[]): number | null {
  const rec = new LineRecord()
  return firstValidLine(parser, lines, rec) ? rec.tzOffsetMin : null
}

/** One usable file's first look: its name, first lines (the first such file's only), format. */
interface Inspection {
  name: string
  lines: Uint8Array[]
  /** Detected (format auto): a preset id, null for none, undefined for no line to judge by. */
  format?: string | null
  /** For a file no format reads: the web server whose error log it is, if it is one. */
  errorLog: 'nginx' | 'Apache' | null
}

interface Usable {
  path: string
  name: string
  size: number
  gzip: boolean
  /** The time of its first valid line (span-hint.ts), or null. */
  firstTime: number | null
}

/** What is there now: size, gzip or plain, text or not, and the first lines for detection. */
async function inspectInputs(
  job: JobSpec,
  fileErrors: ErrorInfo[],
): Promise<{ usable: Usable[]; inspections: Inspection[] }> {
  const inspections: Inspection[] = []
  const auto = !job.format || job.format === 'auto'
  const chosen: string[] = []
  const usable: Usable[] = []
  let haveLines = false
  const parsers = new Map<string, LineParser | null>()
  const parserOf = (id: string): LineParser | null => {
    if (!parsers.has(id)) {
      const c = compileFormat(id)
      parsers.set(id, c.ok ? c.parser : null) // a bad format is reported by chooseFormats
    }
    return parsers.get(id)!
  }
  for (const input of job.inputs) {
    try {
      const size = statSync(input.path).size
      const ins = await inspectFile(input.path)
      if (ins.notText) {
        fileErrors.push(notTextError(input.name, ins.notText))
        continue
      }
      if (size === 0) continue
      // Detection and priming read the first file with lines; every head kept would hold its
      // 64 KB read buffer for the whole job (300 files: 19 MB).
      // Each file's format is judged now, while its first lines are at hand.
      const format = auto ? detectFileFormat(ins.lines, chosen) : undefined
      if (format && !chosen.includes(format)) chosen.push(format)
      // (Priming wants the first log's lines: a file left out for its format keeps none.)
      const keep: boolean = !haveLines && format !== null
      inspections.push({
        name: input.name,
        lines: keep ? ins.lines : [],
        format,
        errorLog: format === null ? errorLogServer(ins.lines) : null,
      })
      haveLines ||= keep && ins.lines.length > 0
      // Its first line's time, for the time series' first level, with the parser it is read with.
      const id = auto ? format : job.format
      const p = id ? parserOf(id) : null
      usable.push({
        path: input.path,
        name: input.name,
        size,
        gzip: ins.gzip,
        firstTime: p ? firstLineTime(p, ins.lines) : null,
      })
    } catch (e) {
      fileErrors.push(fileError(e, input.name))
    }
  }
  if (usable.length === 0) {
    if (fileErrors.length > 0) throw new JobError(fileErrors[0]!)
    const name = job.inputs[0]?.name ?? ''
    throw new JobError({
      code: 'EMPTY_INPUT',
      message: `${job.inputs.length > 1 ? 'These files are' : name + ' is'} empty: there is nothing to analyse.`,
      params: { file: name },
    })
  }
  return { usable, inspections }
}

export async function runJob(
  job: JobSpec,
  emit: Emit,
  control: JobControl,
  /**
   * The parse worker script (out/main/parse-worker.js; inflate-worker.js and range-writer.js sit
   * beside it).
   */
  workerEntry: string,
  nativeBinding?: string,
  /** Parse workers started ahead of the job (the aggregator process's start). */
  standby?: StandbyWorkers,
): Promise<DoneSummary> {
  const t0 = Date.now()
  const id = job.analysisId
  const jobs = job.jobs > 0 ? job.jobs : defaultJobs()
  const threads: ParseThread[] = []
  const fileErrors: ErrorInfo[] = []
  let telemetry: Telemetry | null = null
  let db: Db | null = null
  let writer: AnalysisWriter | null = null
  let spillDir: string | null = null
  /** Closes this thread's record files if the job fails midway. */
  let abandonRecords = (): void => undefined
  /** Stops every parse thread at its next chunk (the job failed). */
  let stopThreads = (): void => undefined
  // The database, opened on first write.
  const store = (): AnalysisWriter => {
    if (!writer) {
      db = openDatabase(job.dbPath, { nativeBinding, cacheKiB: 1024 })
      // No checkpoint while the result is written: copying the WAL into the database file runs
      // after the analysis is visible (buildSortIndexes), not on the user's clock.
      db.pragma('wal_autocheckpoint = 0')
      writer = new AnalysisWriter(db, id)
    }
    return writer
  }
  try {
    const { usable, inspections } = await inspectInputs(job, fileErrors)
    const chosen = chooseFormats(job, inspections, usable, fileErrors)
    // One time zone for every thread, whichever reads which file (see FileParsers.offsetMin),
    // and the time series' first level, from the span the files' ends cover (span-hint.ts).
    const formats = {
      ...chosen,
      offsetMin: firstOffset(chosen.parser, chosen.headLines),
      seriesLevel: seriesLevelHint(
        usable.map((f, i) => ({ ...f, parser: chosen.parsers[chosen.ofFile[i] ?? 0]! })),
      ),
    }
    const { parser, detected, headLines } = formats

    const totalBytes = usable.reduce((s, f) => s + f.size, 0)
    const tasks: FileTask[] = planTasks(usable, (i) => usable[i]!.gzip)
    // The coordinator's own thread always parses (thread 0); worker threads join it for bigger
    // inputs: on two cores, one worker, so two parsers and no idle coordinator.
    const small = jobs === 1 || totalBytes < (job.inlineBelowBytes ?? INLINE_BELOW_BYTES)
    const threadCount = small ? 1 : Math.max(1, Math.min(jobs, tasks.length))
    // A worker on a gzip file cannot hand it over when hostnames start to spill: each thread's
    // first hostname table is small then, to say so early (FIRST_HOST_TABLE_CAPACITY).
    const threadFormats: FileParsers = {
      ...formats,
      firstHosts: firstHostsFor(
        threadCount,
        usable.some((f) => f.gzip),
      ),
    }
    if (threadCount > BUDGET_THREADS)
      emit({
        type: 'log',
        level: 'warn',
        message: `${threadCount} parse threads: each costs ~11 MB, so the aggregator may pass its 100 MB memory budget (${BUDGET_THREADS} stay within it)`,
      })
    const slots =
      job.ipTableSlots && job.ipTableSlots > 0 ? job.ipTableSlots : slotsFor(IP_TABLE_BYTES)
    // Type feedback for rare paths (IPv6, hostnames) before the real lines: only worth its
    // millisecond or two where the hot loop runs long.
    const primer = small ? new Uint8Array(0) : primingSample(parser, headLines)
    const shared = createShared(threadCount)
    stopThreads = () => Atomics.store(shared.cancel, 0, 1)
    // Once the table fills: key-range records here (partition.ts), removed when the job ends.
    spillDir = job.partitionSpill === false ? null : spillDirOf(job.dbPath, id, process.pid)
    let tableBuffers: SharedTableBuffers | null = createSharedTable(slots, threadCount, spillDir)
    const debug = process.env.LOGLENS_DEBUG
      ? (what: string): void => {
          const m = process.memoryUsage()
          const mb = (x: number): string => (x / 1048576).toFixed(1)
          emit({
            type: 'log',
            level: 'info',
            message: `${what} at ${Date.now() - t0} ms: rss ${mb(m.rss)} MB (peak ${mb(peakRss())}), heap ${mb(m.heapTotal)}, buffers ${mb(m.arrayBuffers)}`,
          })
        }
      : (): void => undefined
    const spill = (rows: RowCursor, fresh = false): void => {
      debug('spill start')
      const w = store()
      w.spill(rows, { tick: () => telemetry?.pulse() }, fresh)
      debug('spill written')
      if (truncateWalPast(db!, job.dbPath, job.walLimitBytes ?? WAL_LIMIT_BYTES))
        debug('log checkpointed')
      // The live view's client count (a count of the stored rows: only while the logs are read).
      if (telemetry?.partials && parsing) telemetry.spilledClients = w.clientCount()
      // The drain's sort keys are garbage now: return them before parsing goes on. Once the logs
      // are read (the key ranges, one spill each) young collections take that garbage as it
      // comes; a full collection after each range was ~6 ms of each (0.36 s for 64 ranges).
      if (parsing) collectGarbage()
      debug('spill done')
    }
    // A full table of hostname clients (each thread keeps its own): SQLite work follows, as after
    // an IP spill, and the memory budget needs the worker threads' memory back (retireWorkers).
    const onHosts = (b: IpBatch): void => {
      spill(batchCursor(b))
      retireWorkers()
    }

    // Worker threads that stopped early: their results, kept for the merge.
    const retired: ThreadResult[] = []
    let retiring: Promise<void> | null = null
    /**
     * While retiring workers finish, this thread reads no further (ReadControl.hold: it waits
     * between tasks and after each chunk of a gzip file; a plain range stops at its next chunk
     * and its rest is read at the end). A worker reads a gzip task to its end (it cannot be
     * handed over): of hostnames, say, beside this thread's gzip file of IP clients, and both
     * threads then ran with SQLite open, the table filling and hostname tables churning: 105-134
     * MB with 2M clients and 300k hostnames. One after the other: 91-96 MB, in about the same time.
     */
    let holding: Promise<unknown> | null = null
    // The first spill means more clients than the table holds: SQLite work follows, and the
    // memory budget needs the ~20 MB a worker thread costs. Workers stop at their next chunk
    // (a gzip file is read to its end), hand over their results and what is left of their
    // range, and end; this thread reads the rest alone.
    const retireWorkers = (): void => {
      if (retiring || threads.length < 2) return
      Atomics.store(shared.cancel, 1, 1)
      const workers = threads.slice(1).map((t, i) => ({ t, run: runs[i + 1] }))
      retiring = Promise.all(
        workers.map(async ({ t, run }) => {
          await run
          retired.push(await t.finish())
          await t.terminate()
          // Telemetry and the final merge see only the threads still running.
          threads.splice(threads.indexOf(t), 1)
        }),
      ).then(() => collectGarbage())
      holding = retiring
        .then(writeOwnHosts)
        .catch((e: unknown) => {
          drainError ??= e
          control.cancelled = true
          Atomics.store(shared.cancel, 0, 1)
        })
        .finally(() => (holding = null))
    }
    // This thread's own full hostname tables while a worker still runs are kept and written once
    // the workers have ended (this thread stops after its current chunk: a table, rarely two), so
    // SQLite opens only then: written at once, with a gzip file of hostnames here and one of IP
    // clients in the worker, that mix peaked at 101 MB.
    const ownHosts: IpBatch[] = []
    const onOwnHosts = (b: IpBatch): void => {
      if (threads.length < 2) return onHosts(b)
      ownHosts.push(b)
      retireWorkers()
    }
    const writeOwnHosts = (): void => {
      for (const b of ownHosts.splice(0)) spill(batchCursor(b))
    }
    let runs: Promise<unknown>[] = []

    // Key ranges (partition.ts): started at the first fill while the logs are read; afterwards
    // the ranges are counted one at a time and each drained to SQLite.
    let parsing = true
    let parts = 0
    /** The key range being counted (countRanges) drained midway: its clients are not whole. */
    let rangeDrained = false
    const startRanges = (): boolean => {
      try {
        mkdirSync(spillDir!, { recursive: true })
      } catch {
        return false // spill to SQLite each time instead
      }
      const done = sumProgress(shared, threadCount)
      const need = recordBytesNeeded({
        bytesDone: done.bytes,
        bytesTotal: totalBytes,
        lines: done.lines,
        clients: table.size,
      })
      const free = job.diskFreeBytes ?? freeBytes(spillDir!)
      // With a margin: the database grows too. SQLite spills need less space, only more time.
      if (free < need * 1.25 + (64 << 20)) {
        rmSync(spillDir!, { recursive: true, force: true })
        spillDir = null // and not again at the next fill
        emit({
          type: 'log',
          level: 'warn',
          message: `the client table is full, but key ranges would need ~${mib(need)} MB of disk beside the database and ${mib(free)} MB is free: spilling to SQLite instead (slower)`,
        })
        return false
      }
      const read = done.bytes / totalBytes
      if (telemetry?.partials) {
        telemetry.frozenTop = table.top(10)
        telemetry.spilledClients = table.size
      }
      const clients = table.size
      parts = table.startRouting(
        job.keyRanges ? Math.min(job.keyRanges, MAX_PARTS) : partsFor(read),
      )
      emit({
        type: 'log',
        level: 'info',
        message: `the client table is full (${clients} clients, ${(read * 100).toFixed(1)}% read): ${parts} key ranges on disk from here`,
      })
      debug('key ranges started')
      return true
    }

    // Drain the full table (no parse thread inside it: workers park at their next line; this
    // thread is between lines when it gets here): the first time while the logs are read, into
    // key ranges; otherwise to SQLite, one transaction.
    let drainError: unknown = null
    const drainNow = (): void => {
      table.requestDrain()
      table.setState(THREAD_IDLE)
      table.waitQuiescent()
      try {
        if (parsing && parts > 0) table.evictToRecords()
        else if (!(parsing && spillDir && startRanges())) {
          rangeDrained = !parsing && parts > 0
          spill(table.rows())
        }
      } catch (e) {
        drainError ??= e
        control.cancelled = true
        Atomics.store(shared.cancel, 0, 1)
      } finally {
        table.clear()
        table.release()
      }
      // Spills to SQLite from now on: the worker threads' memory is needed (see retireWorkers).
      if (parts === 0) retireWorkers()
    }
    // The end, after key ranges: count each range's records in the table (empty now) and drain
    // it to SQLite, in key order; a range bigger than the table spills mid-way (drainNow).
    const countRanges = async (): Promise<void> => {
      // A new table of the same shape for the ranges: the parse table's pages were all touched
      // while the logs were read (~24 MB), a new one takes only what the ranges touch (~9 MB for
      // the lesson's 10 GB). The threads are done, so the coordinator's holds the last reference
      // to the parse table; without them a full collection gives its memory back.
      threads.splice(0)
      tableBuffers = null
      table = new SharedIpTable(createSharedTable(slots, 1, null, RECORD_READ_BYTES), 0, onFull)
      telemetry!.replaceTable(table)
      collectGarbage()
      debug('range table made')
      // Records are read into the table's own memory, where WebAssembly stages them.
      const buf = table.recordArea() ?? new Uint32Array(RECORD_READ_BYTES / 4)
      // The next piece of records is read into this meanwhile (readRecords).
      const spare = new Uint8Array(buf.byteLength - RECORD_CARRY_BYTES)
      const count = (words: Uint32Array, from: number, to: number): number =>
        table.countRecords(words, from, to)
      const stop = (): boolean => {
        telemetry?.pulse()
        return control.cancelled
      }
      // A range is written by the range writer thread while the next is counted here; its own
      // connection waits for this one's (busy_timeout) when a range drains midway, and back.
      const w = store() // (the table, made before that thread opens it)
      // Started with the first range it takes (its thread costs ~6 MB at its start and ~10 once
      // it writes; ranges too big for it, it never takes).
      const entry = join(dirname(workerEntry), 'range-writer.js')
      const handOver = job.rangeWriter !== false && existsSync(entry)
      let ranges: RangeWriter | null = null
      let writing: Promise<PackedRows> | null = null
      /** The last range's packed rows, back from the range writer: their buffers are reused. */
      let packed: PackedRows | undefined
      let failure: unknown = null
      try {
        for (let p = 0; p < parts && !control.cancelled && !ranges?.failed; p++) {
          telemetry?.rangesDone(p, parts)
          rangeDrained = false
          for (let t = 0; t < threadCount; t++)
            await readRecords(partFile(spillDir!, t, p), buf, count, stop, spare)
          // Read: the range's files go now, on a thread of libuv's pool. Removed at the end, after
          // the commit, the 10 GB log's 128 files (~860 MB) took 173 ms before the job was done.
          for (let t = 0; t < threadCount; t++)
            void unlink(partFile(spillDir!, t, p)).catch(() => undefined)
          table.flush()
          // A range's clients are whole and new to SQLite (ranges split the key space), unless it
          // was bigger than the table and drained midway: plain inserts then (AnalysisWriter.spill).
          const fresh = !rangeDrained
          const n = table.size
          // The last range's write first: one range's rows in flight at a time.
          if (writing) packed = await writing
          writing = null
          if (n > 0 && handOver && n <= HANDED_RANGE_ROWS) {
            ranges ??= new RangeWriter(entry, {
              dbPath: job.dbPath,
              analysisId: id,
              nativeBinding,
              walLimitBytes: job.walLimitBytes ?? WAL_LIMIT_BYTES,
            })
            const ranks = w.spilledElsewhere(fresh)
            const onPv = ranks ? (pv: number): void => ranks.add(pv) : undefined
            const rows = packRows(table.rows(), n, onPv, packed)
            debug('range handed over')
            writing = ranges.write(rows, fresh)
            writing.catch(() => undefined) // awaited before the next range, or below
          } else if (n > 0) spill(table.rows(), fresh)
          table.clear()
          await new Promise((r) => setImmediate(r))
        }
      } catch (e) {
        failure = e
      }
      try {
        await writing
      } catch (e) {
        failure ??= e
      }
      // (A thread that ended between writes fails no write: it stopped the loop.)
      failure ??= ranges?.failed ?? null
      await ranges?.close()
      if (failure) throw failure
      debug('ranges counted')
    }

    // Full: drained here; the parse threads park meanwhile.
    const onFull = (): void => {
      drainNow()
      table.setState(THREAD_RUNNING)
    }
    /** The client table: the parse threads', then the key ranges' own (countRanges). */
    let table = new SharedIpTable(tableBuffers, 0, onFull)
    abandonRecords = () => table.abandonRecords()
    // Parsing alone (one gzip file, --jobs 1), this thread leaves inflating to a thread of its
    // own on the free core (engine/aggregate/inflate.ts); with more parse threads every core
    // parses, and each inflates its own gzip files.
    const inflater = join(dirname(workerEntry), 'inflate-worker.js')
    const inflateEntry = threadCount === 1 && existsSync(inflater) ? inflater : undefined
    threads.push(
      new InlineThread(threadFormats, table, onOwnHosts, shared, 0, inflateEntry, () => holding),
    )
    for (let t = 1; t < threadCount; t++)
      threads.push(
        new WorkerThread(
          standby?.take(workerEntry) ?? workerEntry,
          {
            formats: formats.parsers.map((p) => (p.id === 'custom' ? p.label : p.id)),
            formatOfFile: [...formats.ofFile],
            offsetMin: formats.offsetMin,
            seriesLevel: formats.seriesLevel,
            firstHosts: threadFormats.firstHosts,
            table: tableBuffers!,
            progress: shared.progress.buffer as SharedArrayBuffer,
            slot: t,
            cancel: shared.cancel.buffer as SharedArrayBuffer,
            written: shared.written.buffer as SharedArrayBuffer,
            prime: primer,
          },
          onHosts,
          // A worker found the table full and parked: drain between this thread's tasks.
          () => setImmediate(() => table.drainRequested() && drainNow()),
        ),
      )
    // Workers started ahead that this job does not need (small input, --jobs 1) stop now.
    void standby?.dispose()

    telemetry = new Telemetry({
      analysisId: id,
      startedAt: t0,
      totalBytes,
      intervalMs: job.sampleIntervalMs ?? 200,
      shared,
      threads,
      table,
      format: formats.label,
      partials: job.livePartials ?? true,
      emit,
    })
    telemetry.start()
    prime(parser, primer)

    // Work queue: each thread claims the next task from a shared index.
    const queue = new Int32Array(new SharedArrayBuffer(4))
    control.onCancel = () => Atomics.store(shared.cancel, 0, 1)
    if (control.cancelled) control.onCancel()
    runs = threads.map((t) => t.runQueue(tasks, queue))
    const rest: FileTask[] = []
    for (const outcomes of (await Promise.all(runs)) as Awaited<
      ReturnType<ParseThread['runQueue']>
    >[])
      for (const o of outcomes) {
        if (o.error) fileErrors.push(o.error)
        if (o.rest) rest.push(o.rest)
      }
    await retiring
    await holding
    writeOwnHosts()
    // What retired workers left of their ranges.
    if (rest.length > 0 && !control.cancelled) {
      for (const o of await runRest(threads, rest)) if (o.error) fileErrors.push(o.error)
    }
    telemetry.stop()
    if (drainError) throw drainError
    debug('parsed')
    parsing = false
    // The live view shows the whole log while the clients are written, and every byte read.
    if (!control.cancelled) {
      await telemetry.partial(true)
      telemetry.pulse(true)
    }

    // Workers write out and close their records as they finish, then end: their memory back
    // before the final write.
    const results: ThreadResult[] = [...retired, ...(await finishThreads(threads))]
    if (parts > 0) {
      if (table.size > 0) table.evictToRecords()
      table.clear()
      table.closeRecords()
    }
    collectGarbage()
    const final = telemetry.sample()
    const merged = mergeResults(
      results,
      usable.map((f) => f.name),
    )
    debug('merged')
    if (parts > 0) await countRanges()
    const w = store()
    // In parts (for the caller to checkpoint along) only with room to spare: committed parts
    // keep their disk space if the disk fills midway, and then not even the analysis's status
    // fits; one transaction rolls back whole and leaves its room.
    const clients = table.size + results.reduce((n, r) => n + r.hosts.count, 0)
    const inParts =
      (job.diskFreeBytes ?? freeBytes(dirname(job.dbPath))) >=
      clients * FINAL_ROW_DISK_BYTES + (64 << 20)
    // (After key ranges, their clients are in SQLite already: progress keeps saying so.)
    if (parts === 0) telemetry.saving(clients)
    const uv = w.writeFinalIps([table.rows(), ...results.map((r) => batchCursor(r.hosts))], {
      collect: collectGarbage,
      tick: () => telemetry?.pulse(),
      ...(inParts ? { committed: () => emit({ type: 'committed' }) } : {}),
    })
    table.clear()
    debug('clients written')
    const c = merged.counters
    const errors = dedupeErrors(fileErrors)
    const status: AnalysisStatus = control.cancelled
      ? 'cancelled'
      : errors.length > 0
        ? 'incomplete'
        : 'complete'
    w.addMemorySamples(telemetry.memory)
    w.finalize(
      {
        status,
        error: errors[0] ?? null,
        errors,
        format: formats.label,
        formatDetected: detected,
        formatSuggestion: suggestFormat(parser, headLines, c.pv, c.lines),
        jobs: threadCount,
        pv: c.pv,
        invalid: c.invalid,
        bodyBytes: c.bodyBytes,
        // None when no line is dated after 1990 (EARLIEST_SEC).
        firstTime: Number.isFinite(c.firstTime) ? c.firstTime * 1000 : null,
        lastTime: Number.isFinite(c.lastTime) ? c.lastTime * 1000 : null,
        tzOffset: c.tzOffsetMin,
        bytesRead: final.bytesDone,
        totalBytes,
        linesRead: c.lines,
        elapsedMs: Date.now() - t0,
        peakRss: peakRss(),
        series: merged.series,
        statuses: merged.statuses,
        top: merged.top,
        invalidReasons: merged.invalid,
      },
      uv,
    )
    // The time until the result is committed and visible, the final transaction included.
    w.recordElapsed(Date.now() - t0)
    debug('committed')
    emit({
      type: 'progress',
      progress: {
        ...telemetry.sample(),
        bytesDone: control.cancelled ? final.bytesDone : totalBytes,
      },
    })
    return { analysisId: id, status, error: errors[0] ?? null }
  } catch (e) {
    // A thread that failed ends the job: the others stop too (not only at terminate()).
    stopThreads()
    const error = e instanceof JobError ? e.info : toErrorInfo(e)
    const failed =
      e instanceof JobError &&
      (error.code === 'NOT_A_LOG' || error.code === 'EMPTY_INPUT' || error.code === 'BAD_FORMAT')
    const status: AnalysisStatus = failed ? 'failed' : 'incomplete'
    try {
      const w = store()
      if (telemetry) w.addMemorySamples(telemetry.memory)
      w.markEnded(status, error, Date.now() - t0, peakRss())
    } catch {
      // The database itself failed; the service marks the analysis when it gets `done`.
    }
    return { analysisId: id, status, error }
  } finally {
    telemetry?.stop()
    await standby?.dispose()
    await Promise.all(threads.map((t) => t.terminate().catch(() => undefined)))
    ;(db as Db | null)?.close()
    abandonRecords()
    if (spillDir) rmSync(spillDir, { recursive: true, force: true })
  }
}

// Two steps of runJob on the parse threads, in functions of their own: an async function keeps
// its registers while it waits, and a register of runJob that held the coordinator's thread (the
// last one a loop saw, a call's receiver) kept the parse table alive through the key ranges
// (countRanges releases it) beside the ranges' new one: 108 MiB in the gzip mix of the memory
// tests.

/** What retired workers left of their ranges, read by the coordinator's thread (threads[0]). */
function runRest(threads: ParseThread[], rest: FileTask[]): Promise<TaskOutcome[]> {
  return threads[0]!.runQueue(rest, new Int32Array(new SharedArrayBuffer(4)))
}

/** Each thread's result, then every thread ended. */
async function finishThreads(threads: ParseThread[]): Promise<ThreadResult[]> {
  const results: ThreadResult[] = []
  for (const t of threads) results.push(await t.finish())
  await Promise.all(threads.map((t) => t.terminate()))
  return results
}

/**
 * Sort indexes for the IP table, built after the analysis is already visible (queries sort
 * without them meanwhile, only slower). 'top': none beyond the top-N index the final write
 * made; only the write-ahead log is folded into the database file.
 */
export function buildSortIndexes(
  dbPath: string,
  analysisId: number,
  nativeBinding?: string,
  which: 'all' | 'top' = 'all',
): void {
  withIndexingDb(dbPath, nativeBinding, (db) => {
    if (which === 'all') new AnalysisWriter(db, analysisId, { reuseTable: true }).buildSortIndexes()
  })
}

/**
 * All sort indexes of earlier analyses that lack some (IndexSpec), one analysis after another;
 * `indexed` is called after each. A table that is gone (analysis deleted meanwhile) is skipped.
 * Each index is one statement, so stopping the process midway loses only the one being built.
 */
export function buildPendingIndexes(spec: IndexSpec, indexed: (analysisId: number) => void): void {
  withIndexingDb(spec.dbPath, spec.nativeBinding, (db) => {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    for (const id of spec.analysisIds) {
      if (!exists.get(ipTableName(id))) continue
      new AnalysisWriter(db, id, { reuseTable: true }).buildSortIndexes()
      indexed(id)
    }
  })
}

/** Open the database for building indexes, run `build`, fold the WAL into the file, close. */
function withIndexingDb(
  dbPath: string,
  nativeBinding: string | undefined,
  build: (db: Db) => void,
): void {
  // A 1 MB page cache: SQLite's sorter then sorts runs of about that size, which stay in the
  // CPU's cache (the four indexes of 500k clients: 725-736 ms against 837-873 with 4 MB).
  const db = openDatabase(dbPath, { nativeBinding, cacheKiB: 1024 })
  try {
    build(db)
    // Nothing waits for the WAL any more: fold it into the database file.
    checkpoint(db)
  } finally {
    db.close()
  }
}

/**
 * Copy the write-ahead log into the database file and empty it. Another connection's checkpoint
 * (the CLI's passive one, while the index was built) makes SQLite answer busy at once, without
 * its busy handler: wait for that one to end, then copy what is left, for up to 5 s.
 */
function checkpoint(db: Db): void {
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (let waited = 0; waited < 5000; waited += 5) {
    const r = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
    if (!r[0]?.busy) return
    Atomics.wait(pause, 0, 0, 5)
  }
}

const mib = (bytes: number): string => (bytes / 1048576).toFixed(0)

function dedupeErrors(errors: ErrorInfo[]): ErrorInfo[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const k = e.code + '|' + e.message
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** When most lines failed, the preset that parses the head best (if it beats the one used). */
function suggestFormat(
  parser: LineParser,
  head: Uint8Array[],
  pv: number,
  lines: number,
): string | null {
  if (lines === 0 || pv / lines >= 0.5) return null
  const d = detectFormat(head)
  if (!d.best || d.best === parser.id) return null
  const best = d.scores.find((s) => s.id === d.best)
  const used = d.scores.find((s) => s.id === parser.id)
  if (best && used && best.valid <= used.valid) return null
  return d.best
}
