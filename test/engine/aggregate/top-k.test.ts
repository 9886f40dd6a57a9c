import { describe, expect, it } from 'vitest'
import { hashBytes } from '../../../src/engine/aggregate/hash'
import { SpaceSaving, mergeTopK } from '../../../src/engine/aggregate/top-k'

const enc = new TextEncoder()
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)

function offer(ss: SpaceSaving, key: string, times = 1): void {
  const b = enc.encode(key)
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  for (let i = 0; i < times; i++)
    ss.offer(hashBytes(view, b, 0, b.length), b.length, b, 0, b.length)
}

/** A skewed stream: key k appears about N/(k+1)^1.2 times, interleaved. */
function zipfStream(distinct: number, seed: number): string[] {
  const out: string[] = []
  let s = seed
  for (let k = 0; k < distinct; k++) {
    const n = Math.max(1, Math.floor(5000 / Math.pow(k + 1, 1.2)))
    for (let i = 0; i < n; i++) out.push(`/page/${k}`)
  }
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

describe('Space-Saving top-k', () => {
  it('is exact while the keys fit', () => {
    const ss = new SpaceSaving(10)
    offer(ss, '/a', 5)
    offer(ss, '/b', 3)
    offer(ss, '/c', 1)
    const { entries, total } = mergeTopK([ss.toData(dec)], 10)
    expect(total).toBe(9)
    expect(entries).toEqual([
      { key: '/a', count: 5, error: 0 },
      { key: '/b', count: 3, error: 0 },
      { key: '/c', count: 1, error: 0 },
    ])
  })

  it('keeps its guarantee on a long-tailed stream: count - error ≤ true ≤ count, error ≤ N/k', () => {
    const stream = zipfStream(5000, 7)
    const truth = new Map<string, number>()
    for (const k of stream) truth.set(k, (truth.get(k) ?? 0) + 1)
    const cap = 200
    const ss = new SpaceSaving(cap)
    for (const k of stream) offer(ss, k)
    const { entries } = mergeTopK([ss.toData(dec)], 20)
    const n = stream.length
    for (const e of entries) {
      const t = truth.get(e.key)!
      expect(e.count).toBeGreaterThanOrEqual(t)
      expect(e.count - e.error).toBeLessThanOrEqual(t)
      expect(e.error).toBeLessThanOrEqual(n / cap)
    }
    // The true top 10 (well above N/k) are all reported, in order.
    const trueTop = [...truth.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k]) => k)
    expect(entries.slice(0, 10).map((e) => e.key)).toEqual(trueTop)
  })

  it('merges summaries from several threads as if one had seen everything', () => {
    const stream = zipfStream(3000, 11)
    const parts = [new SpaceSaving(300), new SpaceSaving(300)]
    stream.forEach((k, i) => offer(parts[i % 2]!, k))
    const merged = mergeTopK(
      parts.map((p) => p.toData(dec)),
      10,
    )
    const truth = new Map<string, number>()
    for (const k of stream) truth.set(k, (truth.get(k) ?? 0) + 1)
    expect(merged.total).toBe(stream.length)
    for (const e of merged.entries) {
      expect(e.count).toBeGreaterThanOrEqual(truth.get(e.key)!)
      expect(e.count - e.error).toBeLessThanOrEqual(truth.get(e.key)!)
    }
    expect(merged.entries[0]!.key).toBe('/page/0')
  })

  it('keeps the text of long keys (cut to its label size) and tells keys apart by full hash', () => {
    const ss = new SpaceSaving(4)
    const a = '/x/' + 'a'.repeat(600) + '1'
    const b = '/x/' + 'a'.repeat(600) + '2'
    offer(ss, a, 2)
    offer(ss, b, 1)
    const { entries } = mergeTopK([ss.toData(dec)], 4)
    expect(entries.map((e) => e.count)).toEqual([2, 1])
    expect(entries[0]!.key.startsWith('/x/aaa')).toBe(true)
  })
})
