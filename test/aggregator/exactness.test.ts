// The engine against an independent reference count: generated logs with IPv4 and IPv6 clients
// (several spellings of one address), several files including .gz, invalid lines and CRLF;
// one thread and two threads; key ranges on disk and SQLite spills forced by a tiny table, a full
// disk, cancel.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  linkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runJob } from '../../src/aggregator/job'
import { RangeWriter } from '../../src/aggregator/range-writes'
import { threadsFor } from '../../src/aggregator/standby'
import { StandbyWorkers } from '../../src/aggregator/standby'
import type { JobSpec } from '../../src/aggregator/protocol'
import type { IpRow, PartialEvent, ProgressEvent } from '../../src/shared/types'
import { MAX_PARTS, partFile, spillDirOf } from '../../src/engine/aggregate/partition'
import { generateLogFile } from '../../src/engine/generate/generator'
import { openDatabase, type Db } from '../../src/engine/store/db'
import { TOP_INDEX_ROWS } from '../../src/engine/store/migrations'
import { createAnalysis, getAnalysisDetail, queryIps, topIps } from '../../src/engine/store/queries'
import { WORKER_ENTRY, requireBuild } from '../support/build'
import { allIpRows } from '../support/ips'

const dir = mkdtempSync(join(tmpdir(), 'loglens-exact-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Canonical IPv6 per RFC 5952, written independently of the engine's parser. */
function canonicalV6(text: string): string {
  const [head, tail] = text.toLowerCase().split('::') as [string, string | undefined]
  const a = head ? head.split(':') : []
  const b = tail !== undefined ? (tail ? tail.split(':') : []) : []
  const groups = tail !== undefined ? [...a, ...Array(8 - a.length - b.length).fill('0'), ...b] : a
  const nums = groups.map((g) => parseInt(g, 16))
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (nums[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && nums[j] === 0) j++
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = nums.map((n) => n.toString(16))
  if (bestStart < 0) return hex.join(':')
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':')
}

interface RefIp {
  pv: number
  bytes: number
  first: number
  last: number
  s: number[]
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
}
const COMBINED =
  /^(\S+) \S+ \S+ \[(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\] "[^"]*" (\d{3}) (\d+|-) "[^"]*" "[^"]*"$/

function reference(texts: string[]) {
  let pv = 0
  let invalid = 0
  const ips = new Map<string, RefIp>()
  const statuses = new Map<number, number>()
  for (const text of texts) {
    for (let line of text.split('\n')) {
      if (line.endsWith('\r')) line = line.slice(0, -1)
      if (line.trim() === '') continue
      const m = COMBINED.exec(line)
      if (!m) {
        invalid++
        continue
      }
      pv++
      const [, client, dd, mon, yyyy, hh, mi, ss, sign, oh, om, status, bytesText] = m
      const off = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om))
      const t = Date.UTC(+yyyy!, MONTHS[mon!]!, +dd!, +hh!, +mi!, +ss!) / 1000 - off * 60
      const ip = client!.includes(':') ? canonicalV6(client!) : client!
      const st = Number(status)
      const bytes = bytesText === '-' ? 0 : Number(bytesText)
      statuses.set(st, (statuses.get(st) ?? 0) + 1)
      let r = ips.get(ip)
      if (!r) ips.set(ip, (r = { pv: 0, bytes: 0, first: t, last: t, s: [0, 0, 0, 0] }))
      r.pv++
      r.bytes += bytes
      r.first = Math.min(r.first, t)
      r.last = Math.max(r.last, t)
      const cls = Math.floor(st / 100)
      if (cls >= 2 && cls <= 5) r.s[cls - 2]!++
    }
  }
  return { pv, invalid, uv: ips.size, ips, statuses }
}

const files: { path: string; name: string; size: number; text: string }[] = []

