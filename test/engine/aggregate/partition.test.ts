// Key ranges and their records (engine/aggregate/partition.ts): bounds route every key to the
// range that holds it, records read back exactly as written whatever the read size, and
// directories of aggregators that are gone are removed.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  MAX_PARTS,
  PartWriter,
  partFile,
  partsFor,
  recordBytesNeeded,
  freeBytes,
  readRecords,
  RECORD_CARRY_BYTES,
  recordWords,
  REC_BIG,
  REC_LINE4,
  REC_LINE6,
  REC_ROW4,
  REC_ROW6,
  removeStaleSpillDirs,
  Route,
  ROUTE_WORDS,
  spillDirOf,
} from '../../../src/engine/aggregate/partition'
import { emptyCounters, type ThreadSnapshot } from '../../../src/engine/aggregate/accumulator'
import { mix32 } from '../../../src/engine/aggregate/hash'
import { mergeSnapshots } from '../../../src/engine/aggregate/merge'
import { createSharedTable, SharedIpTable } from '../../../src/engine/aggregate/shared-ip-table'

const dir = mkdtempSync(join(tmpdir(), 'loglens-parts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('key ranges', () => {
  it('a key goes to the range numbered by the bounds at or below it', () => {
    const route = new Route(new SharedArrayBuffer(4 * ROUTE_WORDS))
    expect(route.parts()).toBe(0)
    // IPv4 bounds 10.0.0.0 and 192.168.0.0; IPv6 bound 2001:db8::/64.
    route.publish([0x0a000000, 0xc0a80000], [0x20010db8, 0])
    route.load()
    expect(route.parts()).toBe(4)
    expect(route.of4(0)).toBe(0)
    expect(route.of4(0x09ffffff)).toBe(0)
    expect(route.of4(0x0a000000)).toBe(1)
    expect(route.of4(0xc0a7ffff)).toBe(1)
    expect(route.of4(0xc0a80000)).toBe(2)
    // As int32 (the hot loop passes addresses signed) the same.
    expect(route.of4(0xffffffff | 0)).toBe(2)
    expect(route.of6(0, 0)).toBe(2)
    expect(route.of6(0x20010db7, 0xffffffff)).toBe(2)
    expect(route.of6(0x20010db8, 0)).toBe(3)
    expect(route.of6(0xfe800000 | 0, 5)).toBe(3)
    route.stop()
    expect(route.parts()).toBe(0)
  })

  it('more ranges the earlier the table fills, within bounds', () => {
    expect(partsFor(1)).toBe(2)
    expect(partsFor(0.5)).toBe(4)
    expect(partsFor(0.095)).toBe(22)
    expect(partsFor(0)).toBe(MAX_PARTS)
    expect(() =>
      new Route(new SharedArrayBuffer(4 * ROUTE_WORDS)).publish(new Array(MAX_PARTS).fill(1), []),
    ).toThrow(/too many/)
  })
})

describe('disk space for records', () => {
  it('20 bytes a line still to read, from the lines per byte so far, plus the table as rows', () => {
    // 1 GB read of 10 GB, 200-byte lines: 9 GB / 200 B = 45M lines to come.
    expect(
      recordBytesNeeded({ bytesDone: 1e9, bytesTotal: 10e9, lines: 5e6, clients: 500_000 }),
    ).toBe(45e6 * 20 + 500_000 * 56)
    // Nothing counted yet: lines taken as 80 bytes.
    expect(recordBytesNeeded({ bytesDone: 0, bytesTotal: 8e6, lines: 0, clients: 0 })).toBe(2e6)
    expect(recordBytesNeeded({ bytesDone: 10, bytesTotal: 10, lines: 1, clients: 0 })).toBe(0)
  })

  it('reads the free space of a real file system', () => {
    const free = freeBytes(dir)
    expect(free).toBeGreaterThan(0)
    expect(Number.isFinite(free)).toBe(true)
    expect(freeBytes(join(dir, 'no', 'such', 'dir'))).toBe(Infinity)
  })
})

