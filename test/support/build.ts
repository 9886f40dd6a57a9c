// Tests that start real aggregator processes or worker threads use the built bundle
// (npm test builds first). Without it they fail with a clear message rather than skip.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

export const ROOT = join(__dirname, '..', '..')
export const OUT_MAIN = join(ROOT, 'out', 'main')
export const WORKER_ENTRY = join(OUT_MAIN, 'parse-worker.js')
export const AGGREGATOR_ENTRY = join(OUT_MAIN, 'aggregator.js')
export const CLI = join(ROOT, 'bin', 'loglens.js')

export function requireBuild(): void {
  if (!existsSync(WORKER_ENTRY) || !existsSync(AGGREGATOR_ENTRY))
    throw new Error(
      'These tests run the built aggregator: run `npm run build` first (npm test does).',
    )
}

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

const run = promisify(execFile)

/**
 * `loglens ARGS` as a user runs it: the built CLI in a child process, its data folder under
 * `home` (LOGLENS_HOME), `env` on top of this process's. Resolves with the exit code and both
 * outputs, whatever the code.
 */
export async function runLoglens(
  args: string[],
  home: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  try {
    const r = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, LOGLENS_HOME: home, ...env },
      maxBuffer: 16 << 20,
    })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string }
    return { code: x.code, stdout: x.stdout, stderr: x.stderr }
  }
}
