// A parse worker hands each full table of hostname clients (Apache HostnameLookups) to the
// coordinator, which writes it to SQLite between its own chunks. It posts the next one only once
// the last is written: a worker reading a gzip file of hostnames while the coordinator parsed
// another file used to post them faster than they were written, and the queue grew with the file
// (27 batches at once, +30 MB of peak RSS, in one run of two gzip files). Real worker thread,
// real file, the coordinator's side played by the test.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createShared, WorkerThread } from '../../src/aggregator/threads'
import { P_LINES, P_SLOT } from '../../src/aggregator/worker-protocol'
import {
  FIRST_HOST_TABLE_CAPACITY,
  firstHostsFor,
  HOST_TABLE_CAPACITY,
} from '../../src/engine/aggregate/accumulator'
import { CHUNK_BYTES, type FileTask } from '../../src/engine/aggregate/reader'
import { createSharedTable } from '../../src/engine/aggregate/shared-ip-table'
import { requireBuild, WORKER_ENTRY } from '../support/build'

const dir = mkdtempSync(join(tmpdir(), 'loglens-host-batches-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const log = join(dir, 'hosts.log')
/** Every line a new hostname: a full table every HOST_TABLE_CAPACITY lines. */
const HOSTS = 12 * HOST_TABLE_CAPACITY
const line = (i: number): string =>
  `host-${String(i).padStart(7, '0')}.dyn.example-isp.net - - [10/Oct/2024:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /p HTTP/1.1" 200 ${i % 5000} "-" "Mozilla/5.0"\n`

beforeAll(() => {
  requireBuild()
  const lines: string[] = []
  for (let i = 0; i < HOSTS; i++) lines.push(line(i))
  writeFileSync(log, lines.join(''))
})

describe('hostname batches from a parse worker', () => {
  it('posts its next table only once the last one is written, and loses none', async () => {
    const slot = 1
    const shared = createShared(2)
    const sleeper = new Int32Array(new SharedArrayBuffer(4))
    const linesRead = (): number => shared.progress[slot * P_SLOT + P_LINES]!
    const sizes: number[] = []
    let batches = 0
    let names = 0
    let whileBusy: [number, number] | null = null
    const worker = new WorkerThread(
      WORKER_ENTRY,
      {
        formats: ['combined'],
        formatOfFile: [],
        table: createSharedTable(4096, 2, null),
        progress: shared.progress.buffer as SharedArrayBuffer,
        slot,
        cancel: shared.cancel.buffer as SharedArrayBuffer,
        written: shared.written.buffer as SharedArrayBuffer,
        prime: new Uint8Array(0),
        // As a job with a gzip file on two threads sets it (firstHostsFor).
        firstHosts: FIRST_HOST_TABLE_CAPACITY,
      },
      (b) => {
        batches++
        names += b.count
        sizes.push(b.count)
        if (whileBusy === null) {
          // The coordinator busy with the first batch for a second (a long SQLite write).
          const before = linesRead()
          Atomics.wait(sleeper, 0, 0, 1000)
          whileBusy = [before, linesRead()]
        }
      },
      () => undefined,
    )
    const size = statSync(log).size
    const task: FileTask = {
      kind: 'range',
      fileIndex: 0,
      path: log,
      name: 'hosts.log',
      start: 0,
      end: size,
      expectedSize: size,
    }
    const [outcome] = await worker.runQueue([task], new Int32Array(new SharedArrayBuffer(4)))
    const result = await worker.finish()
    await worker.terminate()
    expect(outcome!.error).toBeNull()

    // Meanwhile the worker filled its next table, at most, and waited: progress is published a
    // chunk at a time, so up to a chunk's lines more. Without waiting it read on to the end.
    const linesPerChunk = Math.ceil(CHUNK_BYTES / Buffer.byteLength(line(0)))
    const [before, after] = whileBusy!
    console.log(`lines read while the first batch was written: ${before} → ${after} of ${HOSTS}`)
    expect(after).toBeLessThanOrEqual(
      FIRST_HOST_TABLE_CAPACITY + HOST_TABLE_CAPACITY + linesPerChunk,
    )
    expect(after).toBeLessThan(HOSTS)
    // Every hostname once: in a batch, or in the table the worker's result hands over.
    expect(batches).toBeGreaterThanOrEqual(10)
    expect(names + result.hosts.count).toBe(HOSTS)
    // The first table is small (it tells the job early that hostnames spill), then full ones.
    expect(sizes[0]).toBe(FIRST_HOST_TABLE_CAPACITY)
    expect(new Set(sizes.slice(1))).toEqual(new Set([HOST_TABLE_CAPACITY]))
    expect(result.counters.pv).toBe(HOSTS)
  }, 60_000)

  it('makes the first table small only where a worker may be unable to hand its file over', () => {
    expect(firstHostsFor(2, true)).toBe(FIRST_HOST_TABLE_CAPACITY)
    // Plain files only: a worker hands over its range at its next chunk. One thread: no worker.
    expect(firstHostsFor(2, false)).toBeUndefined()
    expect(firstHostsFor(1, true)).toBeUndefined()
  })
})
