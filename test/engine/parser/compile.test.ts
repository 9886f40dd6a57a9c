// compileFormat: presets, nginx log_format strings (bare, pieces, the directive), Apache
// LogFormat strings, and the error sentences for formats that cannot work.

import { describe, expect, it } from 'vitest'
import { LineRecord, PRESETS, PRESET_IDS, VALID, compileFormat } from '../../../src/engine/parser'
import { lines, mustCompile } from './helpers'

const COMBINED_LINE =
  '203.0.113.5 - - [10/Oct/2023:13:55:36 +0000] "GET /a?b=1 HTTP/1.1" 200 2326 "-" "curl/8.0"'

function errorOf(spec: string): string {
  const r = compileFormat(spec)
  if (r.ok) throw new Error(`compiled: ${spec}`)
  return r.error
}

function parseOne(spec: string, line: string): { code: number; rec: LineRecord; buf: Buffer } {
  const buf = Buffer.from(line)
  const rec = new LineRecord()
  return { code: mustCompile(spec).parse(buf, 0, buf.length, rec), rec, buf }
}

describe('compileFormat', () => {
  it('knows every preset by id, case and spaces aside', () => {
    for (const id of PRESET_IDS) {
      const p = mustCompile(id)
      expect(p.id).toBe(id)
      expect(p.label).toBe(id)
      expect(mustCompile(`  ${id.toUpperCase()} `).id).toBe(id)
    }
    expect(PRESET_IDS).toEqual(['combined', 'common', 'vhost_combined', 'combined_extra'])
  })

  it("maps each preset's nginx and Apache text to the preset", () => {
    for (const id of PRESET_IDS) {
      const p = PRESETS[id]
      if (id !== 'combined_extra') expect(mustCompile(p.nginx).id).toBe(id)
      if (p.apache) expect(mustCompile(p.apache).id).toBe(id)
    }
    expect(
      mustCompile(`LogFormat "${PRESETS.combined.apache!.replace(/"/g, '\\"')}" combined`).id,
    ).toBe('combined')
    expect(mustCompile(`log_format combined '${PRESETS.combined.nginx}';`).id).toBe('combined')
  })

  it('reads the log_format directive: pieces, escape=, comments, double quotes', () => {
    const spec = `log_format main escape=json '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" ' # a comment
                    "\\"$http_user_agent\\" \\"$http_x_forwarded_for\\"";`
    const p = mustCompile(spec)
    expect(p.id).toBe('custom')
    const { code, rec, buf } = parseOne(spec, COMBINED_LINE + ' "198.51.100.1"')
    expect(code).toBe(VALID)
    expect(buf.toString('latin1', rec.agentStart, rec.agentEnd)).toBe('curl/8.0')
    // bare pieces without the directive
    const pieces = `'$remote_addr - $remote_user [$time_local] ' '"$request" $status $body_bytes_sent'`
    expect(mustCompile(pieces).id).toBe('common')
  })

  it('takes a bare format that starts with a quoted field', () => {
    const spec = '"$http_x_forwarded_for" $remote_addr [$time_local] "$request" $status'
    const p = mustCompile(spec)
    expect(p.label).toBe(spec)
    const { code, rec, buf } = parseOne(
      spec,
      '"203.0.113.9, 10.0.0.1" 10.0.0.5 [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200',
    )
    expect(code).toBe(VALID)
    // $remote_addr is the client; the XFF field is kept as text
    expect(buf.toString('latin1', rec.clientStart, rec.clientEnd)).toBe('10.0.0.5')
  })

  it('uses $http_x_forwarded_for as the client when there is no $remote_addr', () => {
    const spec = '$http_x_forwarded_for [$time_local] $status'
    const { code, rec, buf } = parseOne(
      spec,
      '10.0.0.1, 203.0.113.7 [10/Oct/2023:13:55:36 +0000] 200',
    )
    expect(code).toBe(VALID)
    expect(buf.toString('latin1', rec.clientStart, rec.clientEnd)).toBe('203.0.113.7')
  })

  it('supports ${var}, $request_method + $uri$is_args$args, $msec and unknown variables', () => {
    const spec = '${remote_addr} $msec "$request_method $uri$is_args$args" $status $upstream_addr'
    const { code, rec, buf } = parseOne(
      spec,
      '192.0.2.1 1696946136.250 "GET /p?q=1" 204 10.0.0.1:80, 10.0.0.2:80',
    )
    expect(code).toBe(VALID)
    expect(rec.timeSec).toBe(1696946136)
    expect(buf.toString('latin1', rec.methodStart, rec.methodEnd)).toBe('GET')
    expect(buf.toString('latin1', rec.pathStart, rec.pathEnd)).toBe('/p')
    expect(rec.status).toBe(204)
  })

  it('reads Apache directives: modifiers, %{…}i, %{…}t, %U%q, %O, %%', () => {
    const spec = '%a %{c}a %!200,304{Referer}i [%{%d/%b/%Y:%H:%M:%S %z}t] %m %U%q %H %<s %O 100%%'
    const { code, rec, buf } = parseOne(
      spec,
      '192.0.2.1 10.0.0.1 - [10/Oct/2023:13:55:36 -0700] POST /f?x=1 HTTP/1.1 201 77 100%',
    )
    expect(code).toBe(VALID)
    expect(buf.toString('latin1', rec.clientStart, rec.clientEnd)).toBe('192.0.2.1')
    expect(rec.timeSec).toBe(Date.UTC(2023, 9, 10, 20, 55, 36) / 1000)
    expect(rec.tzOffsetMin).toBe(-420)
    expect(buf.toString('latin1', rec.pathStart, rec.pathEnd)).toBe('/f')
    expect(rec.bytes).toBe(77)
    expect(parseOne('%h %{sec}t %>s', '192.0.2.1 1696946136 200').rec.timeSec).toBe(1696946136)
    expect(parseOne('%h %{msec}t %>s', '192.0.2.1 1696946136999 200').rec.timeSec).toBe(1696946136)
  })

  it('prefers $body_bytes_sent over $bytes_sent when both are logged', () => {
    const { rec } = parseOne(
      '$remote_addr [$time_local] $bytes_sent $body_bytes_sent',
      '192.0.2.1 [10/Oct/2023:13:55:36 +0000] 500 300',
    )
    expect(rec.bytes).toBe(300)
  })

  it('explains what is wrong with a format', () => {
    expect(errorOf('')).toBe('The format is empty.')
    expect(errorOf('   ')).toBe('The format is empty.')
    expect(errorOf('hello world')).toMatch(/has no fields/)
    expect(errorOf('$remote_addr $status')).toMatch(/no time.*\$time_local/)
    expect(errorOf('[$time_local] $status')).toMatch(/no client address.*\$remote_addr/)
    expect(errorOf('%t %>s')).toMatch(/no client address.*%h/)
    expect(errorOf('$remote_addr$remote_user [$time_local]')).toMatch(
      /\$remote_addr and \$remote_user touch/,
    )
    expect(errorOf('%h %Z %t')).toMatch(/"%Z" at position 4 is not an Apache LogFormat directive/)
    expect(errorOf("log_format x '$remote_addr [$time_local]")).toMatch(/not closed/)
    expect(errorOf('log_format x')).toMatch(/needs a name and a format string/)
    expect(errorOf('$remote_addr [$time_local] ${status')).toMatch(/no closing "}"/)
    expect(errorOf('$remote_addr [$time_local] $ x')).toMatch(/not followed by a variable name/)
    expect(errorOf('%h %{%s}t')).toMatch(/time format %\{%s\}t is not supported/)
    expect(errorOf('%h %t %{Referer')).toMatch(/no closing "}"/)
    expect(errorOf('%h %t %')).toMatch(/unfinished/)
    expect(errorOf('%h %t %i')).toMatch(/needs a header name/)
    expect(errorOf('LogFormat combined')).toMatch(/double quotes/)
  })

  it('parses lines the same whatever way the combined format was given', () => {
    const specs = [
      'combined',
      PRESETS.combined.nginx,
      PRESETS.combined.apache!,
      `LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined`,
    ]
    const buf = lines(COMBINED_LINE)
    for (const s of specs) {
      const rec = new LineRecord()
      expect(mustCompile(s).parse(buf, 0, buf.length - 1, rec)).toBe(VALID)
      expect(rec.status).toBe(200)
    }
  })
})
