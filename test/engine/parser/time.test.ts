// Timestamps: $time_local by fixed offsets with the minute cache, ISO 8601, civil dates.

import { describe, expect, it } from 'vitest'
import { LineRecord, VALID } from '../../../src/engine/parser'
import {
  TimeLocalCache,
  TimeResult,
  daysFromCivil,
  parseIso,
} from '../../../src/engine/parser/time'
import { mustCompile } from './helpers'

function local(t: string): { code: number; sec: number; tz: number } {
  const buf = Buffer.from(`192.0.2.1 - - [${t}] "GET / HTTP/1.1" 200 1`)
  const rec = new LineRecord()
  const code = mustCompile('common').parse(buf, 0, buf.length, rec)
  return { code, sec: rec.timeSec, tz: rec.tzOffsetMin }
}

describe('time', () => {
  it('counts civil days like Date.UTC', () => {
    for (let ms = Date.UTC(1900, 0, 1); ms < Date.UTC(2200, 0, 1); ms += 86_400_000 * 13) {
      const d = new Date(ms)
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(
        ms / 86_400_000,
      )
    }
    expect(daysFromCivil(2000, 2, 29)).toBe(Date.UTC(2000, 1, 29) / 86_400_000)
  })

  it('reads $time_local with its offset into UTC seconds', () => {
    expect(local('10/Oct/2000:13:55:36 -0700')).toEqual({
      code: VALID,
      sec: Date.UTC(2000, 9, 10, 20, 55, 36) / 1000,
      tz: -420,
    })
    expect(local('10/Oct/2023:21:55:37 +0800')).toEqual({
      code: VALID,
      sec: Date.UTC(2023, 9, 10, 13, 55, 37) / 1000,
      tz: 480,
    })
    expect(local('01/Jul/1995:00:00:01 -0400').sec).toBe(Date.UTC(1995, 6, 1, 4, 0, 1) / 1000)
    expect(local('31/Dec/2023:23:59:59 -0530')).toEqual({
      code: VALID,
      sec: Date.UTC(2024, 0, 1, 5, 29, 59) / 1000,
      tz: -330,
    })
    expect(local('29/Feb/2024:12:00:00 +0000').code).toBe(VALID)
  })

  it('rejects impossible times as bad_time (code 3)', () => {
    for (const t of [
      '29/Feb/2023:12:00:00 +0000',
      '31/Apr/2023:12:00:00 +0000',
      '00/Jan/2023:12:00:00 +0000',
      '10/Foo/2023:12:00:00 +0000',
      '10/Oct/2023:24:00:00 +0000',
      '10/Oct/2023:12:60:00 +0000',
      '10/Oct/2023:12:00:61 +0000',
      '10/Oct/2023:12:00:00 0000 ',
      '10/Oct/2023:12:00:00 +2400',
      '10-Oct-2023:12:00:00 +0000',
      '1O/Oct/2023:12:00:00 +0000',
    ]) {
      expect(local(t).code, t).toBe(3)
    }
  })

  it('never returns a cached minute for different bytes', () => {
    const tc = new TimeLocalCache()
    const read = (t: string): [number, number] | null => {
      const b = Buffer.from(t)
      return tc.read(b, 0) ? [tc.sec, tc.tz] : null
    }
    const at = (y: number, mo: number, d: number, h: number, mi: number, s: number, tz: number) =>
      Date.UTC(y, mo, d, h, mi, s) / 1000 - tz * 60
    expect(read('10/Oct/2023:13:55:36 +0000')).toEqual([at(2023, 9, 10, 13, 55, 36, 0), 0])
    expect(read('10/Oct/2023:13:55:59 +0000')).toEqual([at(2023, 9, 10, 13, 55, 59, 0), 0])
    expect(read('10/Oct/2023:13:55:59 +0100')).toEqual([at(2023, 9, 10, 13, 55, 59, 60), 60])
    expect(read('10/Oct/2023:13:56:00 +0100')).toEqual([at(2023, 9, 10, 13, 56, 0, 60), 60])
    expect(read('10/Oct/2024:13:56:00 +0100')).toEqual([at(2024, 9, 10, 13, 56, 0, 60), 60])
    expect(read('11/Oct/2024:13:56:00 +0100')).toEqual([at(2024, 9, 11, 13, 56, 0, 60), 60])
    expect(read('11/Nov/2024:13:56:00 +0100')).toEqual([at(2024, 10, 11, 13, 56, 0, 60), 60])
    expect(read('11/Nov/2024:13:56:7x +0100')).toBeNull()
    expect(read('11/Nov/2024:13:56:07 +0100')).toEqual([at(2024, 10, 11, 13, 56, 7, 60), 60])
  })

  it('reads ISO 8601 times ($time_iso8601)', () => {
    const iso = (s: string): [number, number, number] => {
      const r = new TimeResult()
      const end = parseIso(Buffer.from(s), 0, s.length, r)
      return [end, r.sec, r.tz]
    }
    const t = Date.UTC(2023, 9, 10, 13, 55, 36) / 1000
    expect(iso('2023-10-10T13:55:36+00:00')).toEqual([25, t, 0])
    expect(iso('2023-10-10T21:55:36+08:00')).toEqual([25, t, 480])
    expect(iso('2023-10-10T08:55:36-0500')).toEqual([24, t, -300])
    expect(iso('2023-10-10T13:55:36Z')).toEqual([20, t, 0])
    expect(iso('2023-10-10T13:55:36.123Z')).toEqual([24, t, 0])
    expect(iso('2023-10-10T13:55:36')).toEqual([19, t, 0])
    expect(iso('2023-10-10T13:55')[0]).toBe(-2)
    expect(iso('2023-13-10T13:55:36Z')[0]).toBe(-1)
    expect(iso('2023-02-30T13:55:36Z')[0]).toBe(-1)
    expect(iso('2023/10/10T13:55:36Z')[0]).toBe(-1)
  })
})
