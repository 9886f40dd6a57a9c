// Files of different formats in one analysis (a folder such as /var/log/apache2 holds combined
// and vhost_combined logs side by side): with the format left to detection, each file is read
// as its own format, and every figure is what the files give one by one. A text file that is no
// access log is left out, by name, and the analysis says it is incomplete.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/aggregator/protocol'
import { requireBuild } from '../support/build'
import { analyseInProcess } from '../support/job'

const REAL =
  process.env.LOGLENS_REAL_LOGS ??
  resolve(__dirname, '..', '..', '..', 'shared', 'testdata', 'real-logs')
/** NCSA common (hostnames), Apache combined, Debian's vhost_combined (PROVENANCE.md). */
const COMMON = 'Hurence_logisland-quickstarts__access.log.gz'
const COMBINED = 'elastic_examples__apache_logs.gz'
const VHOST = 'lovecoding1987_sample_logs__other_vhosts_access.log.5.gz'

const dir = mkdtempSync(join(tmpdir(), 'loglens-mixed-'))
const notes = join(dir, 'notes.txt')
/** A combined log with two lines no format reads. */
const broken = join(dir, 'broken.log')
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(() => {
  requireBuild()
  writeFileSync(notes, 'Things to check on the server\n- disk space\n- the nightly backup\n')
  const ok = (i: number): string =>
    `10.0.0.${i} - - [10/Oct/2024:13:55:3${i} +0000] "GET /p${i} HTTP/1.1" 200 ${i} "-" "curl/8"\n`
  writeFileSync(
    broken,
    ok(1) + ok(2) + 'kernel: eth0 link up\n' + ok(3) + ok(4) + 'GET /half-a-line\n' + ok(5),
  )
})

async function analyze(paths: string[], opts: Partial<JobSpec> = {}) {
  const { done, detail, rows } = await analyseInProcess(dir, paths, opts)
  const s = detail.summary
  return {
    done,
    invalid: detail.invalid,
    format: s.format,
    read: { bytesRead: s.bytesRead, totalBytes: s.totalBytes },
    figures: { pv: s.pv, uv: s.uv, invalid: s.invalid, bodyBytes: s.bodyBytes },
    rows,
  }
}

const real = (name: string): string => join(REAL, name)

describe('files of different formats in one analysis', () => {
  let alone: Awaited<ReturnType<typeof analyze>>[] = []
  beforeAll(async () => {
    alone = []
    for (const f of [COMMON, COMBINED, VHOST]) alone.push(await analyze([real(f)]))
  })

  it('reads each file alone as its own format, nearly every line valid', () => {
    expect(alone.map((a) => a.format)).toEqual(['common', 'combined', 'vhost_combined'])
    expect(alone.map((a) => a.figures.pv)).toEqual([4000, 9999, 2582])
    for (const a of alone) expect(a.done.status).toBe('complete')
  })

  for (const threads of [1, 2]) {
    it(`reads each file as its own format together, with ${threads} thread(s)`, async () => {
      const opts = threads === 2 ? { jobs: 2, inlineBelowBytes: 0 } : {}
      // The notes first once: the first log's lines, not the notes', prime the threads.
      const files = [real(COMMON), real(COMBINED), real(VHOST)]
      files.splice(threads === 1 ? 2 : 0, 0, notes)
      const mixed = await analyze(files, opts)
      expect(mixed.format).toBe('common + combined + vhost_combined')
      const sum = (k: keyof (typeof alone)[0]['figures']): number =>
        alone.reduce((s, a) => s + a.figures[k], 0)
      expect(mixed.figures).toEqual({
        pv: sum('pv'),
        uv: sum('uv'),
        invalid: sum('invalid'),
        bodyBytes: sum('bodyBytes'),
      })
      // The three logs share no client: every row is one file's row.
      const byIp = new Map(alone.flatMap((a) => a.rows).map((r) => [r.ip, r]))
      expect(mixed.rows.length).toBe(byIp.size)
      for (const r of mixed.rows) expect(r).toEqual(byIp.get(r.ip))
      // The notes are left out, by name, and not counted in what there was to read.
      const logBytes = [COMMON, COMBINED, VHOST].reduce((t, f) => t + statSync(real(f)).size, 0)
      expect(mixed.read).toEqual({ bytesRead: logBytes, totalBytes: logBytes })
      expect(mixed.done.status).toBe('incomplete')
      expect(mixed.done.error?.code).toBe('NOT_A_LOG')
      expect(mixed.done.error?.params?.file).toBe('notes.txt')
      expect(mixed.done.error?.message).toMatch(/left out/)
    })
  }

  for (const threads of [1, 2]) {
    it(`names the file of each invalid-line sample, with ${threads} thread(s)`, async () => {
      const opts = threads === 2 ? { jobs: 2, inlineBelowBytes: 0 } : {}
      const mixed = await analyze([real(COMBINED), broken, real(VHOST)], opts)
      const text = new Map([
        ['elastic_examples__apache_logs.gz', gunzipSync(readFileSync(real(COMBINED))).toString()],
        ['broken.log', readFileSync(broken, 'utf8')],
        [VHOST, gunzipSync(readFileSync(real(VHOST))).toString()],
      ])
      const named = mixed.invalid.flatMap((r) =>
        r.samples.map((line, i) => ({ line, file: r.sampleFiles?.[i] })),
      )
      // The truncated line of the Apache log and the two of broken.log.
      expect(named.length).toBe(3)
      for (const { line, file } of named) {
        expect(text.has(file!)).toBe(true)
        expect(text.get(file!)!.split('\n')).toContain(line)
      }
      expect(new Set(named.map((s) => s.file))).toEqual(
        new Set(['elastic_examples__apache_logs.gz', 'broken.log']),
      )
    })
  }
})
