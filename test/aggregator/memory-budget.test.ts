// The aggregator's memory budget where it is tightest: more distinct clients than its table holds
// (it fills and goes on in key ranges on disk) while both parse threads are running; gzip files
// inflated on both threads at once; hundreds of thousands of hostname clients (Apache
// HostnameLookups), which each thread counts in a table of its own; lines of megabytes; and a
// folder of hundreds of files. The process reports its own peak RSS (the kernel's
// high-water mark); the figures must still be exact.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { openDatabase } from '../../src/engine/store/db'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateLogFile } from '../../src/engine/generate/generator'
import { requireBuild } from '../support/build'
import { runCli } from '../engine/report/fixtures'

/** The product budget: 100 MB (MiB, as the app and the bench report memory). */
const BUDGET_BYTES = 100 * 1048576

const dir = mkdtempSync(join(tmpdir(), 'loglens-budget-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const log = join(dir, 'many-clients.log')
let expected = { pv: 0, uv: 0 }
const gz = [join(dir, 'a.log.gz'), join(dir, 'b.log.gz')]
let expectedGz = { pv: 0, uv: 0 }
const hostsLog = join(dir, 'hosts.log')
const HOSTS = 200_000
const mixGz = { clients: join(dir, 'many-clients.log.gz'), hosts: join(dir, 'hosts.log.gz') }
const longLog = join(dir, 'long-lines.log')
const folder = join(dir, 'rotated')
const FILES = 800

beforeAll(() => {
  requireBuild()
  // 700k clients in 140 MB: the table (~515k) fills early, with both threads at work.
  const fig = generateLogFile(log, { bytes: 140e6, clients: 700_000, ipv6Share: 0.2, seed: 3 })
  expected = { pv: fig.pv, uv: fig.uv }
  // Two copies of one gzip log, 120 MB each inflated: one per thread.
  const plain = join(dir, 'gz-source.log')
  const g = generateLogFile(plain, { bytes: 120e6, clients: 50_000, ipv6Share: 0.05, seed: 4 })
  writeFileSync(gz[0]!, gzipSync(readFileSync(plain), { level: 1 }))
  copyFileSync(gz[0]!, gz[1]!)
  rmSync(plain)
  expectedGz = { pv: 2 * g.pv, uv: g.uv }
  // Every one of 200,000 hostnames twice (some in capitals: one client), in a scattered order.
  const lines: string[] = []
  for (let i = 0; i < 2 * HOSTS; i++) {
    const n = (i * 7919) % HOSTS
    const host = `host-${n}.dyn.example-isp.net`
    const sec = String(i % 60).padStart(2, '0')
    lines.push(
      `${i % 5 === 0 ? host.toUpperCase() : host} - - [10/Oct/2024:13:55:${sec} +0000] "GET /p${i % 100} HTTP/1.1" 200 ${i % 5000} "-" "Mozilla/5.0"`,
    )
  }
  writeFileSync(hostsLog, lines.join('\n') + '\n')
  // The table-filling log and the hostnames, each as a gzip file (read by one thread, whole).
  writeFileSync(mixGz.clients, gzipSync(readFileSync(log), { level: 1 }))
  writeFileSync(mixGz.hosts, gzipSync(readFileSync(hostsLog), { level: 1 }))
  // 16 lines of ~8 MB between ordinary ones: both threads meet one at a time.
  const ordinary = Array.from(
    { length: 200 },
    (_, i) =>
      `10.0.0.${i % 250} - - [10/Oct/2024:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /p HTTP/1.1" 200 ${i} "-" "Mozilla/5.0"\n`,
  ).join('')
  const huge = `10.9.9.9 - - [10/Oct/2024:13:55:00 +0000] "GET /p HTTP/1.1" 200 1 "-" "${'x'.repeat(8e6)}"\n`
  writeFileSync(longLog, (ordinary + huge).repeat(16) + ordinary)
  // 800 files of ~80 KB each, 200 lines apiece.
  mkdirSync(folder)
  const body = Buffer.from(ordinary.replace(/"GET \/p /g, `"GET /${'q'.repeat(280)} `))
  for (let i = 0; i < FILES; i++) writeFileSync(join(folder, `access.log.${i}`), body)
}, 120_000)

/** What these tests read of `loglens analyze --json`. */
interface Summary {
  analysisId: number
  pv: number
  uv: number
  invalid: number
  bytesRead: number
  peakRssBytes: number
}

/** `loglens analyze FILES --db dir/DB --jobs 2 --json`, which must succeed; logs its peak RSS. */
function analyze(files: string[], db: string, label: string): Summary {
  const r = runCli(['analyze', ...files, '--db', join(dir, db), '--jobs', '2', '--json'])
  expect(r.code, r.stderr).toBe(0)
  const s = JSON.parse(r.stdout) as Summary
  console.log(`${label}: peak RSS ${(s.peakRssBytes / 1048576).toFixed(1)} MiB`)
  return s
}

describe('aggregator memory budget', () => {
  it('stays within 100 MB peak RSS when the client table fills, with exact figures', () => {
    const s = analyze([log], 'a.db', '700k clients, 140 MB, 2 threads')
    expect(s.pv).toBe(expected.pv)
    expect(s.uv).toBe(expected.uv)
    expect(s.peakRssBytes).toBeLessThanOrEqual(BUDGET_BYTES)
  }, 120_000)

  it('stays within 100 MB peak RSS inflating two gzip files at once', () => {
    // zlib's stream made a new 256 KB buffer per chunk, freed only by a full collection: this
    // case reached ~140 MB before the inflating moved into reused buffers.
    const s = analyze(gz, 'gz.db', 'two .gz files, 2 × 120 MB inflated, 2 threads')
    expect(s.pv).toBe(expectedGz.pv)
    expect(s.uv).toBe(expectedGz.uv)
    expect(s.peakRssBytes).toBeLessThanOrEqual(BUDGET_BYTES)
  }, 120_000)

  it('stays within 100 MB peak RSS with 200,000 hostname clients, each counted exactly', () => {
    const s = analyze([hostsLog], 'hosts.db', '200k hostnames, 2 threads')
    expect(s.pv).toBe(2 * HOSTS)
    expect(s.uv).toBe(HOSTS)
    // The worker retired at the first spill: what it had read still counts.
    expect(s.bytesRead).toBe(statSync(hostsLog).size)
    expect(s.peakRssBytes).toBeLessThanOrEqual(BUDGET_BYTES)
    // Spilled from both threads' tables many times, each client still adds up to its two lines.
    const d = openDatabase(join(dir, 'hosts.db'))
    const t = `ip_counts_${s.analysisId}`
    const spread = d.prepare(`SELECT min(pv) AS lo, max(pv) AS hi FROM ${t}`).get() as {
      lo: number
      hi: number
    }
    d.close()
    expect(spread).toEqual({ lo: 2, hi: 2 })
  }, 120_000)

  it('stays within 100 MB peak RSS with a gzip file of hostnames beside one that fills the table, either first', () => {
    // A gzip task cannot be handed over midway: the thread on the hostnames read its file to the
    // end while the other filled the client table, with SQLite open for the hostnames' spills
    // (105-109 MB before the coordinator's thread waited for the worker to finish).
    const orders = [
      [mixGz.clients, mixGz.hosts],
      [mixGz.hosts, mixGz.clients],
    ]
    for (const [i, files] of orders.entries()) {
      const first = i === 0 ? 'clients' : 'hostnames'
      const s = analyze(
        files,
        `mix-${i}.db`,
        `gzip: 700k clients and 200k hostnames, ${first} first`,
      )
      expect(s.pv).toBe(expected.pv + 2 * HOSTS)
      expect(s.uv).toBe(expected.uv + HOSTS)
      // Both files, whole (compressed bytes), though one thread retired midway.
      expect(s.bytesRead).toBe(statSync(files[0]!).size + statSync(files[1]!).size)
      expect(s.peakRssBytes).toBeLessThanOrEqual(BUDGET_BYTES)
    }
  }, 180_000)

  it('stays within 100 MB peak RSS on lines of megabytes, counted as truncated', () => {
    const s = analyze([longLog], 'long.db', '16 lines of 8 MB, 2 threads')
    expect(s.pv).toBe(17 * 200)
    expect(s.invalid).toBe(16)
    expect(s.peakRssBytes).toBeLessThanOrEqual(BUDGET_BYTES)
  }, 120_000)

  it('stays within 100 MB peak RSS on a folder of 800 files', () => {
    // The first 64 KB of every file are read to check it is a log; they were all kept for the
    // whole job (800 files: 50 MB).
    const s = analyze([folder], 'folder.db', `${FILES} files, 2 threads`)
    expect(s.pv).toBe(FILES * 200)
    expect(s.invalid).toBe(0)
    expect(s.peakRssBytes).toBeLessThanOrEqual(BUDGET_BYTES)
  }, 120_000)
})
