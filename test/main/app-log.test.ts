import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatLogLine, openAppLog } from '../../src/main/app-log'

const t = new Date('2024-05-01T12:00:00.000Z')

describe('formatLogLine', () => {
  it('writes one readable line per entry', () => {
    expect(formatLogLine(t, 'warn', 'aggregator', 'hello')).toBe(
      '2024-05-01T12:00:00.000Z WARN  [aggregator] hello\n',
    )
  })
  it('indents continuation lines and makes control characters visible', () => {
    expect(formatLogLine(t, 'info', 'main', 'a\nb\x1b[31m\r')).toBe(
      '2024-05-01T12:00:00.000Z INFO  [main] a\n    b\\x1b[31m\\x0d\n',
    )
  })
})

describe('openAppLog', () => {
  it('appends to userData/logs/loglens.log', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'loglens-log-')), 'logs')
    const log = openAppLog(dir, { now: () => t })
    log.write('info', 'main', 'one')
    log.write('error', 'aggregator', 'two')
    await log.close()
    log.write('info', 'main', 'after close is ignored')
    expect(log.path).toBe(join(dir, 'loglens.log'))
    expect(readFileSync(log.path, 'utf8')).toBe(
      '2024-05-01T12:00:00.000Z INFO  [main] one\n2024-05-01T12:00:00.000Z ERROR [aggregator] two\n',
    )
  })

  it('rotates by size, keeping a bounded number of files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loglens-log-'))
    writeFileSync(join(dir, 'loglens.log'), 'x'.repeat(200))
    const log = openAppLog(dir, { maxBytes: 100, keep: 2, now: () => t })
    // The big old file was rotated at open.
    expect(readFileSync(join(dir, 'loglens.1.log'), 'utf8')).toBe('x'.repeat(200))
    for (let i = 0; i < 10; i++) log.write('info', 'main', `line ${i} ${'y'.repeat(40)}`)
    await log.close()
    await new Promise((r) => setTimeout(r, 20))
    expect(existsSync(join(dir, 'loglens.3.log'))).toBe(false)
    const all = ['loglens.2.log', 'loglens.1.log', 'loglens.log']
      .filter((f) => existsSync(join(dir, f)))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('')
    // The newest lines survive, in order.
    expect(all).toContain('line 9')
    const idx = [7, 8, 9].map((i) => all.indexOf(`line ${i} `))
    expect(idx).toEqual([...idx].sort((a, b) => a - b))
  })
})
