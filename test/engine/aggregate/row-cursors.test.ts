// The rows of a drained shared table reuse one key buffer per kind (RowCursor.key is valid until
// next()). Merging them with hostname batches, adding up a client found in several sources, and
// the writer's direct path (one source, counts straight into the statement) must still give
// every client once with its exact counts, in key order.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { mix128, mix32 } from '../../../src/engine/aggregate/hash'
import {
  batchCursor,
  emptyBatch,
  mergeCursors,
  type IpBatch,
  type MergedRow,
} from '../../../src/engine/aggregate/ip-table'
import {
  createSharedTable,
  SharedIpTable,
  sortByAddress,
  sortPairs,
} from '../../../src/engine/aggregate/shared-ip-table'
import { clientTextOfKey, keyOfClientText } from '../../../src/engine/store/client-key'
import { openDatabase } from '../../../src/engine/store/db'
import { createAnalysis } from '../../../src/engine/store/queries'
import { AnalysisWriter } from '../../../src/engine/store/writer'

const dir = mkdtempSync(join(tmpdir(), 'loglens-cursors-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A client's counts: a merged row without its key. */
type Counts = Omit<MergedRow, 'key'>

type Line = { client: string; t: number; status: number; bytes: number }

/** A few hundred lines over IPv4 and IPv6 clients, some clients seen many times. */
function lines(): Line[] {
  const out: Line[] = []
  for (let i = 0; i < 600; i++) {
    const c = (i * 37) % 150
    const text =
      c % 5 === 0 ? `2001:db8::${(c * 7).toString(16)}` : `10.${c % 3}.${(c * 11) % 256}.${c}`
    // Canonical text (RFC 5952 for IPv6), as the store gives it back.
    const client = clientTextOfKey(keyOfClientText(text))
    out.push({
      client,
      t: 1_700_000_000 + ((i * 13) % 900),
      status: [200, 301, 404, 503][i % 4]!,
      bytes: i * 10,
    })
  }
  return out
}

function reference(ls: Line[]): Map<string, Counts> {
  const m = new Map<string, Counts>()
  for (const l of ls) {
    let r = m.get(l.client)
    if (!r) {
      r = { pv: 0, bytes: 0, first: Infinity, last: -Infinity, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0 }
      m.set(l.client, r)
    }
    r.pv++
    r.bytes += l.bytes
    r.first = Math.min(r.first, l.t)
    r.last = Math.max(r.last, l.t)
    const cls = Math.floor(l.status / 100)
    if (cls === 2) r.s2xx++
    else if (cls === 3) r.s3xx++
    else if (cls === 4) r.s4xx++
    else if (cls === 5) r.s5xx++
  }
  return m
}

function v6Words(text: string): Uint32Array {
  const k = keyOfClientText(text)
  return new Uint32Array([0, 1, 2, 3].map((i) => k.readUInt32BE(1 + 4 * i)))
}

/** A table over `buffers` holding the lines' clients (it must not fill up). */
function tableOf(ls: Line[], buffers = createSharedTable(4096, 1)): SharedIpTable {
  const table = new SharedIpTable(buffers, 0, () => {
    throw new Error('the table should not fill up')
  })
  for (const l of ls) {
    if (l.client.includes(':')) {
      const w = v6Words(l.client)
      table.stage6(w, mix128(w[0]!, w[1]!, w[2]!, w[3]!), l.t, l.status, l.bytes)
    } else {
      const ip = keyOfClientText(l.client).readUInt32BE(1)
      table.stage4(ip, mix32(ip), l.t, l.status, l.bytes)
    }
  }
  table.flush()
  return table
}

function batchOf(rows: [string, Counts][]): IpBatch {
  const sorted = [...rows].sort((a, b) =>
    Buffer.compare(keyOfClientText(a[0]), keyOfClientText(b[0])),
  )
  const b = emptyBatch(sorted.length)
  sorted.forEach(([ip, c], i) => {
    b.ips[i] = ip
    b.pv[i] = c.pv
    b.bytes[i] = c.bytes
    b.first[i] = c.first
    b.last[i] = c.last
    b.s2xx[i] = c.s2xx
    b.s3xx[i] = c.s3xx
    b.s4xx[i] = c.s4xx
    b.s5xx[i] = c.s5xx
  })
  b.count = sorted.length
  return b
}

const counts = (r: MergedRow | Counts): Counts => ({
  pv: r.pv,
  bytes: r.bytes,
  first: r.first,
  last: r.last,
  s2xx: r.s2xx,
  s3xx: r.s3xx,
  s4xx: r.s4xx,
  s5xx: r.s5xx,
})

describe('row cursors with reused key buffers', () => {
  const ls = lines()
  const ref = reference(ls)

  it('merging table rows with batches adds up shared clients, each once, in key order', () => {
    const table = tableOf(ls)
    // A hostname batch and a batch that repeats two table clients (as after a spill).
    const hosts: [string, Counts][] = [
      [
        'crawler.example.org',
        { pv: 3, bytes: 30, first: 5, last: 9, s2xx: 3, s3xx: 0, s4xx: 0, s5xx: 0 },
      ],
      ['a.example.net', { pv: 1, bytes: 1, first: 7, last: 7, s2xx: 0, s3xx: 0, s4xx: 1, s5xx: 0 }],
    ]
    // Two clients of the table again (one IPv4, one IPv6), as after a spill.
    const v4 = [...ref.keys()].find((ip) => !ip.includes(':'))!
    const v6 = [...ref.keys()].find((ip) => ip.includes(':'))!
    const again: [string, Counts][] = [
      [
        v4,
        {
          pv: 2,
          bytes: 5,
          first: 1_600_000_000,
          last: 1_800_000_000,
          s2xx: 1,
          s3xx: 0,
          s4xx: 0,
          s5xx: 1,
        },
      ],
      [
        v6,
        {
          pv: 4,
          bytes: 8,
          first: 1_700_000_001,
          last: 1_700_000_002,
          s2xx: 4,
          s3xx: 0,
          s4xx: 0,
          s5xx: 0,
        },
      ],
    ]
    const expected = new Map(ref)
    for (const [ip, c] of [...hosts, ...again]) {
      const r = expected.get(ip)
      expected.set(
        ip,
        r
          ? {
              pv: r.pv + c.pv,
              bytes: r.bytes + c.bytes,
              first: Math.min(r.first, c.first),
              last: Math.max(r.last, c.last),
              s2xx: r.s2xx + c.s2xx,
              s3xx: r.s3xx + c.s3xx,
              s4xx: r.s4xx + c.s4xx,
              s5xx: r.s5xx + c.s5xx,
            }
          : c,
      )
    }
    expect(v4 && v6).toBeTruthy()

    const got: [string, Counts, Buffer][] = []
    const n = mergeCursors(
      [table.rows(), batchCursor(batchOf(hosts)), batchCursor(batchOf(again))],
      (row) => got.push([clientTextOfKey(row.key), counts(row), Buffer.from(row.key)]),
    )
    expect(n).toBe(expected.size)
    expect(new Map(got.map(([ip, c]) => [ip, c]))).toEqual(expected)
    for (let i = 1; i < got.length; i++)
      expect(Buffer.compare(got[i - 1]![2], got[i]![2]), got[i]![0]).toBeLessThan(0)
  })

  it('the writer stores the table alone (direct path) with every count exact', () => {
    const db = openDatabase(join(dir, 'direct.db'))
    try {
      const id = createAnalysis(db, { name: 'direct', files: [], formatRequest: 'auto' })
      const w = new AnalysisWriter(db, id)
      // 150 clients: one full statement of 100 rows and 50 written one by one.
      expect(w.writeFinalIps([tableOf(ls).rows()])).toBe(ref.size)
      const rows = db.prepare(`SELECT * FROM ${w.table} ORDER BY key`).all() as (Counts & {
        key: Buffer
        first_seen: number
        last_seen: number
      })[]
      const stored = new Map(
        rows.map((r) => [
          clientTextOfKey(r.key),
          counts({ ...r, first: r.first_seen, last: r.last_seen }),
        ]),
      )
      expect(stored).toEqual(ref)
    } finally {
      db.close()
    }
  })
})

describe('byte sums past 32 bits', () => {
  // The table keeps a client's bytes as two 32-bit words. Lines below 2^32 bytes add to the low
  // word and carry; a line of 2^32 bytes or more (up to the parser's 15 digits) takes the split
  // path. The sums must stay exact either way (all below 2^53 here).
  const big: Line[] = []
  for (let i = 0; i < 60; i++) {
    const client = i % 3 === 0 ? '2001:db8::77' : `192.0.2.${i % 3}`
    const bytes =
      i % 10 === 9 ? 999_999_999_999_999 - i : i % 4 === 0 ? 4_294_967_295 - i : 3_000_000_000 + i
    big.push({ client, t: 1_700_000_000 + i, status: 200, bytes })
  }

  it('adds bytes with carries and huge single lines exactly, for IPv4 and IPv6 clients', () => {
    const ref = reference(big)
    // Each client's total passes 2^32 many times over.
    for (const r of ref.values()) expect(r.bytes).toBeGreaterThan(2 ** 40)
    const got = new Map<string, Counts>()
    mergeCursors([tableOf(big).rows()], (row) => got.set(clientTextOfKey(row.key), counts(row)))
    expect(got).toEqual(ref)
  })
})

describe('sorting a drained table in place', () => {
  /** Pairs [address, tag] with distinct addresses, in the given order. */
  function pairsOf(addresses: number[]): Uint32Array {
    const w = new Uint32Array(2 * addresses.length)
    addresses.forEach((a, i) => {
      w[2 * i] = a
      w[2 * i + 1] = i + 1
    })
    return w
  }

  function expectSorted(w: Uint32Array, addresses: number[]): void {
    const want = addresses.map((a, i) => [a, i + 1] as const).sort((x, y) => x[0] - y[0])
    const got = Array.from({ length: addresses.length }, (_, i) => [w[2 * i]!, w[2 * i + 1]!])
    expect(got).toEqual(want)
  }

  // Random 32-bit addresses (distinct), and orders that trouble a plain quicksort.
  let seed = 12345
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0)
  const random = [...new Set(Array.from({ length: 5000 }, rand))]
  const ascending = Array.from({ length: 3000 }, (_, i) => 0xfffff000 - 3000 + i)
  const organPipe = [
    ...Array.from({ length: 1500 }, (_, i) => 2 * i),
    ...Array.from({ length: 1500 }, (_, i) => 2 * (1500 - i) + 1),
  ]

  for (const [name, addresses] of [
    ['random', random],
    ['ascending', ascending],
    ['descending', [...ascending].reverse()],
    ['organ pipe', organPipe],
  ] as const) {
    it(`sorts ${name} pairs by address, tags along, by quicksort and by the heapsort fallback`, () => {
      const quick = pairsOf([...addresses])
      sortPairs(quick, 0, addresses.length - 1)
      expectSorted(quick, [...addresses])
      // depth 0: the whole range goes to the fallback at once
      const heap = pairsOf([...addresses])
      sortPairs(heap, 0, addresses.length - 1, 0)
      expectSorted(heap, [...addresses])
    })
  }
})

describe('IPv6 drain sort (counter offsets by the address stored with them)', () => {
  // Counters of 13 words per client, the address in words 9..12 (as the shared table lays them
  // out); offsets sorted by that address, compared word by word as unsigned numbers.
  function table(addresses: number[][]): { cnt: Uint32Array; offsets: Int32Array } {
    const cnt = new Uint32Array(13 * addresses.length)
    addresses.forEach((w, i) => cnt.set(w, 13 * i + 9))
    return { cnt, offsets: Int32Array.from(addresses, (_, i) => 13 * i) }
  }
  const addressAt = (cnt: Uint32Array, c: number): number[] =>
    Array.from(cnt.subarray(c + 9, c + 13))
  const cmp = (x: number[], y: number[]): number => {
    for (let k = 0; k < 4; k++) if (x[k] !== y[k]) return x[k]! - y[k]!
    return 0
  }

  let seed = 99
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0)
  // Same first words (one /64), differing only in the last: the compare walks all four.
  const random = Array.from({ length: 3000 }, () => [0x20010db8, 0, rand() & 0xff, rand()])
  const ascending = Array.from({ length: 2000 }, (_, i) => [0xfe800000, 0, 0, 0xffff0000 + i])
  for (const [name, addresses] of [
    ['random', random],
    ['ascending', ascending],
    ['descending', [...ascending].reverse()],
  ] as const) {
    it(`sorts ${name} addresses, by quicksort and by the heapsort fallback`, () => {
      const want = [...addresses].sort(cmp)
      for (const depth of [undefined, 0]) {
        const { cnt, offsets } = table(addresses)
        sortByAddress(offsets, cnt, 0, offsets.length - 1, depth)
        expect(Array.from(offsets, (c) => addressAt(cnt, c))).toEqual(want)
      }
    })
  }
})

