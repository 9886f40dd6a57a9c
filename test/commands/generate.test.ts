// `loglens generate` and `--help` after a command, as a user types them: the built CLI in a
// child process. Bad numbers are usage errors that name the option (no file, no wrong figures),
// and a file that cannot be written is said in words.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireBuild, runLoglens } from '../support/build'

const dir = mkdtempSync(join(tmpdir(), 'loglens-generate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(() => requireBuild())

function loglens(args: string[]) {
  return runLoglens(args, join(dir, 'home'), { LANG: 'C.UTF-8' })
}

describe('loglens generate', () => {
  it('writes the log its figures describe, with invalid lines and the span asked for', async () => {
    const out = join(dir, 'g.log')
    const r = await loglens([
      'generate',
      '--out',
      out,
      '--lines',
      '2000',
      '--clients',
      '50',
      '--invalid',
      '0.1',
      '--span',
      '3600',
      '--seed',
      '7',
    ])
    expect(r.code, r.stderr).toBe(0)
    const fig = JSON.parse(r.stdout) as {
      lines: number
      pv: number
      uv: number
      invalid: number
      firstTime: number
      lastTime: number
    }
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(2000)
    expect(fig.pv + fig.invalid).toBe(2000)
    expect(fig.invalid).toBeGreaterThan(100)
    expect(fig.uv).toBe(50)
    const ips = new Set(lines.map((l) => l.split(' ')[0]))
    expect(ips.size).toBeGreaterThanOrEqual(50)
    expect(fig.lastTime - fig.firstTime).toBeLessThanOrEqual(3600_000)
    expect(fig.lastTime).toBeGreaterThan(fig.firstTime)
  })

  it('refuses numbers out of range, naming the option, and writes nothing', async () => {
    const out = join(dir, 'bad.log')
    for (const [opt, value] of [
      ['--clients', 'abc'],
      ['--clients', '0'],
      ['--lines', '1.5'],
      ['--ipv6', '2'],
      ['--invalid', '-0.5'],
      ['--span', ''],
      ['--seed', 'x'],
    ] as const) {
      const r = await loglens(['generate', '--out', out, '--lines', '10', `${opt}=${value}`])
      expect(r.code, `${opt} ${value}`).toBe(2)
      expect(r.stderr).toContain(`${opt} takes`)
      expect(r.stderr).toContain(`"${value}"`)
      expect(r.stdout).toBe('')
      expect(existsSync(out)).toBe(false)
    }
    const zh = await loglens([
      'generate',
      '--out',
      out,
      '--lines',
      '10',
      '--ipv6',
      '2',
      '--lang',
      'zh',
    ])
    expect(zh.stderr).toBe('loglens: --ipv6 取0 到 1 之间的数，而不是“2”。\n')
  })

  it('says in words why the file cannot be written', async () => {
    const missing = join(dir, 'no-such-folder', 'g.log')
    const r = await loglens(['generate', '--out', missing, '--lines', '10'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`loglens: cannot write ${missing}: its folder does not exist.\n`)
    const folder = await loglens(['generate', '--out', dir, '--lines', '10'])
    expect(folder.code).toBe(1)
    expect(folder.stderr).toBe(`loglens: ${dir} is a folder; give --out a file name.\n`)
  })
})

describe('--help after a command', () => {
  it('prints the usage and exits 0, in the language asked for', async () => {
    for (const args of [
      ['analyze', '--help'],
      ['generate', '-h'],
      ['report', '--format', 'csv', '--help'],
      ['serve', '--help'],
    ]) {
      const r = await loglens(args)
      expect(r.code, args.join(' ')).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout).toContain('Usage:\n  loglens analyze')
    }
    const zh = await loglens(['analyze', '--help', '--lang', 'zh'])
    expect(zh.stdout).toContain('用法：')
  })
})
