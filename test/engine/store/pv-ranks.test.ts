// The n-th busiest client's requests, counted while rows are written (the top-N index's
// threshold), against sorting every count.
import { describe, expect, it } from 'vitest'
import { PvRanks } from '../../../src/engine/store/pv-ranks'

function nthBySort(pvs: number[], n: number): number {
  return [...pvs].sort((a, b) => b - a)[n - 1] ?? 0
}

describe('PvRanks', () => {
  it('finds the n-th largest count, ties and counts of 4096 and more included', () => {
    let seed = 7
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32
    // Mostly small counts, some around the per-value limit, a few huge.
    const pvs = Array.from({ length: 30_000 }, (_, i) =>
      i % 500 === 0
        ? 4000 + Math.floor(rand() * 200)
        : i % 3000 === 0
          ? 1e6 + Math.floor(rand() * 1e6)
          : 1 + Math.floor(rand() * rand() * 300),
    )
    const r = new PvRanks()
    for (const pv of pvs) r.add(pv)
    for (const n of [
      1, 5, 10, 11, 33, 34, 35, 40, 60, 61, 70, 100, 1000, 10_000, 29_999, 30_000, 30_001,
    ])
      expect(r.nth(n), `n = ${n}`).toBe(nthBySort(pvs, n))
  })

  it('is 0 with fewer counts than asked for, and for none', () => {
    const r = new PvRanks()
    expect(r.nth(1)).toBe(0)
    r.add(5)
    r.add(9000)
    expect(r.nth(1)).toBe(9000)
    expect(r.nth(2)).toBe(5)
    expect(r.nth(3)).toBe(0)
  })
})