beforeAll(() => {
  requireBuild()
  const a = join(dir, 'access.log')
  generateLogFile(a, {
    lines: 30_000,
    clients: 4_000,
    ipv6Share: 0.2,
    ipv6Spellings: true,
    seed: 3,
  })
  const b = join(dir, 'access.log.1')
  generateLogFile(b, {
    lines: 20_000,
    clients: 3_000,
    invalidShare: 0.02,
    crlf: true,
    seed: 4,
    start: 1.7e9,
  })
  const c = join(dir, 'access.log.2.gz')
  generateLogFile(c, {
    lines: 25_000,
    clients: 6_000,
    ipv6Share: 0.1,
    seed: 5,
    tzOffsetMinutes: 480,
  })
  for (const path of [a, b, c]) {
    const raw = readFileSync(path)
    const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8')
    files.push({ path, name: path.split('/').pop()!, size: raw.length, text })
  }
})

/** A database with one new analysis in it. */
function prepare(name: string): { dbPath: string; db: Db; id: number } {
  const dbPath = join(dir, `${name}.db`)
  const db = openDatabase(dbPath)
  const id = createAnalysis(db, { name, files: [], formatRequest: 'auto' })
  return { dbPath, db, id }
}

/** Run the analysis on `inputs`; what it logged and the key-range progress it reported. */
async function run(
  dbPath: string,
  id: number,
  opts: Partial<JobSpec>,
  inputs = files,
  standby?: StandbyWorkers,
  /** Called at every message the job sends (progress comes every sampleIntervalMs). */
  watch?: () => void,
) {
  const logs: string[] = []
  const ranges: { done: number; total: number }[] = []
  const progress: ProgressEvent[] = []
  let lastPartial: PartialEvent | null = null
  const sent: Record<string, number> = {}
  const done = await runJob(
    {
      analysisId: id,
      dbPath,
      inputs: inputs.map((f) => ({ path: f.path, name: f.name, size: f.size })),
      format: 'auto',
      jobs: 1,
      ...opts,
    },
    (m) => {
      watch?.()
      sent[m.type] = (sent[m.type] ?? 0) + 1
      if (m.type === 'log') logs.push(m.message)
      if (m.type === 'progress') progress.push(m.progress)
      if (m.type === 'progress' && m.progress.ranges) ranges.push(m.progress.ranges)
      if (m.type === 'partial') lastPartial = m.partial
    },
    { cancelled: false },
    WORKER_ENTRY,
    undefined,
    standby,
  )
  return { done, logs, ranges, progress, lastPartial: lastPartial as PartialEvent | null, sent }
}

async function analyze(
  opts: Partial<JobSpec>,
  name: string,
  inputs = files,
  standby?: StandbyWorkers,
) {
  const { dbPath, db, id } = prepare(name)
  const { done, logs, ranges, progress, lastPartial, sent } = await run(
    dbPath,
    id,
    opts,
    inputs,
    standby,
  )
  expect(done.error).toBeNull()
  expect(done.status).toBe('complete')
  // Key-range records live beside the database only while the job runs.
  expect(readdirSync(dir).filter((n) => n.startsWith('spill-'))).toEqual([])
  return { db, id, logs, ranges, progress, lastPartial, sent }
}

const rangesStarted = (logs: string[]): boolean => logs.some((l) => /key ranges on disk/.test(l))

/**
 * 14,000 clients in 40,000 lines: with a table of 2,048 slots, ranges of ~700 clients (the IPv6
 * ones share the last range: few enough for it to fit the table too).
 */
const RANGE_WRITER_LOG = { lines: 40_000, clients: 14_000, ipv6Share: 0.02, seed: 5 }

/** A log from the project's generator, as an input of these tests. */
function generated(name: string, opts: Parameters<typeof generateLogFile>[1]): typeof files {
  const path = join(dir, name)
  generateLogFile(path, opts)
  const text = readFileSync(path, 'utf8')
  return [{ path, name, size: Buffer.byteLength(text), text }]
}

