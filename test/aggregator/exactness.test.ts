// The engine against an independent reference count: generated logs with IPv4 and IPv6 clients
// (several spellings of one address), several files including .gz, invalid lines and CRLF;
// one thread and two threads; the spill path forced by a tiny table.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runJob } from '../../src/aggregator/job'
import type { JobSpec } from '../../src/aggregator/protocol'
import { generateLogFile } from '../../src/engine/generate/generator'
import { openDatabase, type Db } from '../../src/engine/store/db'
import { createAnalysis, getAnalysisDetail, queryIps } from '../../src/engine/store/queries'
import { WORKER_ENTRY, requireBuild } from '../support/build'

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

async function analyze(opts: Partial<JobSpec>, name: string): Promise<{ db: Db; id: number }> {
  const dbPath = join(dir, `${name}.db`)
  const db = openDatabase(dbPath)
  const id = createAnalysis(db, { name, files: [], formatRequest: 'auto' })
  const done = await runJob(
    {
      analysisId: id,
      dbPath,
      inputs: files.map((f) => ({ path: f.path, name: f.name, size: f.size })),
      format: 'auto',
      jobs: 1,
      ...opts,
    },
    () => undefined,
    { cancelled: false },
    WORKER_ENTRY,
  )
  expect(done.error).toBeNull()
  expect(done.status).toBe('complete')
  return { db, id }
}

function check(db: Db, id: number): void {
  const ref = reference(files.map((f) => f.text))
  const d = getAnalysisDetail(db, id)!
  expect(d.summary.pv).toBe(ref.pv)
  expect(d.summary.invalid).toBe(ref.invalid)
  expect(d.summary.uv).toBe(ref.uv)
  expect(d.series.points.reduce((s, p) => s + p.pv, 0)).toBe(ref.pv)
  expect(Object.fromEntries(d.statuses.map((s) => [s.status, s.count]))).toEqual(
    Object.fromEntries(ref.statuses),
  )
  const { rows, total } = queryIps(db, { id, sort: 'ip', dir: 'asc', offset: 0, limit: 5000 })
  const more = queryIps(db, { id, sort: 'ip', dir: 'asc', offset: 5000, limit: 5000 }).rows
  const all = [
    ...rows,
    ...more,
    ...queryIps(db, { id, sort: 'ip', dir: 'asc', offset: 10000, limit: 5000 }).rows,
  ]
  expect(total).toBe(ref.uv)
  expect(all.length).toBe(ref.uv)
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

  it('the spill path (a table far smaller than the clients) stays exact', async () => {
    const one = await analyze({ jobs: 1, ipTableSlots: 512 }, 'spill1')
    check(one.db, one.id)
    one.db.close()
    const two = await analyze({ jobs: 2, inlineBelowBytes: 0, ipTableSlots: 512 }, 'spill2')
    check(two.db, two.id)
    two.db.close()
    // Two regions (two locks) filling up while two threads count into them.
    const regions = await analyze({ jobs: 2, inlineBelowBytes: 0, ipTableSlots: 8192 }, 'spill3')
    check(regions.db, regions.id)
    regions.db.close()
  })
})

describe('cancel', () => {
  it('stops within a second and marks the analysis cancelled', async () => {
    const big = join(dir, 'big.log')
    const fig = generateLogFile(big, { bytes: 120e6, clients: 50_000, seed: 9 })
    const dbPath = join(dir, 'cancel.db')
    const db = openDatabase(dbPath)
    const id = createAnalysis(db, { name: 'c', files: [], formatRequest: 'auto' })
    const control = { cancelled: false } as { cancelled: boolean; onCancel?: () => void }
    let cancelledAt = 0
    const job = runJob(
      {
        analysisId: id,
        dbPath,
        inputs: [{ path: big, name: 'big.log', size: fig.bytesWritten }],
        format: 'auto',
        jobs: 2,
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
    expect(d.summary.pv).toBeLessThan(fig.pv)
    db.close()
  })
})
