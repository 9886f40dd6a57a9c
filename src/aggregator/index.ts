// The aggregator process entry. The same module runs under Electron's utilityProcess (messages
// through process.parentPort) and under Node's child_process.fork (process.send); only the port
// adapter below differs. One process runs one analysis, then exits: a fresh process per job keeps
// memory honest and makes a crash affect only the job that caused it.
import {
  STANDBY_WORKERS_ENV,
  type ChildToParent,
  type IndexSpec,
  type JobSpec,
  type ParentToChild,
} from './protocol'
import { join } from 'node:path'
import type { JobControl } from './job'
import { defaultJobs, StandbyWorkers } from './standby'

// The parse workers boot while the job is on its way and being set up (see StandbyWorkers):
// started first, before the engine's modules load (~100 ms of this thread's start on a
// two-core machine, in which a worker's isolate boots on the other core).
const workerEntry = join(__dirname, 'parse-worker.js')
const standby = new StandbyWorkers(workerEntry, standbyCount())
const engine = import('./job')

/** One fewer parse workers than the job's threads, unless the caller knows better (protocol.ts). */
function standbyCount(): number {
  const given = process.env[STANDBY_WORKERS_ENV]
  const n = Number(given)
  return given !== undefined && given !== '' && Number.isInteger(n) && n >= 0
    ? n
    : defaultJobs() - 1
}

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

const electronPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort

/** Resolves once the last message sent through Node's IPC channel has been handed over. */
let lastSent: Promise<void> = Promise.resolve()

function send(msg: ChildToParent): void {
  if (electronPort) electronPort.postMessage(msg)
  else if (process.send)
    lastSent = new Promise<void>((resolve) =>
      process.send!(msg, undefined, undefined, () => resolve()),
    )
}

function onMessage(listener: (msg: ParentToChild) => void): void {
  if (electronPort) electronPort.on('message', (e) => listener(e.data as ParentToChild))
  else process.on('message', (m) => listener(m as ParentToChild))
}

const control: JobControl = { cancelled: false }
let running = false

onMessage((msg) => {
  if (msg.type === 'cancel') {
    control.cancelled = true
    control.onCancel?.()
  } else if (msg.type === 'shutdown') {
    process.exit(0)
  } else if (msg.type === 'start' && !running) {
    running = true
    void start(msg.job)
  } else if (msg.type === 'index' && !running) {
    running = true
    void index(msg.spec)
  }
})

async function start(job: JobSpec): Promise<void> {
  const nativeBinding = job.nativeBinding
  try {
    const { buildSortIndexes, runJob } = await engine
    const done = await runJob(job, send, control, workerEntry, nativeBinding, standby)
    send({ type: 'done', done })
    if (done.status !== 'failed') {
      try {
        buildSortIndexes(job.dbPath, job.analysisId, nativeBinding, job.sortIndexes ?? 'all')
      } catch {
        // Sorting still works without the indexes, only slower.
      }
    }
  } catch (e) {
    send({
      type: 'done',
      done: {
        analysisId: job.analysisId,
        status: 'incomplete',
        error: { code: 'INTERNAL', message: String((e as Error)?.message ?? e) },
      },
    })
  } finally {
    leave()
  }
}

/** Indexes that earlier jobs left out; the service stops this process when a job needs the database. */
async function index(spec: IndexSpec): Promise<void> {
  try {
    const { buildPendingIndexes } = await engine
    buildPendingIndexes(spec, (analysisId) => send({ type: 'indexed', analysisId }))
  } catch (e) {
    send({ type: 'log', level: 'warn', message: `could not build indexes: ${String(e)}` })
  } finally {
    leave()
  }
}

/**
 * Leave once the last message is out: under Node, when its send has completed; Electron's port
 * gives no such signal, so a moment for it.
 */
function leave(): void {
  if (electronPort) setTimeout(() => process.exit(0), 50)
  else void lastSent.then(() => process.exit(0))
}

// Without a parent (parent died, IPC closed) there is nobody to work for.
if (!electronPort) process.on('disconnect', () => process.exit(0))
// Ctrl+C in a terminal reaches the whole process group: `loglens analyze` cancels the job
// through its channel (the results so far are written, marked cancelled), so this process does
// not simply die with it. It still leaves when the parent does (above).
if (!electronPort) process.on('SIGINT', () => undefined)

// Ready once the engine is loaded. A failure to load it is an unhandled rejection: the process
// exits before 'ready', which the service reports as AGGREGATOR_CRASHED.
void engine.then(() => send({ type: 'ready', pid: process.pid }))
