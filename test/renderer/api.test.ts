// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import type { PreloadApi } from '../../src/shared/contract'
import { createElectronClient, mergeSelections } from '../../src/renderer/src/api/client'
import { collectDropped } from '../../src/renderer/src/api/dropped'
import {
  calendarTicks,
  durationTicks,
  niceTicks,
  timeTicks,
} from '../../src/renderer/src/charts/hooks'

describe('Electron front', () => {
  it('registers dropped files by path and reports files without one', async () => {
    const calls: unknown[] = []
    const preload = {
      pathsForFiles: (files: File[]) =>
        files.map((f) => (f.name === 'virtual.log' ? '' : '/logs/' + f.name)),
      registerDroppedPaths: async (args: unknown) => {
        calls.push(args)
        return {
          ok: true,
          value: {
            files: [{ id: 'a', name: 'access.log', size: 1, compressed: false, source: 'path' }],
            skipped: [],
          },
        }
      },
      on: {},
    } as unknown as PreloadApi
    const client = createElectronClient(preload)
    const sel = await client.addFiles([
      new File(['x'], 'access.log'),
      new File(['y'], 'virtual.log'),
    ])
    expect(calls).toEqual([{ paths: ['/logs/access.log'] }])
    expect(sel.files.map((f) => f.id)).toEqual(['a'])
    expect(sel.skipped[0]).toMatchObject({ name: 'virtual.log', error: { code: 'UNREADABLE' } })
  })
})

describe('dropped folders (browser front)', () => {
  const file = (name: string) => ({
    isFile: true,
    isDirectory: false,
    name,
    file: (ok: (f: File) => void) => ok(new File([name], name)),
  })
  const dir = (name: string, children: unknown[]) => {
    let read = false
    return {
      isFile: false,
      isDirectory: true,
      name,
      createReader: () => ({
        readEntries: (ok: (e: unknown[]) => void) => {
          ok(read ? [] : children)
          read = true
        },
      }),
    }
  }

  it('walks folders, skips hidden files, keeps loose files', async () => {
    const items = [
      {
        kind: 'file',
        webkitGetAsEntry: () =>
          dir('logs', [file('b.log'), file('.DS_Store'), dir('old', [file('a.log.1.gz')])]),
        getAsFile: () => null,
      },
      { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => new File(['z'], 'loose.log') },
      { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
    ]
    const files = await collectDropped({ items, files: [] } as unknown as DataTransfer)
    expect(files.map((f) => f.name)).toEqual(['loose.log', 'b.log', 'a.log.1.gz'])
  })

  it('merges upload answers', () => {
    const m = mergeSelections([
      {
        files: [{ id: '1', name: 'a', size: 1, compressed: false, source: 'upload' }],
        skipped: [],
      },
      { files: [], skipped: [{ name: 'b', error: { code: 'EMPTY_INPUT', message: '' } }] },
    ])
    expect(m.files).toHaveLength(1)
    expect(m.skipped).toHaveLength(1)
  })
})

describe('chart helpers', () => {
  it('picks round ticks', () => {
    expect(niceTicks(83)).toEqual([0, 25, 50, 75, 100])
    expect(niceTicks(0)).toEqual([0, 1])
    // Counts: whole steps only (a log of one request has no 0.25 of a request).
    expect(niceTicks(1, 4, true)).toEqual([0, 1])
    expect(niceTicks(10, 4, true)).toEqual([0, 5, 10])
    expect(niceTicks(1)).toEqual([0, 0.25, 0.5, 0.75, 1])
  })

  it('puts time ticks on round clock times of the chosen zone', () => {
    const H = 3600_000
    const from = Date.UTC(2024, 2, 10, 0, 0) // 08:00 at +08:00
    const plus8 = () => 480
    // Three days of hourly buckets: every 12 hours, at local noon and midnight.
    const ticks = timeTicks(from, from + 72 * H - H, plus8)
    expect(ticks.map((t) => new Date(t + 8 * H).toISOString().slice(5, 16))).toEqual([
      '03-10T12:00',
      '03-11T00:00',
      '03-11T12:00',
      '03-12T00:00',
      '03-12T12:00',
      '03-13T00:00',
    ])
    // Six hours of minutes: every hour, both ends included when round.
    expect(timeTicks(from, from + 6 * H, plus8)).toHaveLength(7)
    // Too short for two round times: the two ends.
    expect(timeTicks(from + 5_000, from + 50_000, plus8)).toEqual([from + 5_000, from + 50_000])
  })

  it('puts the ticks of a span of months on the first of months, in the chosen zone', () => {
    const H = 3600_000
    const plus8 = () => 480
    const day = (t: number, off = 8) => new Date(t + off * H).toISOString().slice(0, 16)
    // A year (10 Oct 2020 to 10 Oct 2021, log time +08:00): every 2 months counted from
    // January (as the reports do), at local midnight.
    const from = Date.UTC(2020, 9, 10, 5, 55)
    const year = calendarTicks(from, Date.UTC(2021, 9, 10, 5, 55), plus8)
    expect(year.months).toBe(true)
    expect(year.ticks.map((t) => day(t))).toEqual([
      '2020-11-01T00:00',
      '2021-01-01T00:00',
      '2021-03-01T00:00',
      '2021-05-01T00:00',
      '2021-07-01T00:00',
      '2021-09-01T00:00',
    ])
    // Ten years: every two years, on 1 January.
    const decade = calendarTicks(from, Date.UTC(2030, 9, 10), plus8)
    expect(decade.ticks.map((t) => day(t).slice(0, 10))).toEqual([
      '2022-01-01',
      '2024-01-01',
      '2026-01-01',
      '2028-01-01',
      '2030-01-01',
    ])
    // A zone with daylight saving (offset +1 h in winter, +2 h in summer): still midnight.
    const cet = (t: number) =>
      new Date(t).getUTCMonth() >= 3 && new Date(t).getUTCMonth() < 9 ? 120 : 60
    const summer = calendarTicks(Date.UTC(2021, 0, 5), Date.UTC(2021, 11, 5), cet)
    expect(summer.ticks.map((t) => day(t, cet(t) / 60))).toContain('2021-05-01T00:00')
    expect(summer.ticks.map((t) => day(t, cet(t) / 60))).toContain('2021-03-01T00:00')
    // Up to twelve weeks: round clock times as before.
    const weeks = calendarTicks(from, from + 80 * 24 * H, plus8)
    expect(weeks.months).toBe(false)
    expect(weeks.ticks).toEqual(timeTicks(from, from + 80 * 24 * H, plus8))
  })

  it('puts duration ticks on round durations', () => {
    expect(durationTicks(1100)).toEqual([0, 500, 1000])
    expect(durationTicks(950)).toEqual([0, 200, 400, 600, 800])
    // A small log's run: tens of milliseconds.
    expect(durationTicks(76)).toEqual([0, 20, 40, 60])
    expect(durationTicks(95_000)).toEqual([0, 30_000, 60_000, 90_000])
    expect(durationTicks(0)).toEqual([0])
  })
})
