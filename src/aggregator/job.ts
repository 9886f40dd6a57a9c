// The aggregator's coordinator for one analysis: opens the database (the only writer), picks the
// format, splits the inputs into tasks for the parse threads, spills full IP tables to SQLite,
// reports progress, memory and partial results at least every 250 ms, and writes the result.
import { availableParallelism } from 'node:os'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { ErrorInfo, MemorySample, PartialEvent, ProgressEvent } from '../shared/types'
import type { ThreadResult, ThreadSnapshot } from '../engine/aggregate/accumulator'
import { batchCursor, type IpBatch } from '../engine/aggregate/ip-table'
import { createSharedTable, SharedIpTable, slotsFor } from '../engine/aggregate/shared-ip-table'
import { inspectFile } from '../engine/aggregate/inspect'
import { mergeResults, mergeSnapshots } from '../engine/aggregate/merge'
import { planTasks, fileError, type FileTask } from '../engine/aggregate/reader'
import { compileFormat, detectFormat, PRESET_IDS } from '../engine/parser'
import type { LineParser } from '../engine/parser/record'
import { openDatabase, toErrorInfo, type Db } from '../engine/store/db'
import { AnalysisWriter } from '../engine/store/writer'
import type { ChildToParent, DoneSummary, JobSpec } from './protocol'
import { createShared, InlineThread, sumProgress, WorkerThread, type ParseThread } from './threads'

/** Inputs smaller than this are parsed on the coordinator's thread (no worker start-up). */
const INLINE_BELOW_BYTES = 16 << 20
/** Memory for the shared IP table (the rest of the 100 MB is runtime, buffers and sketches). */
const IP_TABLE_BYTES = 30 << 20
const PARTIAL_EVERY_MS = 1000
const SAVE_EVERY_MS = 2000

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

export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 8))
}

async function chooseParser(
  job: JobSpec,
  inspections: { name: string; lines: Uint8Array[] }[],
): Promise<{ parser: LineParser; detected: boolean; headLines: Uint8Array[] }> {
  const headLines = inspections.find((i) => i.lines.length > 0)?.lines ?? []
  if (job.format && job.format !== 'auto') {
    const c = compileFormat(job.format)
    if (!c.ok)
      throw new JobError({ code: 'BAD_FORMAT', message: c.error, params: { detail: c.error } })
    return { parser: c.parser, detected: false, headLines }
  }
  const d = detectFormat(headLines)
  if (!d.best) {
    const name = inspections.find((i) => i.lines.length > 0)?.name ?? inspections[0]?.name ?? ''
    throw new JobError({
      code: 'NOT_A_LOG',
      message: `${name} does not look like a web access log: none of the known formats (${PRESET_IDS.join(', ')}) matches its first lines. If it uses a custom nginx log_format, paste it as the format.`,
      params: { file: name, formats: PRESET_IDS.join(', ') },
    })
  }
  const c = compileFormat(d.best)
  if (!c.ok) throw new JobError({ code: 'INTERNAL', message: c.error })
  return { parser: c.parser, detected: true, headLines }
}

