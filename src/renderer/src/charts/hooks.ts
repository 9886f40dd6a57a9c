// Memoised shaping for the chart components: they receive ready-to-draw rows.
import { useMemo } from 'react'
import { monthStarts } from '../../../shared/ticks'
import type { MemorySample, Series, StatusCount } from '../../../shared/types'
import { shapeMemory, shapeStatuses, shapeTopIps, shapeTraffic } from './shape'

export const useTrafficShape = (series: Series | null) =>
  useMemo(() => shapeTraffic(series), [series])
export const useMemoryShape = (memory: MemorySample[]) =>
  useMemo(() => shapeMemory(memory), [memory])
export const useTopIpsShape = (rows: { ip: string; pv: number }[]) =>
  useMemo(() => shapeTopIps(rows), [rows])
export const useStatusShape = (rows: StatusCount[]) => useMemo(() => shapeStatuses(rows), [rows])

/**
 * 0 and a few round values up to at least `max` (1, 2, 2.5, 5 × 10ⁿ steps). `whole`: the axis
 * counts things (requests, visitors), so every step is a whole number.
 */
export function niceTicks(max: number, count = 4, whole = false): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / count
  const mag = Math.pow(10, Math.floor(Math.log10(raw)))
  const steps = [1, 2, 2.5, 5, 10].map((m) => m * mag)
  const step =
    (whole ? steps.filter((s) => Number.isInteger(s)) : steps).find((s) => s >= raw) ?? 10 * mag
  const out: number[] = []
  for (let v = 0; v < max + step; v += step) {
    out.push(Number(v.toPrecision(12)))
    if (v >= max) break
  }
  return out
}

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const CLOCK_STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
]
const DURATION_STEPS = [
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  ...CLOCK_STEPS,
]

function stepFor(span: number, count: number, steps: number[]): number {
  return steps.find((s) => span / s <= count) ?? Math.ceil(span / count / DAY) * DAY
}

/**
 * Round clock times (whole hours, midnights, …) between `from` and `to`, at most `count` + 1 of
 * them, aligned in the zone `offsetAt` gives (its UTC offset in minutes). The two ends when the
 * span is too short for two round times.
 */
export function timeTicks(
  from: number,
  to: number,
  offsetAt: (t: number) => number,
  count = 6,
): number[] {
  if (!(to > from)) return [from]
  const step = stepFor(to - from, count, CLOCK_STEPS)
  const off = offsetAt(from) * MINUTE
  const out: number[] = []
  for (let t = Math.ceil((from + off) / step) * step - off; t <= to; t += step) out.push(t)
  return out.length >= 2 ? out : [from, to]
}

/**
 * Ticks of a time axis: round clock times (timeTicks) up to two weeks apart; past that (a span of
 * more than ~3 months at six ticks) the first of every 1, 2, 3, 6, 12… months, as months are
 * what such a span is read in (steps of 61 days fell on any day). `months` says which, for the
 * labels.
 */
export function calendarTicks(
  from: number,
  to: number,
  offsetAt: (t: number) => number,
  count = 6,
): { ticks: number[]; months: boolean } {
  if (!(to - from > count * CLOCK_STEPS[CLOCK_STEPS.length - 1]!))
    return { ticks: timeTicks(from, to, offsetAt, count), months: false }
  const ticks = monthStarts(from, to, (t) => offsetAt(t) * MINUTE, count + 1)
  return { ticks: ticks.length >= 2 ? ticks : [from, to], months: ticks.length >= 2 }
}

/** 0 and round durations up to `end` (10 ms … 1, 2, 5, 15, 30 s … minutes, hours). */
export function durationTicks(end: number, count = 5): number[] {
  if (!(end > 0)) return [0]
  const step = stepFor(end, count, DURATION_STEPS)
  const out: number[] = []
  for (let t = 0; t <= end; t += step) out.push(t)
  return out
}
