// The number, size and duration formats the dashboard and the reports share.
import { describe, expect, it } from 'vitest'
import { createNumberFormats, offsetLabel } from '../../src/shared/format'

describe('shared formats', () => {
  const en = createNumberFormats('en')
  const zh = createNumberFormats('zh-CN')

  it('sizes in binary units with fewer decimals as they grow', () => {
    expect(en.bytes(0)).toBe('0 B')
    expect(en.bytes(1023)).toBe('1,023 B')
    expect(en.bytes(1536)).toBe('1.50 KB')
    expect(en.bytes(100 * 1048576)).toBe('100 MB')
    expect(en.bytes(-5)).toBe('0 B')
  })

  it('durations in words per language, days past 48 hours', () => {
    expect(en.duration(4_250)).toBe('4.3 s')
    expect(en.duration(65_000)).toBe('1 min 05 s')
    expect(zh.duration(65_000)).toBe('1 分 05 秒')
    expect(en.duration(3 * 3600_000 + 4 * 60_000)).toBe('3 h 4 min')
    expect(zh.duration(3 * 86400_000)).toBe('3 天')
  })

  it('axis clocks and shares', () => {
    expect(en.clock(59.6)).toBe('1:00')
    expect(en.clock(3725)).toBe('1:02:05')
    expect(en.share(0.0004)).toBe('< 0.1%')
    expect(en.share(0)).toBe('0%')
    expect(en.share(0.256)).toBe('25.6%')
    // One decimal always, so shares in a column or legend line up.
    expect(en.share(0.07)).toBe('7.0%')
    expect(en.share(1)).toBe('100.0%')
  })

  it('speeds: one decimal under 100 MB/s, a small one "< 0.1", not "0.0"', () => {
    const speeds = {
      0: '0.0',
      0.03: '< 0.1',
      0.06: '0.1',
      48.25: '48.3',
      770.4: '770',
      1234.5: '1,235',
    }
    expect(Object.keys(speeds).map((v) => en.speed(Number(v)))).toEqual(Object.values(speeds))
    expect(zh.speed(0.001)).toBe('< 0.1')
  })

  it('offset labels', () => {
    expect(offsetLabel(480)).toBe('UTC+08:00')
    expect(offsetLabel(-330)).toBe('UTC−05:30')
  })
})
