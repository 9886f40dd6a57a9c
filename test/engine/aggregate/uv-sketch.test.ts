import { describe, expect, it } from 'vitest'
import { mix32 } from '../../../src/engine/aggregate/hash'
import { UvSketch } from '../../../src/engine/aggregate/uv-sketch'

function sketchOf(from: number, to: number): UvSketch {
  const s = new UvSketch()
  for (let i = from; i < to; i++) s.add(mix32(i))
  return s
}

describe('UvSketch', () => {
  it('counts exactly while small, duplicates ignored', () => {
    const s = new UvSketch()
    for (let r = 0; r < 3; r++) for (let i = 0; i < 2000; i++) s.add(mix32(i))
    expect(s.exact).toBe(true)
    expect(s.estimate()).toBe(2000)
  })

  it('stays within 1% once it becomes a HyperLogLog', () => {
    for (const n of [5_000, 20_000, 60_000, 250_000, 1_000_000]) {
      const s = sketchOf(0, n)
      expect(s.exact).toBe(false)
      const err = Math.abs(s.estimate() - n) / n
      expect(err, `n=${n} estimate=${s.estimate()}`).toBeLessThan(0.01)
    }
  })

  it('merges sparse and dense sketches as a union', () => {
    const a = sketchOf(0, 1000)
    const b = sketchOf(500, 1500)
    a.merge(b)
    expect(a.estimate()).toBe(1500)
    const big = sketchOf(0, 100_000)
    const other = sketchOf(50_000, 150_000)
    big.merge(other)
    big.merge(sketchOf(0, 10))
    expect(Math.abs(big.estimate() - 150_000) / 150_000).toBeLessThan(0.01)
  })

  it('round-trips through its plain-data form', () => {
    for (const n of [100, 10_000]) {
      const s = sketchOf(0, n)
      const copy = UvSketch.fromData(structuredClone(s.toData()))
      expect(copy.estimate()).toBe(s.estimate())
    }
  })
})
