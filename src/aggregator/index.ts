// The aggregator process entry. The same module runs under Electron's utilityProcess (messages
// through process.parentPort) and under Node's child_process.fork (process.send); only the port
// adapter below differs. One process runs one analysis, then exits: a fresh process per job keeps
// memory honest and makes a crash affect only the job that caused it.
import type { ChildToParent, ParentToChild } from './protocol'
import { join } from 'node:path'
import { buildSortIndexes, defaultJobs, runJob, type JobControl } from './job'
import { StandbyWorkers } from './standby'

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

const electronPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort

function send(msg: ChildToParent): void {
  if (electronPort) electronPort.postMessage(msg)
  else if (process.send) process.send(msg)
}

function onMessage(listener: (msg: ParentToChild) => void): void {
  if (electronPort) electronPort.on('message', (e) => listener(e.data as ParentToChild))
  else process.on('message', (m) => listener(m as ParentToChild))
}

const control: JobControl = { cancelled: false }
// The parse workers boot while the job is on its way and being set up (see StandbyWorkers).
const standby = new StandbyWorkers(join(__dirname, 'parse-worker.js'), defaultJobs() - 1)
let running = false

onMessage((msg) => {
  if (msg.type === 'cancel') {
    control.cancelled = true
    control.onCancel?.()
  } else if (msg.type === 'shutdown') {
    process.exit(0)
  } else if (msg.type === 'start' && !running) {
    running = true
    const nativeBinding = msg.job.nativeBinding
    runJob(msg.job, send, control, undefined, nativeBinding, standby)
      .then((done) => {
        send({ type: 'done', done })
        if (done.status !== 'failed') {
          try {
            buildSortIndexes(msg.job.dbPath, msg.job.analysisId, nativeBinding)
          } catch {
            // Sorting still works without the indexes, only slower.
          }
        }
      })
      .catch((e: unknown) =>
        send({
          type: 'done',
          done: {
            analysisId: msg.job.analysisId,
            status: 'incomplete',
            error: { code: 'INTERNAL', message: String((e as Error)?.message ?? e) },
          },
        }),
      )
      .finally(() => {
        // Let the last message flush before leaving.
        setTimeout(() => process.exit(0), 50)
      })
  }
})

// Without a parent (parent died, IPC closed) there is nobody to work for.
if (!electronPort) process.on('disconnect', () => process.exit(0))

send({ type: 'ready', pid: process.pid })
