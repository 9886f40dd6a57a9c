// A WebAssembly memory reserves far more address space than its pages (V8 guards it), so where
// address space is limited (ulimit -v, some containers) creating one can fail. The engine then
// falls back to its JavaScript parser and counter: the analysis completes with the same figures.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateLogFile } from '../../src/engine/generate/generator'
import { CLI, requireBuild } from '../support/build'

const dir = mkdtempSync(join(tmpdir(), 'loglens-vlimit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Run `loglens analyze` under `ulimit -v` (KiB), or without a limit (0). */
function analyze(log: string, db: string, limitKiB: number): { pv: number; uv: number } {
  const limit = limitKiB > 0 ? `ulimit -v ${limitKiB}; ` : ''
  const r = spawnSync(
    'bash',
    ['-c', `${limit}exec "$0" "$1" analyze "$2" --db "$3" --json`, process.execPath, CLI, log, db],
    { encoding: 'utf8', timeout: 120_000 },
  )
  expect(r.status, r.stderr).toBe(0)
  const s = JSON.parse(r.stdout) as { status: string; error: unknown; pv: number; uv: number }
  expect(s.error).toBeNull()
  expect(s.status).toBe('complete')
  return { pv: s.pv, uv: s.uv }
}

describe('limited address space', () => {
  it.runIf(process.platform === 'linux')(
    'completes an analysis with the JavaScript paths when no WebAssembly memory can be made',
    () => {
      requireBuild()
      const log = join(dir, 'a.log')
      const fig = generateLogFile(log, { bytes: 30e6, clients: 20_000, ipv6Share: 0.1, seed: 5 })
      // 6 GB of address space: enough for Node, not for a guarded WebAssembly memory.
      const limited = analyze(log, join(dir, 'limited.db'), 6_000_000)
      expect(limited).toEqual({ pv: fig.pv, uv: fig.uv })
      expect(analyze(log, join(dir, 'free.db'), 0)).toEqual({ pv: fig.pv, uv: fig.uv })
    },
    120_000,
  )
  if (process.platform !== 'linux') console.warn('skipped: ulimit -v is a Linux test here')
})