function check(db: Db, id: number, texts = files.map((f) => f.text)): void {
  const ref = reference(texts)
  const d = getAnalysisDetail(db, id)!
  expect(d.summary.pv).toBe(ref.pv)
  expect(d.summary.invalid).toBe(ref.invalid)
  expect(d.summary.uv).toBe(ref.uv)
  expect(d.series.points.reduce((s, p) => s + p.pv, 0)).toBe(ref.pv)
  expect(Object.fromEntries(d.statuses.map((s) => [s.status, s.count]))).toEqual(
    Object.fromEntries(ref.statuses),
  )
  const all: IpRow[] = []
  for (let offset = 0; ; offset += 5000) {
    const { rows, total } = queryIps(db, { id, sort: 'ip', dir: 'asc', offset, limit: 5000 })
    expect(total).toBe(ref.uv)
    all.push(...rows)
    if (rows.length < 5000) break
  }
  expect(all.length).toBe(ref.uv)
  // The top-N index's threshold is the requests of the TOP_INDEX_ROWS-th busiest client (each
  // client's whole count, whichever way it was written; 0 with fewer clients), and top-N lists
  // read through it.
  const busiest = [...ref.ips.values()].map((e) => e.pv).sort((x, y) => y - x)
  expect(db.prepare('SELECT top_pv_min FROM analyses WHERE id = ?').pluck().get(id)).toBe(
    busiest[TOP_INDEX_ROWS - 1] ?? 0,
  )
  expect(topIps(db, id, 100).map((r) => r.pv)).toEqual(busiest.slice(0, 100))
  for (const r of all) {
    const e = ref.ips.get(r.ip)
    expect(e, r.ip).toBeDefined()
    expect(
      [r.pv, r.bytes, r.firstSeen / 1000, r.lastSeen / 1000, r.s2xx, r.s3xx, r.s4xx, r.s5xx],
      r.ip,
    ).toEqual([e!.pv, e!.bytes, e!.first, e!.last, ...e!.s])
  }
}

