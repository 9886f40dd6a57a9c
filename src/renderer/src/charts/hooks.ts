// Memoised shaping for the chart components: they receive ready-to-draw rows.
import { useMemo } from 'react'
import type { MemorySample, Series, StatusCount } from '../../../shared/types'
import { shapeMemory, shapeStatuses, shapeTopIps, shapeTraffic } from './shape'

export const useTrafficShape = (series: Series | null) =>
  useMemo(() => shapeTraffic(series), [series])
export const useMemoryShape = (memory: MemorySample[]) =>
  useMemo(() => shapeMemory(memory), [memory])
export const useTopIpsShape = (rows: { ip: string; pv: number }[]) =>
  useMemo(() => shapeTopIps(rows), [rows])
export const useStatusShape = (rows: StatusCount[]) => useMemo(() => shapeStatuses(rows), [rows])

/** About `count` evenly spaced values between the first and last x, for time axes. */
export function evenTicks(xs: number[], count = 6): number[] {
  if (xs.length <= count) return xs
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push(xs[Math.round((i * (xs.length - 1)) / (count - 1))]!)
  return out
}

/** 0 and a few round values up to at least `max` (1, 2, 2.5, 5 × 10ⁿ steps). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / count
  const mag = Math.pow(10, Math.floor(Math.log10(raw)))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  const out: number[] = []
  for (let v = 0; v < max + step; v += step) {
    out.push(Number(v.toPrecision(12)))
    if (v >= max) break
  }
  return out
}
