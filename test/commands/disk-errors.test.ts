// A full disk and a read-only database, for real: the database lives on a small tmpfs that the
// analysis fills, then on the same tmpfs remounted read-only. Needs permission to mount (root
// in CI containers); elsewhere the tests are skipped with the reason printed.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateLogFile } from '../../src/engine/generate/generator'
import { requireBuild, runLoglens } from '../support/build'

const dir = mkdtempSync(join(tmpdir(), 'loglens-disk-'))
const small = join(dir, 'small')
mkdirSync(small)

function tryMount(): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', small], { stdio: 'pipe' })
    return null
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e).trim() || 'mount failed'
  }
}
const cannotMount = tryMount()
if (cannotMount)
  console.warn(
    `disk-errors: skipped — a 3 MB tmpfs could not be mounted (${cannotMount}); run as root to test a full disk and a read-only database.`,
  )

afterAll(() => {
  if (!cannotMount) execFileSync('umount', [small])
  rmSync(dir, { recursive: true, force: true })
})
beforeAll(() => requireBuild())

function loglens(args: string[]) {
  return runLoglens(args, join(dir, 'home'))
}

describe.skipIf(cannotMount !== null)('disk errors (real tmpfs)', () => {
  const db = join(small, 'loglens.db')
  const first = join(dir, 'first.log')
  const many = join(dir, 'many.log')
  beforeAll(() => writeFileSync(join(small, 'generated.log'), 'keep me\n'))

  it('a full disk: a clear error, the analysis marked incomplete, earlier results intact', async () => {
    const fig = generateLogFile(first, { lines: 2000, clients: 50, seed: 3 })
    const ok = await loglens(['analyze', first, '--db', db, '--json'])
    expect(ok.code).toBe(0)
    // 150k distinct clients need several MB of rows: more than the 3 MB disk holds.
    generateLogFile(many, { lines: 150_000, clients: 150_000, seed: 4 })
    const r = await loglens(['analyze', many, '--db', db, '--json'])
    expect(r.code).toBe(1)
    const j = JSON.parse(r.stdout)
    expect(j).toMatchObject({ status: 'incomplete', error: { code: 'DISK_FULL' } })
    expect(r.stderr).toContain('The disk is full')

    const check = new Database(db, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    const rows = check.prepare('SELECT id, status, pv FROM analyses ORDER BY id').all()
    check.close()
    expect(rows).toEqual([
      { id: 1, status: 'complete', pv: fig.pv },
      { id: 2, status: 'incomplete', pv: expect.any(Number) },
    ])
  })

  it('a read-only database: a one-line error, the file untouched', async () => {
    execFileSync('mount', ['-o', 'remount,ro', small])
    const before = readFileSync(db)
    const r = await loglens(['analyze', first, '--db', db])
    expect(r.code).toBe(1)
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('loglens:'))
    expect(errors).toEqual([expect.stringContaining('cannot be written')])
    expect(readFileSync(db).equals(before)).toBe(true)
  })

  it('a new database where nothing can be written: one line naming it and what to do', async () => {
    // Still read-only since the test above. SQLite alone says "unable to open database file".
    const fresh = join(small, 'new.db')
    const r = await loglens(['analyze', first, '--db', fresh])
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n').filter((l) => l.startsWith('loglens:'))).toEqual([
      `loglens: The database ${fresh} cannot be opened: unable to open database file. ` +
        'Choose another file with --db FILE, or one in a folder you can write to.',
    ])
    expect(existsSync(fresh)).toBe(false)
  })

  it('generate on a read-only or full disk: the reason in words, no part of a log left', async () => {
    // A log of the user's there (written before the disk filled), the disk read-only since the
    // tests above: the error, and the file as it was.
    const out = join(small, 'generated.log')
    const ro = await loglens(['generate', '--out', out, '--lines', '10'])
    expect(ro.code).toBe(1)
    expect(ro.stderr).toBe(
      `loglens: cannot write ${out}: the disk is read-only. Choose a folder you can write to.\n`,
    )
    expect(readFileSync(out, 'utf8')).toBe('keep me\n')
    execFileSync('mount', ['-o', 'remount,rw', small])
    // 20 MB on a 3 MB disk that the database already fills in part.
    const full = await loglens(['generate', '--out', out, '--size', '20MB'])
    expect(full.code).toBe(1)
    expect(full.stdout).toBe('')
    expect(full.stderr).toBe(`loglens: cannot write ${out}: the disk is full (nothing was kept).\n`)
    expect(existsSync(out)).toBe(false)
  })
})
