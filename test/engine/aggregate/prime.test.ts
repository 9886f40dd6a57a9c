// The priming sample exercises the rare paths of the parse loop (IPv6 and hostname clients,
// clients seen again, invalid lines) in the input's own format, so V8 has type feedback for them
// before it compiles the loop. (That priming never touches an analysis's figures is checked by
// the two-thread exactness test, where every parse thread primes.)
import { describe, expect, it } from 'vitest'
import { primingSample, prime } from '../../../src/engine/aggregate/prime'
import {
  CLIENT_HOST,
  CLIENT_IPV4,
  CLIENT_IPV6,
  LineRecord,
  VALID,
  compileFormat,
  type LineParser,
} from '../../../src/engine/parser'

const enc = new TextEncoder()
const head = [
  '203.0.113.9 - - [20/Nov/2026:10:00:00 +0800] "GET /a HTTP/1.1" 200 512 "https://example.com/" "Mozilla/5.0"',
  '2001:db8::7 - - [20/Nov/2026:10:00:01 +0800] "POST /api HTTP/1.1" 404 0 "-" "curl/8.0"',
  'not a log line at all',
].map((l) => enc.encode(l))

function parserOf(format: string): LineParser {
  const c = compileFormat(format)
  if (!c.ok) throw new Error(c.error)
  return c.parser
}

function linesOf(sample: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = []
  let start = 0
  for (let i = 0; i < sample.length; i++)
    if (sample[i] === 10) {
      out.push(sample.subarray(start, i))
      start = i + 1
    }
  expect(start).toBe(sample.length)
  return out
}

describe('priming sample', () => {
  it('has IPv4, IPv6 and hostname clients, each seen twice, and invalid lines', () => {
    const parser = parserOf('combined')
    const lines = linesOf(primingSample(parser, head))
    const rec = new LineRecord()
    const kinds = new Map<number, number>()
    const clients = new Map<string, number>()
    let invalid = 0
    for (const l of lines) {
      if (parser.parse(l, 0, l.length, rec) !== VALID) {
        invalid++
        continue
      }
      kinds.set(rec.clientKind, (kinds.get(rec.clientKind) ?? 0) + 1)
      const c = new TextDecoder().decode(l.subarray(rec.clientStart, rec.clientEnd))
      clients.set(c, (clients.get(c) ?? 0) + 1)
      // The rest of the line is the template's: the fields after the client still parse.
      expect(rec.status === 200 || rec.status === 404).toBe(true)
    }
    expect(kinds.get(CLIENT_IPV4)).toBeGreaterThan(0)
    expect(kinds.get(CLIENT_IPV6)).toBeGreaterThan(0)
    expect(kinds.get(CLIENT_HOST)).toBeGreaterThan(0)
    expect(invalid).toBe(4)
    // Clients come back (the "seen before" paths), IPv4 and IPv6 ones in both rounds' blocks.
    expect([...clients.values()].some((n) => n > 1)).toBe(true)
  })

  it('is empty when no head line fits the format, and priming it is a no-op', () => {
    const parser = parserOf('common')
    const sample = primingSample(parser, [enc.encode('not a log line at all')])
    expect(sample.length).toBe(0)
    expect(() => prime(parser, sample)).not.toThrow()
  })

  it('runs through a throwaway accumulator without error', () => {
    const parser = parserOf('combined')
    expect(() => prime(parser, primingSample(parser, head))).not.toThrow()
  })
})