describe('exact counts against a reference', () => {
  it('one thread', async () => {
    const { db, id } = await analyze({ jobs: 1 }, 'one')
    check(db, id)
    db.close()
  })

  it('two worker threads sharing the table give identical results', async () => {
    const { db, id } = await analyze({ jobs: 2, inlineBelowBytes: 0 }, 'two')
    check(db, id)
    db.close()
  })

  it('sends partial results for a dashboard, and none when the caller shows only progress', async () => {
    const live = await analyze({ jobs: 2, inlineBelowBytes: 0, sampleIntervalMs: 20 }, 'live')
    // At least the one sent once every line is read.
    expect(live.sent.partial).toBeGreaterThan(0)
    // Then progress says at once that every byte is read, and that the clients are being saved.
    const total = live.progress[0]!.bytesTotal
    const saving = live.progress.findIndex((p) => p.saving)
    expect(saving).toBeGreaterThan(0)
    expect(live.progress[saving - 1]!.bytesDone).toBe(total)
    expect(live.progress[saving]!.saving).toEqual({
      clients: reference(files.map((f) => f.text)).uv,
    })
    expect(live.progress[saving]!.etaMs).toBeNull()
    expect(live.progress.slice(saving).every((p) => p.saving && p.bytesDone === total)).toBe(true)
    live.db.close()
    // The CLI: progress as often, no snapshots of the threads, the same counts.
    const quiet = await analyze(
      { jobs: 2, inlineBelowBytes: 0, sampleIntervalMs: 20, livePartials: false },
      'quiet',
    )
    expect(quiet.sent.partial).toBeUndefined()
    expect(quiet.sent.progress).toBeGreaterThan(0)
    check(quiet.db, quiet.id)
    quiet.db.close()
  })

  it('commits the final rows in parts where the disk has room, in one transaction where it is tight', async () => {
    // Room: the caller hears of each committed part (here one: fewer than 51,200 clients).
    const roomy = await analyze({ jobs: 2, inlineBelowBytes: 0 }, 'parts')
    expect(roomy.sent.committed).toBe(1)
    check(roomy.db, roomy.id)
    roomy.db.close()
    // Tight: parts would keep their space if the disk filled midway; one transaction, the same
    // counts.
    const tight = await analyze({ jobs: 2, inlineBelowBytes: 0, diskFreeBytes: 32 << 20 }, 'whole')
    expect(tight.sent.committed).toBeUndefined()
    check(tight.db, tight.id)
    tight.db.close()
  })

  it('parse workers started before the job (as the aggregator process does) count the same', async () => {
    // Three threads: one worker from the standby pool, one started by the job.
    const standby = new StandbyWorkers(WORKER_ENTRY, 1)
    const { db, id, logs } = await analyze(
      { jobs: 3, inlineBelowBytes: 0 },
      'standby',
      files,
      standby,
    )
    // More threads than the memory budget has room for: allowed, and said.
    expect(logs.filter((l) => /3 parse threads: .* 100 MB memory budget/.test(l))).toHaveLength(1)
    expect(standby.taken).toBe(1)
    expect(standby.size).toBe(0)
    check(db, id)
    db.close()
  })

  it('by default parses on one thread per core, at most the two the memory budget allows', () => {
    expect([1, 2, 3, 8, 64].map(threadsFor)).toEqual([1, 2, 2, 2, 2])
  })

  it('a job that needs no worker stops the ones started for it', async () => {
    const standby = new StandbyWorkers(WORKER_ENTRY, 2)
    const { db, id } = await analyze({ jobs: 2 }, 'standby-small', files, standby)
    expect(standby.taken).toBe(0)
    expect(standby.size).toBe(0)
    expect(standby.take(WORKER_ENTRY)).toBeNull()
    check(db, id)
    db.close()
  })

  it('a table far smaller than the clients: key ranges on disk stay exact', async () => {
    const one = await analyze({ jobs: 1, ipTableSlots: 512 }, 'spill1')
    expect(rangesStarted(one.logs)).toBe(true)
    check(one.db, one.id)
    one.db.close()
    const two = await analyze({ jobs: 2, inlineBelowBytes: 0, ipTableSlots: 512 }, 'spill2')
    expect(rangesStarted(two.logs)).toBe(true)
    check(two.db, two.id)
    two.db.close()
    // Two regions (two locks) filling up while two threads count into them.
    const regions = await analyze({ jobs: 2, inlineBelowBytes: 0, ipTableSlots: 8192 }, 'spill3')
    check(regions.db, regions.id)
    regions.db.close()
  })

  it('key ranges bigger than the table drain to SQLite midway and stay exact', async () => {
    // 9,000 clients in two ranges, ~380 fit in the table: each range spills many times.
    const r = await analyze(
      { jobs: 2, inlineBelowBytes: 0, ipTableSlots: 512, keyRanges: 2 },
      'ranges2',
    )
    expect(r.logs.some((l) => /: 2 key ranges on disk/.test(l))).toBe(true)
    // Progress says which range is being counted once everything is read.
    expect(r.ranges.length).toBeGreaterThan(0)
    expect(r.ranges.every((x) => x.total === 2 && x.done >= 0 && x.done < 2)).toBe(true)
    // The ranges wrote their clients: nothing says "saving 0 clients" after them.
    expect(r.progress.some((p) => p.saving)).toBe(false)
    // And the live figures show the whole log meanwhile: every line, the clients estimated.
    const ref = reference(files.map((f) => f.text))
    expect(r.lastPartial?.pv).toBe(ref.pv)
    expect(Math.abs(r.lastPartial!.uv - ref.uv) / ref.uv).toBeLessThan(0.03)
    // Its time range is the lines' own, as the stored result's.
    const sum = getAnalysisDetail(r.db, r.id)!.summary
    expect(sum.firstTime).not.toBeNull()
    expect([r.lastPartial!.firstTime, r.lastPartial!.lastTime]).toEqual([
      sum.firstTime,
      sum.lastTime,
    ])
    check(r.db, r.id)
    r.db.close()
  })

  it('clients counted before the table filled keep every counter through the ranges', async () => {
    // Each client's lines together: the first few hundred are complete in the table when it
    // fills, so they reach SQLite only as whole rows written to the ranges' records. After the
    // fill, lines of 2^32 bytes or more (a record with a high word), IPv6 and new clients.
    const lines: string[] = []
    const stamp = (s: number): string => {
      const d = new Date(Date.UTC(2024, 2, 1) + s * 1000)
      const p2 = (n: number): string => String(n).padStart(2, '0')
      return `${p2(d.getUTCDate())}/Mar/2024:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
    }
    let t = 0
    for (let c = 0; c < 900; c++) {
      const ip =
        c % 5 === 0
          ? `2001:db8:${c.toString(16)}::${(c * 7).toString(16)}`
          : `10.${c >> 8}.${c & 255}.9`
      for (let k = 0; k < 3; k++) {
        const status = [200, 304, 404, 503, 101][(c + k) % 5]
        const bytes = c > 600 && k === 1 ? 5_000_000_000 + c : 100 * c + k
        lines.push(`${ip} - - [${stamp(t++)}] "GET /p${k} HTTP/1.1" ${status} ${bytes} "-" "ua"`)
      }
    }
    const text = lines.join('\n') + '\n'
    const path = join(dir, 'grouped.log')
    writeFileSync(path, text)
    const input = [{ path, name: 'grouped.log', size: Buffer.byteLength(text), text }]
    const r = await analyze({ jobs: 1, ipTableSlots: 512 }, 'grouped', input)
    expect(rangesStarted(r.logs)).toBe(true)
    check(r.db, r.id, [text])
    r.db.close()
  })

  it("the top-N index's threshold counts each client's whole requests, however written", async () => {
    // More clients than the top-N index holds (TOP_INDEX_ROWS).
    const input = generated('many-clients.log', {
      lines: 60_000,
      clients: 14_000,
      ipv6Share: 0.1,
      seed: 12,
    })
    const text = input[0]!.text
    for (const [name, opts] of [
      // Rows straight from the shared table; through key ranges on disk; upserted by spills.
      ['many-table', { jobs: 1 }],
      ['many-ranges', { jobs: 1, ipTableSlots: 512 }],
      ['many-upserts', { jobs: 1, ipTableSlots: 512, partitionSpill: false }],
    ] as const) {
      const r = await analyze(opts, name, input)
      check(r.db, r.id, [text])
      r.db.close()
    }
  })

  it('key ranges are written by the range writer thread while the next is counted', async () => {
    // 14,000 clients, ~1,500 in the table at once: ranges of ~700, each handed over whole and
    // fresh (none bigger than the table).
    const input = generated('range-writer.log', RANGE_WRITER_LOG)
    const text = input[0]!.text
    const write = vi.spyOn(RangeWriter.prototype, 'write')
    const close = vi.spyOn(RangeWriter.prototype, 'close')
    let handed: Awaited<ReturnType<typeof analyze>>
    try {
      handed = await analyze(
        { jobs: 2, inlineBelowBytes: 0, ipTableSlots: 2048 },
        'rw-thread',
        input,
      )
      expect(write.mock.calls.length).toBeGreaterThan(10)
      expect(write.mock.calls.every(([, fresh]) => fresh)).toBe(true)
      // Every client went through the thread: none was written here.
      expect(write.mock.calls.reduce((n, [rows]) => n + rows.count, 0)).toBe(reference([text]).uv)
      expect(close).toHaveBeenCalledTimes(1)
    } finally {
      write.mockRestore()
      close.mockRestore()
    }
    check(handed.db, handed.id, [text])
    // The same ranges written on this thread, one after the other: the same rows.
    const here = await analyze(
      { jobs: 2, inlineBelowBytes: 0, ipTableSlots: 2048, rangeWriter: false },
      'rw-here',
      input,
    )
    check(here.db, here.id, [text])
    expect(allIpRows(handed.db, handed.id)).toEqual(allIpRows(here.db, here.id))
    handed.db.close()
    here.db.close()
  })

  it('a range writer that cannot write ends the analysis with a clear error', async () => {
    const input = generated('range-writer-locked.log', RANGE_WRITER_LOG)
    const { dbPath, db, id } = prepare('rw-locked')
    // Another connection, on a thread of its own (as another program would be), takes the write
    // lock as the first range is handed over and holds it past the writer's busy timeout (5 s).
    const held = new Int32Array(new SharedArrayBuffer(4))
    const holder = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads')
      const Database = require(workerData.sqlite)
      parentPort.once('message', () => {
        const db = new Database(workerData.dbPath)
        db.exec('BEGIN IMMEDIATE')
        const held = new Int32Array(workerData.held)
        Atomics.store(held, 0, 1)
        Atomics.notify(held, 0)
        setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released') }, 6000)
      })`,
      {
        eval: true,
        workerData: {
          sqlite: createRequire(import.meta.url).resolve('better-sqlite3'),
          dbPath,
          held: held.buffer,
        },
      },
    )
    const released = new Promise((resolve) => holder.once('message', resolve))
    const write = RangeWriter.prototype.write
    const spy = vi.spyOn(RangeWriter.prototype, 'write').mockImplementation(function (
      this: RangeWriter,
      rows,
      fresh,
    ) {
      if (Atomics.load(held, 0) === 0) {
        holder.postMessage('lock')
        Atomics.wait(held, 0, 0, 5000)
      }
      return write.call(this, rows, fresh)
    })
    try {
      const { done } = await run(
        dbPath,
        id,
        { jobs: 2, inlineBelowBytes: 0, ipTableSlots: 2048 },
        input,
      )
      expect(done.status).toBe('incomplete')
      expect(done.error?.code).toBe('DB_LOCKED')
      expect(done.error?.message).toMatch(/locked by another program/)
      // The first range's write failed; the job stopped there, with no range handed after it.
      expect(spy).toHaveBeenCalledTimes(1)
      await released
    } finally {
      spy.mockRestore()
      await holder.terminate()
    }
    expect(getAnalysisDetail(db, id)!.summary.status).toBe('incomplete')
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(existsSync(spillDirOf(dbPath, id, process.pid))).toBe(false)
    db.close()
  }, 30_000)

  it('without a spill directory the full table upserts to SQLite each time, exact', async () => {
    const one = await analyze({ jobs: 1, ipTableSlots: 512, partitionSpill: false }, 'upsert1')
    expect(rangesStarted(one.logs)).toBe(false)
    check(one.db, one.id)
    one.db.close()
    const two = await analyze(
      { jobs: 2, inlineBelowBytes: 0, ipTableSlots: 512, partitionSpill: false },
      'upsert2',
    )
    check(two.db, two.id)
    two.db.close()
  })

  it('spilling to SQLite, keeps the write-ahead log near its limit, exact', async () => {
    // Each upsert rewrites pages all over the table; with no checkpoint until the end the log
    // held every spill's pages (4.9 GB for 1M hostnames beside a 67 MB database).
    const peakLog = async (walLimitBytes: number, name: string): Promise<number> => {
      const { dbPath, db, id } = prepare(name)
      let peak = 0
      const watch = (): void => {
        try {
          peak = Math.max(peak, statSync(dbPath + '-wal').size)
        } catch {
          // no log yet
        }
      }
      const opts = { ipTableSlots: 512, partitionSpill: false, walLimitBytes, sampleIntervalMs: 5 }
      const { done } = await run(dbPath, id, opts, files, undefined, watch)
      expect(done.status).toBe('complete')
      check(db, id)
      db.close()
      return peak
    }
    const unlimited = await peakLog(Number.MAX_SAFE_INTEGER, 'wal-unlimited')
    const limited = await peakLog(256 << 10, 'wal-limited')
    console.log(`write-ahead log at most ${limited} bytes (limit 256 KiB), ${unlimited} without`)
    expect(limited).toBeLessThan(unlimited / 3)
  })
})

