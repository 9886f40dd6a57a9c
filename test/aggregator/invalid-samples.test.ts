// The invalid-line samples an analysis keeps are the first bad lines of its files, in the files'
// order, whichever parse thread read which part: the same files give the same samples every run.
// Before, the coordinator's thread's samples came first, from whichever parts it had read.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/aggregator/protocol'
import { generateLogFile } from '../../src/engine/generate/generator'
import { requireBuild } from '../support/build'
import { analyseInProcess } from '../support/job'

const dir = mkdtempSync(join(tmpdir(), 'loglens-samples-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const big = join(dir, 'big.log')
const packed = join(dir, 'packed.log.gz')

/** `lines` with a bad line before each of the given shares of them (0..1), numbered from `n`. */
function withBadLines(lines: string[], shares: number[], n: number): string {
  const at = new Map(shares.map((s, i) => [Math.floor(s * lines.length), `BAD LINE ${n + i}`]))
  return lines.map((l, i) => (at.has(i) ? `${at.get(i)}\n${l}` : l)).join('\n') + '\n'
}

beforeAll(() => {
  requireBuild()
  const src = join(dir, 'src.log')
  generateLogFile(src, { bytes: 20 << 20, clients: 2000, seed: 4 })
  const lines = readFileSync(src, 'utf8').trimEnd().split('\n')
  // ~20 MB: three read tasks. Two bad lines in the first, three in the second, three in the last.
  writeFileSync(big, withBadLines(lines, [0.05, 0.1, 0.4, 0.45, 0.5, 0.7, 0.8, 0.9], 1))
  // A gzip file is read first (it cannot be split): its bad lines are the second file's.
  const small = lines.slice(0, 2000)
  writeFileSync(packed, gzipSync(withBadLines(small, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 101)))
})

async function samplesOf(paths: string[], opts: Partial<JobSpec> = {}) {
  const opt = { format: 'combined', jobs: 2, inlineBelowBytes: 0, ...opts }
  const { detail: d } = await analyseInProcess(dir, paths, opt, true)
  return d.invalid.flatMap((r) => r.samples.map((s, i) => `${r.sampleFiles?.[i]}: ${s}`))
}

describe('invalid-line samples', () => {
  it("are the first bad lines in the files' order, whichever thread read which part", async () => {
    const first = ['big.log: BAD LINE 1', 'big.log: BAD LINE 2', 'big.log: BAD LINE 3']
    for (let run = 0; run < 3; run++) {
      expect(await samplesOf([big])).toEqual([
        ...first,
        'big.log: BAD LINE 4',
        'big.log: BAD LINE 5',
      ])
    }
    // The gzip file is read first, but it is the second file: the first file's lines come first.
    expect(await samplesOf([big, packed])).toEqual([
      ...first,
      'big.log: BAD LINE 4',
      'big.log: BAD LINE 5',
    ])
    expect(await samplesOf([big, packed], { jobs: 1 })).toEqual([
      ...first,
      'big.log: BAD LINE 4',
      'big.log: BAD LINE 5',
    ])
    expect(await samplesOf([packed, big])).toEqual([
      'packed.log.gz: BAD LINE 101',
      'packed.log.gz: BAD LINE 102',
      'packed.log.gz: BAD LINE 103',
      'packed.log.gz: BAD LINE 104',
      'packed.log.gz: BAD LINE 105',
    ])
  })
})