describe('records', () => {
  it('read back exactly as written, records split across reads', async () => {
    const w = new PartWriter(dir, 3, 2)
    const cnt = new Uint32Array([
      // counters: first, last, bytesLo, bytesHi, other, 2xx, 3xx, 4xx, 5xx; then an address
      100, 200, 0xfffffff0, 7, 1, 2, 3, 4, 5, 0x20010db8, 1, 2, 3,
    ])
    const v6 = new Uint32Array([0xfe800000, 0, 0, 1])
    const n = 3000 // more than one writer buffer of range 1
    for (let i = 0; i < n; i++) {
      w.line4(1, 0xc0a80001 + i, 1000 + i, 200 + (i % 5), i % 7 === 0 ? 2 ** 40 + i : i)
      if (i % 3 === 0) w.line6(1, v6, 0, 5000 + i, 404, i)
      if (i % 11 === 0) w.row(1, 0x0a000001 + i, cnt, 0, -1)
      if (i % 13 === 0) w.row(1, 0, cnt, 0, 9)
    }
    w.line4(0, 1, 2, 301, 3)
    w.close()
    expect(w.written).toBeGreaterThan(0)

    // A read buffer of 64 words: most records straddle two reads. Read on this thread, and
    // with the next piece read ahead into a spare buffer (of the most it may be).
    const read = async (spare?: Uint8Array): Promise<number[][]> => {
      const seen: number[][] = []
      await readRecords(
        partFile(dir, 3, 1),
        new Uint32Array(64),
        (words, from, to) => {
          let i = from
          while (i < to && i + recordWords(words[i]!) <= to) {
            const len = recordWords(words[i]!)
            seen.push(Array.from(words.subarray(i, i + len)))
            i += len
          }
          return i
        },
        undefined,
        spare,
      )
      return seen
    }
    const seen = await read()
    expect(await read(new Uint8Array(4 * 64 - RECORD_CARRY_BYTES))).toEqual(seen)
    expect(await read(new Uint8Array(7))).toEqual(seen)
    const l4 = seen.filter((r) => (r[0]! & 7) === REC_LINE4)
    expect(l4.length).toBe(n)
    const big = l4[7]!
    expect(big[0]! & REC_BIG).toBe(REC_BIG)
    expect(big[0]! >>> 4).toBe(202)
    expect(big[1]).toBe(0xc0a80001 + 7)
    expect(big[3]! + big[4]! * 2 ** 32).toBe(2 ** 40 + 7)
    expect(l4[8]!.length).toBe(4)
    expect(l4[8]![3]).toBe(8)
    const l6 = seen.filter((r) => (r[0]! & 7) === REC_LINE6)
    expect(l6.length).toBe(1000)
    expect(l6[1]).toEqual([REC_LINE6 | (404 << 4), 0xfe800000, 0, 0, 1, 5003, 3])
    const r4 = seen.filter((r) => (r[0]! & 7) === REC_ROW4)
    expect(r4.length).toBe(Math.ceil(n / 11))
    expect(r4[1]).toEqual([REC_ROW4, 0x0a000001 + 11, ...cnt.subarray(0, 9)])
    const r6 = seen.filter((r) => (r[0]! & 7) === REC_ROW6)
    expect(r6[0]).toEqual([REC_ROW6, 0x20010db8, 1, 2, 3, ...cnt.subarray(0, 9)])
    // Records of another range went to its own file; a range with none has no file.
    const other: number[] = []
    await readRecords(partFile(dir, 3, 0), new Uint32Array(8), (words, from, to) => {
      other.push(...words.subarray(from, to))
      return to
    })
    expect(other).toEqual([REC_LINE4 | (301 << 4), 1, 2, 3])
    let calls = 0
    await readRecords(partFile(dir, 4, 0), new Uint32Array(8), () => ++calls)
    expect(calls).toBe(0)
  })

  it('a spare buffer must leave room for a record cut by a read', async () => {
    const w = new PartWriter(dir, 6, 1)
    w.line4(0, 1, 2, 200, 3)
    w.close()
    await expect(
      readRecords(
        partFile(dir, 6, 0),
        new Uint32Array(64),
        (_w, _from, to) => to,
        undefined,
        new Uint8Array(4 * 64 - RECORD_CARRY_BYTES + 1),
      ),
    ).rejects.toThrow(/room for a cut record/)
  })

  it('a file cut inside a record is an error, not a silent loss', async () => {
    const w = new PartWriter(dir, 5, 1)
    w.line4(0, 1, 2, 200, 3)
    w.close()
    const { truncateSync } = await import('node:fs')
    truncateSync(partFile(dir, 5, 0), 6)
    await expect(
      readRecords(partFile(dir, 5, 0), new Uint32Array(8), (_w, from) => from),
    ).rejects.toThrow(/corrupt spill file/)
    await expect(
      readRecords(
        partFile(dir, 5, 0),
        new Uint32Array(64),
        (_w, from) => from,
        undefined,
        new Uint8Array(16),
      ),
    ).rejects.toThrow(/corrupt spill file/)
  })
})

describe('spill directories', () => {
  it('removes those of processes that are gone, keeps the live ones', () => {
    const db = join(dir, 'loglens.db')
    const gone = spillDirOf(db, 7, 999_999)
    const live = spillDirOf(db, 8, process.pid)
    mkdirSync(gone)
    mkdirSync(live)
    mkdirSync(join(dir, 'spill-notes'))
    expect(removeStaleSpillDirs(db, (pid) => pid === process.pid)).toBe(1)
    expect(existsSync(gone)).toBe(false)
    expect(existsSync(live)).toBe(true)
    expect(existsSync(join(dir, 'spill-notes'))).toBe(true)
  })
})

describe('the live count of clients once the table has filled', () => {
  it('estimates the clients in the table then and those routed since, across threads', () => {
    const spill = join(dir, 'live')
    mkdirSync(spill)
    const buffers = createSharedTable(4096, 2, spill)
    // The coordinator's side: when its table fills (3,072 clients), key ranges start.
    const table: SharedIpTable = new SharedIpTable(buffers, 0, () => {
      table.startRouting(4)
      table.clear()
    })
    const other = new SharedIpTable(buffers, 1)
    // 20,000 clients: the first 3,000 once (they are in the table when it fills, never seen
    // again), the rest twice, split between the threads with some seen by both.
    for (let c = 0; c < 20_000; c++) {
      const ip = 0x0b000000 + c * 7
      const rounds = c < 3000 ? 1 : 2
      for (let k = 0; k < rounds; k++) {
        const t = c < 3000 || (c + k) % 3 !== 0 ? table : other
        t.stage4(ip, mix32(ip), 1_700_000_000 + c, 200, 10)
      }
    }
    table.flush()
    other.flush()
    expect(table.seenClients()).not.toBeNull()
    const snap = (t: SharedIpTable): ThreadSnapshot => ({
      counters: emptyCounters(),
      statuses: new Float64Array(600),
      topIps: [],
      series: { level: 0, points: [] },
      hostClients: 0,
      ipSketch: t.seenClients(),
    })
    const live = mergeSnapshots(1, [snap(table), snap(other)], {
      format: 'combined',
      memory: [],
      topIps: [],
      ipClients: 3072,
    })
    // HyperLogLog with 2^14 registers: 0.8% standard error.
    expect(Math.abs(live.uv - 20_000) / 20_000).toBeLessThan(0.03)
    table.closeRecords()
    other.closeRecords()
  })
})