describe('key ranges on disk: bad conditions', () => {
  it('a full disk ends the analysis with a clear error and a consistent database', async () => {
    const { dbPath, db, id } = prepare('full')
    // Every range's records file is /dev/full: each write fails with ENOSPC.
    const spill = spillDirOf(dbPath, id, process.pid)
    mkdirSync(spill)
    for (let t = 0; t < 2; t++)
      for (let p = 0; p < MAX_PARTS; p++) symlinkSync('/dev/full', partFile(spill, t, p))
    const { done } = await run(dbPath, id, { jobs: 2, inlineBelowBytes: 0, ipTableSlots: 512 })
    expect(done.status).toBe('incomplete')
    expect(done.error?.code).toBe('DISK_FULL')
    expect(done.error?.message).toMatch(/disk is full/i)
    const d = getAnalysisDetail(db, id)!
    expect(d.summary.status).toBe('incomplete')
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(existsSync(spill)).toBe(false)
    db.close()
  })

  it('without the disk space key ranges would need, the table spills to SQLite instead', async () => {
    const { dbPath, db, id } = prepare('nospace')
    const { done, logs } = await run(dbPath, id, {
      jobs: 2,
      inlineBelowBytes: 0,
      ipTableSlots: 512,
      diskFreeBytes: 32 << 20,
    })
    expect(done.status).toBe('complete')
    expect(rangesStarted(logs)).toBe(false)
    expect(logs.filter((l) => /would need ~\d+ MB of disk .* 32 MB is free/.test(l))).toHaveLength(
      1,
    )
    check(db, id)
    db.close()
  })

  it('where no spill directory can be made, the table spills to SQLite instead', async () => {
    const { dbPath, db, id } = prepare('nodir')
    // A file where the directory would go.
    writeFileSync(spillDirOf(dbPath, id, process.pid), 'in the way')
    const { done, logs } = await run(dbPath, id, { jobs: 1, ipTableSlots: 512 })
    expect(done.status).toBe('complete')
    expect(rangesStarted(logs)).toBe(false)
    check(db, id)
    db.close()
  })
})