export async function runJob(
  job: JobSpec,
  emit: Emit,
  control: JobControl,
  workerEntry?: string,
  nativeBinding?: string,
): Promise<DoneSummary> {
  const t0 = Date.now()
  const id = job.analysisId
  let db: Db
  try {
    db = openDatabase(job.dbPath, { nativeBinding, cacheKiB: 4096 })
  } catch (e) {
    return { analysisId: id, status: 'failed', error: toErrorInfo(e) }
  }
  const memory: MemorySample[] = []
  let writer: AnalysisWriter | null = null
  const threads: ParseThread[] = []
  let timer: NodeJS.Timeout | null = null
  let fileErrors: ErrorInfo[] = []
  let formatLabel = job.format
  let drainError: unknown = null
  try {
    writer = new AnalysisWriter(db, id)
    const jobs = job.jobs > 0 ? job.jobs : defaultJobs()
    writer.markRunning(process.pid, jobs, job.format || 'auto')

    // Inputs: what is there now, gzip or plain, text or not.
    const inspections: { name: string; lines: Uint8Array[]; gzip: boolean }[] = []
    const usable: { path: string; name: string; size: number; gzip: boolean }[] = []
    for (const input of job.inputs) {
      try {
        const size = statSync(input.path).size
        const ins = await inspectFile(input.path)
        if (ins.notText) {
          fileErrors.push({
            code: 'NOT_A_LOG',
            message: `${input.name} is not a log file (it looks like ${ins.notText}).`,
            params: { file: input.name, kind: ins.notText },
          })
          continue
        }
        if (size === 0) continue
        inspections.push({ name: input.name, lines: ins.lines, gzip: ins.gzip })
        usable.push({ path: input.path, name: input.name, size, gzip: ins.gzip })
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
    const { parser, detected, headLines } = await chooseParser(job, inspections)
    formatLabel = parser.label
    writer.setFormat(parser.label, detected)

    const totalBytes = usable.reduce((s, f) => s + f.size, 0)
    const tasks: FileTask[] = planTasks(usable, (i) => usable[i]!.gzip)
    const inline = jobs === 1 || totalBytes < (job.inlineBelowBytes ?? INLINE_BELOW_BYTES)
    const threadCount = inline ? 1 : Math.min(jobs, tasks.length)
    const slots =
      job.ipTableSlots && job.ipTableSlots > 0 ? job.ipTableSlots : slotsFor(IP_TABLE_BYTES)
    const shared = createShared(threadCount)
    const tableBuffers = createSharedTable(slots, threadCount)
    const table = new SharedIpTable(tableBuffers, -1)
    const onHosts = (b: IpBatch): void => writer!.spill(batchCursor(b))
    // A parse thread found the table full and parked: once no thread is inside the table,
    // drain it to SQLite (one transaction), clear it and let them go on.
    let draining = false
    const drainWhenQuiet = (): void => {
      if (draining) return
      draining = true
      const attempt = (): void => {
        if (!table.quiescent()) {
          setImmediate(attempt)
          return
        }
        try {
          writer!.spill(table.rows())
          table.clear()
        } catch (e) {
          drainError = e
          control.cancelled = true
          control.onCancel?.()
        } finally {
          draining = false
          table.release()
        }
      }
      attempt()
    }
    for (let t = 0; t < threadCount; t++) {
      if (inline) {
        const own = new SharedIpTable(tableBuffers, t, () => {
          writer!.spill(own.rows())
          own.clear()
        })
        threads.push(new InlineThread(parser, own, onHosts, shared, t))
      } else
        threads.push(
          new WorkerThread(
            workerEntry ?? join(__dirname, 'parse-worker.js'),
            {
              format: parser.id === 'custom' ? parser.label : parser.id,
              table: tableBuffers,
              progress: shared.progress.buffer as SharedArrayBuffer,
              slot: t,
              cancel: shared.cancel.buffer as SharedArrayBuffer,
            },
            onHosts,
            drainWhenQuiet,
          ),
        )
    }

    // Telemetry: progress + memory every ≤ 250 ms, partial results about once a second.
    const interval = Math.min(job.sampleIntervalMs ?? 200, 250)
    let lastPartial = 0
    let lastSave = Date.now()
    let snapshotting = false
    const sample = (): ProgressEvent => {
      const p = sumProgress(shared, threadCount)
      const mu = process.memoryUsage()
      const elapsedMs = Date.now() - t0
      const heapUsed = mu.heapUsed + (inline ? 0 : p.heap)
      memory.push({ t: elapsedMs, rss: mu.rss, heapUsed })
      const secs = Math.max(elapsedMs / 1000, 0.001)
      const rate = p.bytes / secs
      return {
        analysisId: id,
        bytesDone: Math.min(p.bytes, totalBytes),
        bytesTotal: totalBytes,
        lines: p.lines,
        pv: p.pv,
        invalid: p.invalid,
        elapsedMs,
        mbPerSecond: rate / 1e6,
        linesPerSecond: p.lines / secs,
        etaMs: p.bytes > 0 && elapsedMs > 300 ? ((totalBytes - p.bytes) / rate) * 1000 : null,
        rssBytes: mu.rss,
        heapUsedBytes: heapUsed,
        currentFile: null,
      }
    }
    const tick = (): void => {
      const progress = sample()
      emit({ type: 'progress', progress })
      const now = Date.now()
      if (now - lastSave >= SAVE_EVERY_MS) {
        lastSave = now
        try {
          writer!.saveProgress({
            pv: progress.pv,
            invalid: progress.invalid,
            bytesRead: progress.bytesDone,
            linesRead: progress.lines,
            elapsedMs: progress.elapsedMs,
            peakRss: peakRss(),
          })
          writer!.addMemorySamples(memory)
        } catch {
          // Reported when the final write fails; progress saving is best effort.
        }
      }
      if (!snapshotting && now - lastPartial >= PARTIAL_EVERY_MS) {
        lastPartial = now
        snapshotting = true
        Promise.all(threads.map((t) => t.snapshot()))
          .then((snaps: ThreadSnapshot[]) => {
            const partial: PartialEvent = mergeSnapshots(id, snaps, {
              format: formatLabel,
              memory: memory.slice(-600),
              topIps: table.top(10),
            })
            emit({ type: 'partial', partial })
          })
          .catch(() => undefined)
          .finally(() => {
            snapshotting = false
          })
      }
    }
    timer = setInterval(tick, interval)
    tick()

    // Work queue: each thread pulls the next task.
    let next = 0
    const runThread = async (t: ParseThread): Promise<void> => {
      while (next < tasks.length && !control.cancelled) {
        const task = tasks[next++]!
        const outcome = await t.runTask(task)
        if (outcome.error) fileErrors.push(outcome.error)
      }
    }
    control.onCancel = () => Atomics.store(shared.cancel, 0, 1)
    if (control.cancelled) control.onCancel()
    await Promise.all(threads.map(runThread))
    clearInterval(timer)
    timer = null

    if (drainError) throw drainError
    const results: ThreadResult[] = []
    for (const t of threads) results.push(await t.finish())
    const final = sample()
    const merged = mergeResults(results)
    const uv = writer.writeFinalIps([table.rows(), ...results.map((r) => batchCursor(r.hosts))])
    table.clear()
    const c = merged.counters
    fileErrors = dedupeErrors(fileErrors)
    const status = control.cancelled
      ? 'cancelled'
      : fileErrors.length > 0
        ? 'incomplete'
        : 'complete'
    const suggestion = suggestFormat(parser, headLines, c.pv, c.lines)
    writer.addMemorySamples(memory)
    writer.finalize(
      {
        status,
        error: fileErrors[0] ?? null,
        format: parser.label,
        formatDetected: detected,
        formatSuggestion: suggestion,
        pv: c.pv,
        invalid: c.invalid,
        bodyBytes: c.bodyBytes,
        firstTime: c.pv > 0 ? c.firstTime * 1000 : null,
        lastTime: c.pv > 0 ? c.lastTime * 1000 : null,
        tzOffset: c.tzOffsetMin,
        bytesRead: final.bytesDone,
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
    emit({
      type: 'progress',
      progress: { ...sample(), bytesDone: control.cancelled ? final.bytesDone : totalBytes },
    })
    const done: DoneSummary = { analysisId: id, status, error: fileErrors[0] ?? null }
    return done
  } catch (e) {
    const error = e instanceof JobError ? e.info : toErrorInfo(e)
    const status =
      e instanceof JobError &&
      (error.code === 'NOT_A_LOG' || error.code === 'EMPTY_INPUT' || error.code === 'BAD_FORMAT')
        ? 'failed'
        : 'incomplete'
    try {
      if (writer) writer.addMemorySamples(memory)
      db.prepare(
        `UPDATE analyses SET status = ?, error = ?, finished_at = ?, worker_pid = NULL,
           elapsed_ms = ?, peak_rss = max(peak_rss, ?) WHERE id = ?`,
      ).run(status, JSON.stringify(error), Date.now(), Date.now() - t0, peakRss(), id)
    } catch {
      // The database itself failed; the service marks the analysis when it sees the error.
    }
    return { analysisId: id, status, error }
  } finally {
    if (timer) clearInterval(timer)
    await Promise.all(threads.map((t) => t.terminate().catch(() => undefined)))
    db.close()
  }
}

/**
 * Sort indexes for the IP table, built after the analysis is already visible (queries sort
 * without them meanwhile, only slower).
 */
export function buildSortIndexes(dbPath: string, analysisId: number, nativeBinding?: string): void {
  const db = openDatabase(dbPath, { nativeBinding, cacheKiB: 4096 })
  try {
    new AnalysisWriter(db, analysisId, { reuseTable: true }).buildSortIndexes()
  } finally {
    db.close()
  }
}

/** Real peak RSS of this process (the kernel's high-water mark), in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024
}

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
