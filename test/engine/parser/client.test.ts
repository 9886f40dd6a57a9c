// Client addresses: parsing, canonical text (RFC 5952), IPv4-mapped, hostnames, lists.

import { describe, expect, it } from 'vitest'
import {
  CLIENT_HOST,
  CLIENT_IPV4,
  CLIENT_IPV6,
  LineRecord,
  VALID,
  clientKeyString,
  hostKeyHash,
  ipv4ToString,
  ipv6WordsToString,
} from '../../../src/engine/parser'
import { ClientScratch, classifyClient, parseIPv4 } from '../../../src/engine/parser/client'
import { mustCompile } from './helpers'

function key(token: string): string | null {
  const buf = Buffer.from(token)
  const sc = new ClientScratch()
  if (!classifyClient(buf, 0, buf.length, sc)) return null
  if (sc.kind === CLIENT_IPV4) return ipv4ToString(sc.ipv4)
  if (sc.kind === CLIENT_IPV6) return ipv6WordsToString(sc.ipv6)
  return 'host:' + token
}

/** The client key of `token` when it is the client of a combined line. */
function lineKey(token: string): string | null {
  const buf = Buffer.from(
    `${token} - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`,
  )
  const rec = new LineRecord()
  const r = mustCompile('combined').parse(buf, 0, buf.length, rec)
  return r === VALID ? clientKeyString(buf, rec) : null
}

describe('client addresses', () => {
  it('parses dotted quads strictly', () => {
    const v = (s: string): number => parseIPv4(Buffer.from(s), 0, s.length)
    expect(v('0.0.0.0')).toBe(0)
    expect(v('255.255.255.255')).toBe(0xffffffff)
    expect(v('192.0.2.1')).toBe(0xc0000201)
    for (const bad of [
      '256.1.1.1',
      '1.2.3',
      '1.2.3.4.5',
      '1..2.3',
      '1.2.3.',
      '.1.2.3',
      '1.2.3.1000',
      'a.b.c.d',
      '',
    ]) {
      expect(v(bad)).toBe(-1)
    }
    expect(ipv4ToString(0xc0000201)).toBe('192.0.2.1')
    expect(ipv4ToString(0xffffffff)).toBe('255.255.255.255')
    expect(ipv4ToString(0)).toBe('0.0.0.0')
  })

  it('writes IPv6 in RFC 5952 form', () => {
    const cases: [string, string][] = [
      ['2001:DB8::1', '2001:db8::1'],
      ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8::0:1', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // one zero group stays
      ['::', '::'],
      ['::1', '::1'],
      ['1::', '1::'],
      ['FE80::1%eth0', 'fe80::1'],
      ['[2001:db8::1]', '2001:db8::1'],
      ['2a03:0000:10ff:f00f:0000:0000:0:8000', '2a03:0:10ff:f00f::8000'],
      ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
      ['::1.2.3.4', '::102:304'],
      ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ]
    for (const [input, want] of cases) expect(key(input), input).toBe(want)
  })

  it('treats IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(key('::ffff:192.0.2.33')).toBe('192.0.2.33')
    expect(key('::FFFF:c000:0221')).toBe('192.0.2.33')
    expect(key('0:0:0:0:0:ffff:192.0.2.33')).toBe('192.0.2.33')
    const w = new Uint32Array([0, 0, 0xffff, 0xc0000221])
    expect(ipv6WordsToString(w)).toBe('::ffff:192.0.2.33')
  })

  it('rejects what is no address and no hostname', () => {
    for (const bad of [
      '1::2::3',
      '12345::',
      ':1',
      '1:',
      'g::1',
      '1:2:3:4:5:6:7:8:9',
      '::ffff:1.2.3.256',
      '1.2.3.999',
      '-',
      '_',
      '<script>',
      'a b',
      'caf\u00e9.example',
      'x'.repeat(256),
    ]) {
      expect(key(bad), bad).toBeNull()
    }
  })

  it('keeps hostnames as their own key, lowercased, a trailing root dot dropped', () => {
    expect(key('Host-1.Example_Corp.COM')).toBe('host:Host-1.Example_Corp.COM')
    expect(lineKey('Host-1.Example.COM')).toBe('host-1.example.com')
    expect(lineKey('host-1.example.com.')).toBe('host-1.example.com')
    const h = (s: string): number => hostKeyHash(Buffer.from(s), 0, s.length)
    expect(h('Host-1.Example.COM')).toBe(h('host-1.example.com'))
    expect(h('host-1.example.com')).not.toBe(h('host-2.example.com'))
    const buf = Buffer.from(
      'CRAWLER.example.org - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 1',
    )
    const rec = new LineRecord()
    expect(mustCompile('common').parse(buf, 0, buf.length, rec)).toBe(VALID)
    expect(rec.clientKind).toBe(CLIENT_HOST)
  })

  it('makes one visitor of every spelling of an address', () => {
    const spellings = ['2001:DB8::1', '2001:db8:0:0:0:0:0:1', '2001:db8::1', '2001:0DB8::0001']
    expect(new Set(spellings.map(lineKey))).toEqual(new Set(['2001:db8::1']))
    expect(lineKey('::ffff:203.0.113.5')).toBe(lineKey('203.0.113.5'))
  })

  it('takes the first public address of a client list, else its first address', () => {
    expect(lineKey('10.0.0.2, 10.0.0.1, 127.0.0.1')).toBe('10.0.0.2')
    expect(lineKey('10.0.0.2, 198.51.100.7, 203.0.113.1')).toBe('198.51.100.7')
    expect(lineKey('192.168.1.2,172.16.0.1,100.64.0.1,169.254.1.1, 8.8.8.8')).toBe('8.8.8.8')
    expect(lineKey('fd00::1, fe80::2, ::1, 2001:db8::5')).toBe('2001:db8::5')
    expect(lineKey('unknown, 10.0.0.1')).toBe('10.0.0.1')
    expect(lineKey('"10.5.102.222, 199.96.1.1" 10.2.1.185')).toBe('199.96.1.1')
    expect(lineKey('10.0.0.1, 10.0.0.2 10.0.0.3')).toBe('10.0.0.1')
    expect(lineKey('10.0.0.1,')).toBeNull()
    expect(lineKey('"10.0.0.1, 10.0.0.2')).toBeNull()
  })

  it('reads an address with a port as the address (X-Forwarded-For behind Azure)', () => {
    const cases: [string, string][] = [
      ['203.0.113.5:51234', '203.0.113.5'],
      ['203.0.113.5:0', '203.0.113.5'],
      ['203.0.113.5:65535', '203.0.113.5'],
      ['[2001:DB8::1]:443', '2001:db8::1'],
      ['[::ffff:192.0.2.33]:80', '192.0.2.33'],
      // Bare IPv6 ending in a group of digits is IPv6: there is no port to tell apart.
      ['2001:db8::1:8080', '2001:db8::1:8080'],
    ]
    for (const [token, want] of cases) {
      expect(key(token), token).toBe(want)
      expect(lineKey(token), token).toBe(want)
    }
    expect(lineKey('10.0.0.2:1234, 198.51.100.7:443')).toBe('198.51.100.7')
    for (const bad of [
      '203.0.113.5:65536',
      '203.0.113.5:123456',
      '203.0.113.5:',
      '203.0.113.5:8a',
      '203.0.113.5:80:80',
      '1.2.3:80',
      ':80',
      'host.example:80',
      '[2001:db8::1]:',
      '[2001:db8::1]:99999',
      '[2001:db8::1]x',
      '[]:80',
      '[203.0.113.5]:80',
    ]) {
      expect(key(bad), bad).toBeNull()
    }
  })
})