describe('a drained table read in WebAssembly and in JavaScript', () => {
  // The WebAssembly drain sorts the IPv4 pairs by radix passes (a byte a level, insertion sort
  // for small buckets) and reads their counters in gathered batches of 128 rows; the JavaScript
  // drain quicksorts and reads them one by one. Addresses crowd into one /8, one /16 and one /24
  // (buckets that recurse to the last byte) and spread over the whole space; IPv6 clients follow.
  let seed = 4242
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0)
  const ls: Line[] = []
  const clients = [
    ...Array.from({ length: 255 }, (_, i) => `203.0.113.${i}`),
    ...Array.from({ length: 2000 }, () => `10.20.${rand() & 255}.${rand() & 255}`),
    ...Array.from({ length: 2000 }, () => `172.${rand() & 255}.${rand() & 255}.${rand() & 255}`),
    ...Array.from({ length: 3000 }, () => {
      const a = rand()
      return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`
    }),
    ...Array.from({ length: 300 }, () => `2001:db8::${(rand() & 0xffff).toString(16)}`),
  ]
  clients.forEach((client, i) => {
    for (let k = 0; k <= i % 3; k++)
      ls.push({
        client: clientTextOfKey(keyOfClientText(client)),
        t: 1_700_000_000 + ((i * 7 + k) % 5000),
        status: [200, 302, 404, 500, 101][(i + k) % 5]!,
        bytes: (i * 131 + k) % 100_000,
      })
  })

  function rowsOf(wasm: boolean): [string, Counts][] {
    const buffers = createSharedTable(16384, 1)
    expect(buffers.memory, 'this runtime has shared WebAssembly memory').not.toBeNull()
    // Without its WebAssembly memory, the table drains in JavaScript.
    const table = tableOf(ls, wasm ? buffers : { ...buffers, memory: null })
    const out: [string, Counts][] = []
    const keys: Buffer[] = []
    mergeCursors([table.rows()], (row) => {
      keys.push(Buffer.from(row.key))
      out.push([clientTextOfKey(row.key), counts(row)])
    })
    for (let i = 1; i < keys.length; i++)
      expect(Buffer.compare(keys[i - 1]!, keys[i]!), out[i]![0]).toBeLessThan(0)
    return out
  }

  it('gives every client once, in key order, with the same counts as the reference', () => {
    const ref = reference(ls)
    const wasm = rowsOf(true)
    expect(wasm.length).toBe(ref.size)
    expect(new Map(wasm)).toEqual(ref)
    expect(rowsOf(false)).toEqual(wasm)
  })
})

describe('the live top clients, in WebAssembly and in JavaScript', () => {
  // Requests per client from 1 to 40 with many ties, IPv4 and IPv6 clients, one client with more
  // than 2^16 requests (a sum across the status-class words).
  const ls: Line[] = []
  const clients = [
    ...Array.from({ length: 900 }, (_, i) => `198.51.${i >> 8}.${i & 255}`),
    ...Array.from({ length: 120 }, (_, i) => `2001:db8:${i.toString(16)}::1`),
  ]
  clients.forEach((client, i) => {
    const n = i === 777 ? 70_000 : 1 + ((i * 7) % 40)
    for (let k = 0; k < n; k++)
      ls.push({
        client: clientTextOfKey(keyOfClientText(client)),
        t: 1_700_000_000 + k,
        status: [200, 302, 404, 500, 101][(i + k) % 5]!,
        bytes: 1,
      })
  })
  const ref = reference(ls)

  for (const n of [1, 10, 64]) {
    it(`top(${n}): the n clients with the most requests, most first, the same both ways`, () => {
      const buffers = createSharedTable(4096, 1)
      expect(buffers.memory, 'this runtime has shared WebAssembly memory').not.toBeNull()
      const table = tableOf(ls, buffers)
      const wasm = table.top(n)
      expect(wasm).toHaveLength(n)
      // Each client's requests are its own, in order, and nobody left out has more.
      for (const r of wasm) expect(r.pv, r.ip).toBe(ref.get(r.ip)!.pv)
      expect(wasm.map((r) => r.pv)).toEqual([...wasm.map((r) => r.pv)].sort((a, b) => b - a))
      const chosen = new Set(wasm.map((r) => r.ip))
      const least = wasm[n - 1]!.pv
      for (const [ip, c] of ref) if (!chosen.has(ip)) expect(c.pv, ip).toBeLessThanOrEqual(least)
      expect(wasm[0]).toEqual({ ip: clients[777], pv: 70_000 })
      // The same clients in the same order (ties: the earlier slot first) as the JavaScript scan.
      expect(table.topJs(n)).toEqual(wasm)
      // And from a table without WebAssembly.
      expect(tableOf(ls, { ...createSharedTable(4096, 1), memory: null }).top(n)).toEqual(wasm)
    })
  }
})