describe('cancel', () => {
  it('stops within a second and marks the analysis cancelled', async () => {
    const big = join(dir, 'big.log')
    const fig = generateLogFile(big, { bytes: 120e6, clients: 50_000, seed: 9 })
    // Three names for it (hard links): enough work that the first progress comes long before
    // the end (120 MB alone can be read and counted before then).
    const copies = [big, join(dir, 'big-2.log'), join(dir, 'big-3.log')]
    for (const c of copies.slice(1)) linkSync(big, c)
    const dbPath = join(dir, 'cancel.db')
    const db = openDatabase(dbPath)
    const id = createAnalysis(db, { name: 'c', files: [], formatRequest: 'auto' })
    const control = { cancelled: false } as { cancelled: boolean; onCancel?: () => void }
    let cancelledAt = 0
    const job = runJob(
      {
        analysisId: id,
        dbPath,
        inputs: copies.map((path, k) => ({ path, name: `big-${k}.log`, size: fig.bytesWritten })),
        format: 'auto',
        jobs: 2,
        // A sample every 20 ms: the cancel comes early in the 360 MB whatever the machine's pace.
        sampleIntervalMs: 20,
      },
      (m) => {
        if (m.type === 'progress' && m.progress.lines > 10_000 && !cancelledAt) {
          cancelledAt = Date.now()
          control.cancelled = true
          control.onCancel?.()
        }
      },
      control,
      WORKER_ENTRY,
    )
    const done = await job
    expect(done.status).toBe('cancelled')
    expect(Date.now() - cancelledAt).toBeLessThan(1000)
    const d = getAnalysisDetail(db, id)!
    expect(d.summary.status).toBe('cancelled')
    expect(d.summary.pv).toBeGreaterThan(0)
    expect(d.summary.pv).toBeLessThan(3 * fig.pv)
    db.close()
  })

  it('also once the table has filled and lines go to key ranges on disk', async () => {
    const big = join(dir, 'big.log')
    const dbPath = join(dir, 'cancel-ranges.db')
    const db = openDatabase(dbPath)
    const id = createAnalysis(db, { name: 'c', files: [], formatRequest: 'auto' })
    const control = { cancelled: false } as { cancelled: boolean; onCancel?: () => void }
    let cancelledAt = 0
    const done = await runJob(
      {
        analysisId: id,
        dbPath,
        inputs: [{ path: big, name: 'big.log', size: statSync(big).size }],
        format: 'auto',
        jobs: 2,
        ipTableSlots: 4096,
      },
      (m) => {
        if (m.type === 'log' && /key ranges on disk/.test(m.message) && !cancelledAt) {
          cancelledAt = Date.now()
          control.cancelled = true
          control.onCancel?.()
        }
      },
      control,
      WORKER_ENTRY,
    )
    expect(cancelledAt).toBeGreaterThan(0)
    expect(done.status).toBe('cancelled')
    expect(Date.now() - cancelledAt).toBeLessThan(1000)
    expect(getAnalysisDetail(db, id)!.summary.status).toBe('cancelled')
    expect(existsSync(spillDirOf(dbPath, id, process.pid))).toBe(false)
    db.close()
  })
})
