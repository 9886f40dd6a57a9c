// AnalysisService: everything the fronts (Electron main, `loglens serve`, tests) need, with no
// Electron import. It owns the read side of the database, the files the user chose, and a queue
// of analyses run one at a time, each in a fresh, supervised aggregator process.
import { EventEmitter } from 'node:events'
import { createWriteStream, rmSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import { randomUUID } from 'node:crypto'
import type { CallHandlers, EventName, EventPayloads } from '../shared/contract'
import {
  HISTORY_LIMIT,
  MEMORY_BUDGET_BYTES,
  type ErrorInfo,
  type FileSelection,
  type JobState,
  type MemorySample,
  type ProgressEvent,
} from '../shared/types'
import { errorLogServer, inspectFile, notALogError } from '../engine/aggregate/inspect'
import { removeStaleSpillDirs, spillDirOf } from '../engine/aggregate/partition'
import { compileFormat, detectFormat } from '../engine/parser'
import { openDatabase, toErrorInfo, type Db } from '../engine/store/db'
import * as q from '../engine/store/queries'
import type { JobInput } from '../aggregator/protocol'
import { heldChannel, type AggregatorChannel, type HeldChannel } from './launcher'
import { InputRegistry, type RegisteredInput } from './inputs'
import type { LogLevel, ServiceOptions } from './options'
import { ServiceError } from './errors'
import { localeFrom } from './locale'

interface Job {
  analysisId: number
  inputs: JobInput[]
  format: string
  channel: AggregatorChannel | null
  cancelRequested: boolean
  settled: Promise<void>
  settle: () => void
}

/** A row of `PRAGMA wal_checkpoint`: busy (1 when it could not run), pages in the log, copied. */
interface CheckpointResult {
  busy: number
  log: number
  checkpointed: number
}

export class AnalysisService {
  readonly db: Db
  readonly handlers: CallHandlers
  private readonly events = new EventEmitter()
  private readonly registry = new InputRegistry()
  private readonly queue: Job[] = []
  private current: Job | null = null
  private closed = false
  /** Aggregator processes still alive, including ones that reported 'done' and are indexing. */
  private readonly live = new Map<AggregatorChannel, Promise<void>>()
  /** An aggregator process started ahead of the next job (prewarm), not yet given one. */
  private warm: HeldChannel | null = null
  /** Builds the indexes earlier analyses lack, while nothing else runs (indexWhenIdle). */
  private indexer: { stop: () => void } | null = null
  private indexWhenIdleOn = false
  /** Analyses whose indexes failed to build once: not tried again in this session. */
  private readonly indexGaveUp = new Set<number>()

  constructor(private readonly opts: ServiceOptions) {
    this.db = openDatabase(opts.dbPath, { nativeBinding: opts.nativeBinding })
    q.recoverInterrupted(this.db, isAlive)
    removeStaleSpillDirs(opts.dbPath, isAlive)
    this.events.setMaxListeners(100)
    this.handlers = guard(this.makeHandlers())
  }

  private log(level: LogLevel, message: string): void {
    this.opts.log?.(level, message)
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    this.events.on(event, listener)
    return () => this.events.off(event, listener)
  }

  private emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    this.events.emit(event, payload)
  }

  registerPaths(paths: string[], source: 'path' | 'sample'): Promise<FileSelection> {
    return this.registry.register(paths, source)
  }

  /** A file streamed from the browser: saved under workDir, then registered like a path. */
  async registerUpload(name: string, body: Readable): Promise<FileSelection> {
    const safe =
      basename(name)
        .replace(/[^\w.\-()\u4e00-\u9fff ]+/g, '_')
        .slice(0, 120) || 'upload'
    const dir = join(this.opts.workDir, 'uploads', randomUUID())
    await mkdir(dir, { recursive: true })
    const path = join(dir, safe)
    try {
      await pipeline(body, createWriteStream(path))
    } catch (e) {
      await rm(dir, { recursive: true, force: true })
      throw ServiceError.from(toErrorInfo(e, 'upload folder'))
    }
    const sel = await this.registry.register([path], 'upload')
    for (const f of sel.files) f.name = name
    for (const s of sel.skipped) s.name = name
    return sel
  }

  hasActiveJob(): boolean {
    return this.current !== null || this.queue.length > 0
  }

  async cancelAll(): Promise<void> {
    for (const j of [...this.queue]) this.cancel(j.analysisId)
    if (this.current) {
      const c = this.current
      this.cancel(c.analysisId)
      await c.settled
    }
  }

  /**
   * Start the next job's aggregator process now, for a caller that knows a job is coming (the
   * CLI's analyze): its boot (~0.1-0.2 s) then overlaps registering the files and checking their
   * format instead of following them. The next job takes it; close() stops it if none does.
   */
  prewarm(started?: HeldChannel): void {
    if (this.closed || this.warm) {
      started?.kill()
      return
    }
    let channel: HeldChannel
    try {
      // One the caller started itself (the CLI: before its own modules load), or a new one.
      channel = started ?? heldChannel(this.opts.launcher(this.opts.aggregatorEntry))
    } catch (e) {
      // The job will try again, and report what goes wrong then.
      this.log('warn', `could not start an aggregator ahead of time: ${String(e)}`)
      return
    }
    this.warm = channel
    this.watchExit(channel)
  }

  /** Track a process in `live` until it exits (close() waits for them). */
  private watchExit(channel: AggregatorChannel): void {
    this.live.set(
      channel,
      new Promise<void>((r) =>
        channel.onExit(() => {
          this.live.delete(channel)
          r()
          this.indexIfIdle()
        }),
      ),
    )
  }

  /**
   * For a long-lived front (the app, `loglens serve`): build the IP-table indexes earlier
   * analyses lack, in an aggregator process of their own, now and whenever the service is idle
   * again. They are missing where `loglens analyze` left them out (ServiceOptions.sortIndexes)
   * or where an aggregator ended before it got to them. Until then the table view's sorts scan.
   * Whatever writes to the database meanwhile (a new analysis, a rename, a delete) stops the
   * process first: the index being built is lost (each is one statement), the others stay.
   * `afterMs`: start no sooner than that.
   */
  indexWhenIdle(afterMs = 0): void {
    if (afterMs > 0) {
      // Not while the front itself starts (its window or page loads on the same cores).
      setTimeout(() => this.indexWhenIdle(), afterMs).unref()
      return
    }
    this.indexWhenIdleOn = true
    this.indexIfIdle()
  }

  private indexIfIdle(): void {
    if (!this.indexWhenIdleOn || this.closed || this.indexer) return
    if (this.live.size > 0 || this.hasActiveJob()) return
    const ids = q.analysesLackingIndexes(this.db).filter((id) => !this.indexGaveUp.has(id))
    if (ids.length === 0) return
    let channel: AggregatorChannel
    try {
      channel = this.opts.launcher(this.opts.aggregatorEntry)
    } catch (e) {
      this.log('warn', `could not start building indexes: ${String(e)}`)
      return
    }
    const left = new Set(ids)
    let stopped = false
    this.indexer = {
      stop: () => {
        stopped = true
        channel.kill()
      },
    }
    channel.onLog((line, stream) =>
      this.log(stream === 'stderr' ? 'warn' : 'info', `[indexer ${channel.pid}] ${line}`),
    )
    channel.onMessage((msg) => {
      if (msg.type === 'ready')
        channel.send({
          type: 'index',
          spec: {
            dbPath: this.opts.dbPath,
            analysisIds: ids,
            ...(this.opts.nativeBinding ? { nativeBinding: this.opts.nativeBinding } : {}),
          },
        })
      else if (msg.type === 'indexed') {
        left.delete(msg.analysisId)
        this.log('info', `built the sort indexes of analysis ${msg.analysisId}`)
      } else if (msg.type === 'log') this.log(msg.level, `[indexer] ${msg.message}`)
    })
    channel.onExit(() => {
      this.indexer = null
      // Stopped for a writer: the rest is built the next time the service is idle.
      if (!stopped) for (const id of left) this.indexGaveUp.add(id)
    })
    this.watchExit(channel)
  }

  /**
   * Copy what is committed in the write-ahead log into the database file now, without waiting
   * for (or blocking) a writer: while the aggregator writes its final rows (checkpointAlong),
   * and once more for a caller about to wait for the aggregator's exit (the CLI), so that the
   * aggregator's own final checkpoint has little left to copy. A checkpoint that cannot run now
   * is skipped (the aggregator's own one covers it).
   */
  checkpointPassive(): void {
    try {
      const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[]
      if (r && !r.busy)
        this.log('info', `checkpoint: ${r.checkpointed} of ${r.log} log pages in the database file`)
    } catch (e) {
      this.log('warn', `checkpoint skipped: ${String(e)}`)
    }
  }

  /** Stop the index builder before writing: it holds SQLite's write lock for seconds at a time. */
  private stopIndexer(): void {
    this.indexer?.stop()
  }

  async close(): Promise<void> {
    this.closed = true
    this.stopIndexer()
    // An aggregator started ahead of a job that never came: it holds nothing, let it go.
    this.warm?.send({ type: 'shutdown' })
    this.warm = null
    await this.cancelAll()
    // A finished aggregator may still be building sort indexes; let it end (or stop it) before
    // the database closes, so nothing writes to the files after close() resolves.
    const exits = [...this.live.entries()].map(([channel, exited]) => {
      const kill = setTimeout(() => channel.kill(), 10_000)
      return exited.finally(() => clearTimeout(kill))
    })
    await Promise.all(exits)
    this.db.close()
  }

  // ---------------------------------------------------------------- calls

  private makeHandlers(): CallHandlers {
    return {
      getAppInfo: () => ({
        version: this.opts.version,
        front: this.opts.front,
        platform: process.platform,
        osLocale: localeFrom(
          this.opts.osLocale ?? process.env.LANG ?? Intl.DateTimeFormat().resolvedOptions().locale,
        ),
        dbPath: this.opts.dbPath,
        memoryBudgetBytes: MEMORY_BUDGET_BYTES,
        cpuCount: availableParallelism(),
      }),
      listAnalyses: (a) => q.listAnalyses(this.db, HISTORY_LIMIT, a?.search),
      getAnalysis: ({ id }) => {
        const d = q.getAnalysisDetail(this.db, id)
        if (!d) throw notFound(id)
        return d
      },
      queryIps: (args) => {
        if (!q.getSummary(this.db, args.id)) throw notFound(args.id)
        return q.queryIps(this.db, args)
      },
      renameAnalysis: ({ id, name }) => {
        this.stopIndexer()
        if (!q.renameAnalysis(this.db, id, name)) throw notFound(id)
        this.emit('analysesChanged', { reason: 'updated' })
        return q.getSummary(this.db, id)!
      },
      deleteAnalysis: async ({ id }) => {
        const job = this.findJob(id)
        if (job) {
          this.cancel(id)
          await job.settled
        }
        this.stopIndexer()
        if (!q.deleteAnalysis(this.db, id)) throw notFound(id)
        this.emit('analysesChanged', { reason: 'deleted' })
        return null
      },
      startAnalysis: async ({ fileIds, format, name }) => {
        const inputs = fileIds.map((id) => {
          const f = this.registry.get(id)
          if (!f)
            throw new ServiceError(
              'INVALID_INPUT',
              'One of the chosen files is no longer available; please choose it again.',
            )
          return f
        })
        // The same file chosen in two selections (two drops) is read once.
        const seen = new Set<string>()
        const unique = inputs.filter((f) => !seen.has(f.identity) && !!seen.add(f.identity))
        const id = await this.enqueue(unique, format ?? 'auto', name)
        return { analysisId: id }
      },
      cancelAnalysis: ({ analysisId }) => {
        if (!this.cancel(analysisId)) {
          if (!q.getSummary(this.db, analysisId)) throw notFound(analysisId)
        }
        return null
      },
      retryAnalysis: async ({ analysisId, format }) => {
        const files = q.getStoredFiles(this.db, analysisId)
        if (files.length === 0) throw notFound(analysisId)
        const paths = files.map((f) => f.sourcePath ?? f.path).filter((p): p is string => !!p)
        const sel = await this.registry.register(paths, 'path')
        // Left-out files by the names the analysis shows (an upload's copy has another name).
        // An upload's copy lives as long as the `loglens serve` that took it: gone, it is said so.
        const skipped = sel.skipped.map((k) => {
          const stored = files.find((x) => basename(x.sourcePath ?? x.path ?? '') === k.name)
          const name = stored?.name ?? k.name
          const uploadGone = stored !== undefined && !stored.path && k.error.code === 'NOT_FOUND'
          const error: ErrorInfo = uploadGone
            ? {
                code: 'NOT_FOUND',
                message: `${name} was uploaded to an earlier session of LogLens in the browser, and that copy is no longer kept. Open the file again.`,
                params: { file: name, uploaded: 1 },
              }
            : { ...k.error, params: { ...k.error.params, file: name } }
          return { name, error }
        })
        if (sel.files.length === 0)
          throw ServiceError.from(
            skipped[0]?.error ?? {
              code: 'NOT_FOUND',
              message: 'The files of this analysis are no longer available.',
            },
          )
        const inputs = sel.files.map((f) => this.registry.get(f.id)!)
        sel.files.forEach((f, i) => {
          inputs[i]!.name =
            files.find((x) => (x.sourcePath ?? x.path) === inputs[i]!.path)?.name ?? f.name
        })
        const summary = q.getSummary(this.db, analysisId)
        const id = await this.enqueue(
          inputs,
          format ?? q.getFormatRequest(this.db, analysisId),
          summary?.name,
        )
        return { analysisId: id, skipped }
      },
      registerDroppedPaths: ({ paths }) => this.registry.register(paths, 'path'),
      openFileDialog: () => {
        throw new ServiceError('NOT_SUPPORTED', 'File dialogs exist only in the desktop app.')
      },
      openSample: () => this.registry.register([this.opts.samplePath], 'sample'),
      // The report engine (jsdom, React, recharts) loads on the first export, not at start-up.
      exportReport: async (args) =>
        (await import('./export')).exportReport(
          { owner: this, db: this.db, opts: this.opts },
          args,
        ),
    }
  }

  private findJob(id: number): Job | undefined {
    if (this.current?.analysisId === id) return this.current
    return this.queue.find((j) => j.analysisId === id)
  }

  // ---------------------------------------------------------------- jobs

  /** Check the format up front (nothing is stored for a file that is not a log), then queue. */
  private async enqueue(inputs: RegisteredInput[], format: string, name?: string): Promise<number> {
    // The file the analysis is named after: the first, or with detection the first that is a
    // log (an error log chosen first is left out: `access.log +1`, not `error.log +1`).
    let lead = inputs[0]!.name
    if (format !== 'auto') {
      const c = compileFormat(format)
      if (!c.ok) throw new ServiceError('BAD_FORMAT', c.error, { detail: c.error })
    } else {
      let first: { name: string; lines: Uint8Array[] } | null = null
      let matched = false
      for (const f of inputs) {
        let lines: Uint8Array[]
        try {
          lines = (await inspectFile(f.path)).lines
        } catch {
          continue // the aggregator reports unreadable files with the analysis
        }
        if (lines.length === 0) continue
        first ??= { name: f.name, lines }
        if (detectFormat(lines).best) {
          matched = true
          lead = f.name
          break
        }
      }
      if (first && !matched) {
        throw ServiceError.from(notALogError(first.name, errorLogServer(first.lines)))
      }
    }
    const label = name ?? (inputs.length === 1 ? lead : `${lead} +${inputs.length - 1}`)
    this.stopIndexer()
    const analysisId = q.createAnalysis(this.db, {
      name: label,
      formatRequest: format,
      files: inputs.map((f) => ({
        name: f.name,
        size: f.size,
        ...(f.source === 'upload' ? {} : { path: f.path }),
        sourcePath: f.path,
      })),
    })
    let settle = (): void => undefined
    const settled = new Promise<void>((r) => (settle = r))
    this.queue.push({
      analysisId,
      inputs: inputs.map((f) => ({
        path: f.path,
        name: f.name,
        size: f.size,
        ...(f.source === 'upload' ? {} : { displayPath: f.path }),
      })),
      format,
      channel: null,
      cancelRequested: false,
      settled,
      settle,
    })
    this.emit('analysesChanged', { reason: 'created' })
    this.emitJob(analysisId, 'queued', null)
    queueMicrotask(() => void this.runNext())
    return analysisId
  }

  private emitJob(analysisId: number, state: JobState, error: ErrorInfo | null): void {
    this.emit('job', { analysisId, state, error })
  }

  /** Returns false when the analysis is not queued or running. */
  private cancel(analysisId: number): boolean {
    const qi = this.queue.findIndex((j) => j.analysisId === analysisId)
    if (qi >= 0) {
      const [job] = this.queue.splice(qi, 1)
      this.db
        .prepare(
          "UPDATE analyses SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'",
        )
        .run(Date.now(), analysisId)
      this.emitJob(analysisId, 'cancelled', null)
      this.emit('analysesChanged', { reason: 'updated' })
      job!.settle()
      return true
    }
    const job = this.current
    if (!job || job.analysisId !== analysisId) return false
    job.cancelRequested = true
    job.channel?.send({ type: 'cancel' })
    // A process that does not stop within a few seconds is stopped.
    setTimeout(() => {
      if (this.current === job) job.channel?.kill()
    }, 5000).unref()
    return true
  }

  private async runNext(): Promise<void> {
    if (this.current || this.closed) return
    const job = this.queue.shift()
    if (!job) return
    this.current = job
    try {
      await this.supervise(job)
    } catch (e) {
      this.log('error', `analysis ${job.analysisId}: ${String(e)}`)
    } finally {
      this.current = null
      job.settle()
      void this.runNext()
    }
  }

  /** Run one job in a fresh aggregator process and turn whatever happens into a job state. */
  private supervise(job: Job): Promise<void> {
    const id = job.analysisId
    const readyTimeout = this.opts.readyTimeoutMs ?? 15_000
    return new Promise<void>((resolve) => {
      let ready = false
      let childPid = 0
      let finished = false
      const finish = (state: JobState, error: ErrorInfo | null): void => {
        if (finished) return
        finished = true
        clearTimeout(timer)
        if (error && (state === 'incomplete' || state === 'failed'))
          q.markInterrupted(this.db, id, error)
        this.emitJob(id, state, error)
        this.emit('analysesChanged', { reason: 'updated' })
        resolve()
      }
      let channel: AggregatorChannel
      const warm = this.warm
      this.warm = null
      try {
        // The process started ahead (prewarm), unless it has already ended.
        channel = warm && !warm.exited ? warm : this.opts.launcher(this.opts.aggregatorEntry)
      } catch (e) {
        finish('failed', {
          code: 'AGGREGATOR_CRASHED',
          message: `The analysis process could not start: ${String((e as Error)?.message ?? e)}`,
        })
        return
      }
      job.channel = channel
      if (channel !== warm) this.watchExit(channel)
      const timer = setTimeout(() => {
        if (ready) return
        channel.kill()
        finish('incomplete', {
          code: 'AGGREGATOR_TIMEOUT',
          message: 'The analysis process did not start in time.',
        })
      }, readyTimeout)
      channel.onLog((line, stream) =>
        this.log(stream === 'stderr' ? 'warn' : 'info', `[aggregator ${channel.pid}] ${line}`),
      )
      // The aggregator opens the database only to write its result; until then the service
      // keeps the running totals and memory samples, so a crash still shows how far it got.
      let lastSave = 0
      let samples: MemorySample[] = []
      /** The latest totals not yet in the row. */
      let unsaved: ProgressEvent | null = null
      const saveProgress = (): void => {
        const p = unsaved
        if (!p) return
        unsaved = null
        lastSave = p.elapsedMs
        try {
          q.saveProgress(this.db, id, {
            pv: p.pv,
            invalid: p.invalid,
            bytesRead: p.bytesDone,
            linesRead: p.lines,
            elapsedMs: p.elapsedMs,
            rss: p.rssBytes,
          })
          q.addMemorySamples(this.db, id, samples)
          samples = []
        } catch (e) {
          this.log('warn', `could not save progress of analysis ${id}: ${String(e)}`)
        }
      }
      // Every 2 s while it runs, and once more if the process dies (see onExit).
      const onProgress = (p: ProgressEvent): void => {
        samples.push({ t: p.elapsedMs, rss: p.rssBytes, heapUsed: p.heapUsedBytes })
        unsaved = p
        if (p.elapsedMs - lastSave >= 2000) saveProgress()
      }
      channel.onMessage((msg) => {
        if (msg.type === 'ready') {
          ready = true
          clearTimeout(timer)
          q.markRunning(this.db, id, msg.pid)
          childPid = msg.pid
          this.emitJob(id, 'running', null)
          channel.send({
            type: 'start',
            job: {
              analysisId: id,
              dbPath: this.opts.dbPath,
              inputs: job.inputs,
              format: job.format,
              jobs: this.opts.jobs ?? 0,
              ...(this.opts.sortIndexes ? { sortIndexes: this.opts.sortIndexes } : {}),
              ...(this.opts.livePartials === false ? { livePartials: false } : {}),
              ...(this.opts.sampleIntervalMs
                ? { sampleIntervalMs: this.opts.sampleIntervalMs }
                : {}),
              ...(this.opts.nativeBinding ? { nativeBinding: this.opts.nativeBinding } : {}),
            },
          })
          if (job.cancelRequested) channel.send({ type: 'cancel' })
        } else if (msg.type === 'progress') {
          onProgress(msg.progress)
          this.emit('progress', msg.progress)
        } else if (msg.type === 'partial') this.emit('partial', msg.partial)
        else if (msg.type === 'log') this.log(msg.level, `[aggregator] ${msg.message}`)
        else if (msg.type === 'committed') {
          if (this.opts.checkpointAlong) this.checkpointPassive()
        } else if (msg.type === 'done') {
          const { status, error } = msg.done
          // The row holds the outcome when the aggregator could write it (always, for a complete
          // analysis). When it could not, its database writes having failed, say it here: the
          // row would otherwise say running until the next start's recovery.
          if (status !== 'complete') {
            try {
              if (q.markEnded(this.db, id, status, error))
                this.log('warn', `analysis ${id}: the aggregator could not record its end`)
            } catch (e) {
              this.log('warn', `could not mark analysis ${id} ${status}: ${String(e)}`)
            }
          }
          finished = true
          clearTimeout(timer)
          this.emitJob(id, status, error)
          this.emit('analysesChanged', { reason: 'updated' })
          resolve()
        }
      })
      channel.onExit((code, signal) => {
        // A killed aggregator cannot remove its key-range records (partition.ts).
        if (childPid > 0)
          rmSync(spillDirOf(this.opts.dbPath, id, childPid), { recursive: true, force: true })
        if (finished) return
        // The totals it last reported, before the row is marked: a crash a second into the job
        // still shows how far it got (the row is only updated while it says running).
        saveProgress()
        if (job.cancelRequested) {
          q.markInterrupted(this.db, id, {
            code: 'CANCELLED',
            message: 'The analysis was cancelled.',
          })
          this.db
            .prepare(
              "UPDATE analyses SET status = 'cancelled' WHERE id = ? AND status = 'incomplete'",
            )
            .run(id)
          finish('cancelled', null)
          return
        }
        finish('incomplete', {
          code: 'AGGREGATOR_CRASHED',
          message: `The analysis stopped unexpectedly (${signal ? 'signal ' + signal : 'exit code ' + code}). Results so far are kept.`,
          params: { detail: signal ?? String(code) },
        })
      })
    })
  }
}

/** Every handler's failure reaches the front as a ServiceError (SQLite and file errors mapped). */
function guard(handlers: CallHandlers): CallHandlers {
  const wrap = (e: unknown): ServiceError =>
    e instanceof ServiceError ? e : ServiceError.from(toErrorInfo(e))
  const out: Record<string, (args: never) => unknown> = {}
  for (const [name, fn] of Object.entries(handlers) as [string, (args: never) => unknown][]) {
    out[name] = (args: never) => {
      try {
        const r = fn(args)
        return r instanceof Promise ? r.catch((e: unknown) => Promise.reject(wrap(e))) : r
      } catch (e) {
        throw wrap(e)
      }
    }
  }
  return out as unknown as CallHandlers
}

function notFound(id: number): ServiceError {
  return new ServiceError('NOT_FOUND', `Analysis ${id} does not exist.`, { id })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
