// Tests that start real aggregator processes or worker threads use the built bundle
// (npm test builds first). Without it they fail with a clear message rather than skip.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

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
