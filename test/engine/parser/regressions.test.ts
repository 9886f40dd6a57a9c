// Lines the fuzz tests found where the preset fast path and the general machine disagreed.
import { describe, expect, it } from 'vitest'
import { compileFormat, LineRecord, PRESETS, VALID } from '../../../src/engine/parser'
import { CompiledParser } from '../../../src/engine/parser/machine'
import { parseSpec } from '../../../src/engine/parser/spec'

function parse(format: string, line: string): { r: number; rec: LineRecord } {
  const c = compileFormat(format)
  if (!c.ok) throw new Error(c.error)
  const rec = new LineRecord()
  const b = Buffer.from(line)
  return { r: c.parser.parse(b, 0, b.length, rec), rec }
}

describe('parser regressions', () => {
  it('an address with a trailing dot (192.0.2.) is not a client: no three-octet address', () => {
    for (const format of ['combined', 'vhost_combined', 'combined_extra']) {
      const prefix = format === 'vhost_combined' ? 'example.com:443 ' : ''
      const { r } = parse(
        format,
        `${prefix}192.0.2. - - [26/Nov/2020:21:16:29 +0000] "GET / HTTP/1.1" 200 5 "-" "-"`,
      )
      expect(r, format).not.toBe(VALID)
    }
    const ok = parse(
      'combined',
      '192.0.2.7 - - [26/Nov/2020:21:16:29 +0000] "GET / HTTP/1.1" 200 5 "-" "-"',
    )
    expect(ok.r).toBe(VALID)
    expect(ok.rec.ipv4).toBe(((192 << 24) >>> 0) + (2 << 8) + 7)
  })

  it('an empty ident or user field (two spaces): the fast path defers to the general machine', () => {
    const line = '1.2.3.4  - [29/Jun/2017:03:50:22 +0300] "GET /api HTTP/1.1" 200 927 "-" "Lynx"'
    const spec = parseSpec(PRESETS.combined.apache!)
    if (!spec.ok) throw new Error(spec.error)
    const general = new CompiledParser('combined', 'combined', spec.elems)
    const b = Buffer.from(line)
    const rec = new LineRecord()
    expect(parse('combined', line).r).toBe(general.parse(b, 0, b.length, rec))
  })
})
