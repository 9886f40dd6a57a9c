// The service's exportReport (src/service/export.ts) through the same dispatch the fronts use:
// where the file goes (save dialog, cancelled dialog, workDir), errors as ErrorInfo data, and the
// export's own read connection leaving the service's free for reads and writes.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnalysisService, dispatchCall, nodeLauncher } from '../../../src/service'
import type { ExportTarget } from '../../../src/service/options'
import type { ExportResult } from '../../../src/shared/contract'
import type { Envelope } from '../../../src/shared/types'
import { AGGREGATOR_ENTRY, requireBuild } from '../../support/build'
import { analyseHostileLog, buildIpAnalysis, type AnalyzeJson } from './fixtures'
import { openDatabase } from '../../../src/engine/store/db'

const dir = mkdtempSync(join(tmpdir(), 'loglens-svc-export-'))
const dbPath = join(dir, 's.db')
let run: AnalyzeJson
const services: AnalysisService[] = []

beforeAll(() => {
  requireBuild()
  run = analyseHostileLog(dir, dbPath)
}, 120_000)

afterAll(async () => {
  for (const s of services) await s.close()
  rmSync(dir, { recursive: true, force: true })
})

function service(exportTarget?: ExportTarget): AnalysisService {
  const s = new AnalysisService({
    dbPath,
    aggregatorEntry: AGGREGATOR_ENTRY,
    launcher: nodeLauncher,
    samplePath: join(dir, 'none.log'),
    workDir: join(dir, `work-${services.length}`),
    front: 'electron',
    version: '7.7.7',
    ...(exportTarget ? { exportTarget } : {}),
  })
  services.push(s)
  return s
}

const call = (s: AnalysisService, args: Record<string, unknown>) =>
  dispatchCall(s.handlers, 'exportReport', [args]) as Promise<Envelope<ExportResult>>

describe('exportReport', () => {
  it('asks where to save (suggested name), writes there, says where', async () => {
    const asked: [string, string][] = []
    const s = service({
      chooseSavePath: async (name, kind) => {
        asked.push([name, kind])
        return join(dir, 'chosen.json')
      },
    })
    const r = await call(s, { id: run.analysisId, kind: 'json', locale: 'en' })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(asked).toEqual([
      ['<img src=x onerror=alert(8)>报告-summary.json'.replace(/[<>]/g, '_'), 'json'],
    ])
    expect(r.value).toEqual({
      path: join(dir, 'chosen.json'),
      fileName: 'chosen.json',
      bytes: readFileSync(join(dir, 'chosen.json')).length,
    })
    expect(JSON.parse(readFileSync(join(dir, 'chosen.json'), 'utf8')).generator.version).toBe(
      '7.7.7',
    )
  })

  it('a cancelled save dialog writes nothing and returns path null', async () => {
    const s = service({ chooseSavePath: async () => null })
    const r = await call(s, { id: run.analysisId, kind: 'csv', locale: 'zh-CN' })
    expect(r).toEqual({
      ok: true,
      value: { path: null, fileName: expect.stringMatching(/-ips\.csv$/), bytes: 0 },
    })
  })

  it('without a target: into workDir/exports', async () => {
    const s = service()
    const r = await call(s, { id: run.analysisId, kind: 'csv', locale: 'en', chart: 'statuses' })
    expect(r.ok && r.value.path).toMatch(/work-\d+[\\/]exports[\\/].*-statuses\.csv$/)
    if (r.ok) expect(existsSync(r.value.path!)).toBe(true)
  })

  it('errors travel as data: unknown analysis, bad chart, running analysis, unwritable folder', async () => {
    const s = service({ chooseSavePath: async () => '/sys/report.html' })
    expect(await call(s, { id: 999, kind: 'html', locale: 'en' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Analysis 999 does not exist.', params: { id: 999 } },
    })
    const chart = await call(s, { id: run.analysisId, kind: 'html', locale: 'en', chart: 'memory' })
    expect(chart.ok || chart.error.code).toBe('INVALID_INPUT')
    const denied = await call(s, { id: run.analysisId, kind: 'html', locale: 'en' })
    expect(denied.ok || denied.error).toMatchObject({
      code: 'EXPORT_FAILED',
      params: { reason: process.getuid?.() === 0 ? 'not_writable' : expect.any(String) },
    })

    const raw = new Database(dbPath)
    raw.prepare("UPDATE analyses SET status = 'running' WHERE id = ?").run(run.analysisId)
    const busy = await call(s, { id: run.analysisId, kind: 'json', locale: 'en' })
    raw.prepare("UPDATE analyses SET status = 'complete' WHERE id = ?").run(run.analysisId)
    raw.close()
    expect(busy.ok || busy.error).toMatchObject({
      code: 'EXPORT_FAILED',
      params: { reason: 'still_running' },
    })
  })

  it('the app keeps reading and writing while a CSV streams (the export has its own connection)', async () => {
    const bigDb = join(dir, 'big.db')
    const db = openDatabase(bigDb)
    const id = buildIpAnalysis(db, 300_000)
    db.close()
    const s = new AnalysisService({
      dbPath: bigDb,
      aggregatorEntry: AGGREGATOR_ENTRY,
      launcher: nodeLauncher,
      samplePath: join(dir, 'none.log'),
      workDir: join(dir, 'work-big'),
      front: 'electron',
      version: 't',
      exportTarget: { chooseSavePath: async () => join(dir, 'big.csv') },
    })
    services.push(s)
    let done = false
    const exporting = call(s, { id, kind: 'csv', locale: 'en' }).finally(() => (done = true))
    let answered = 0
    while (!done) {
      const page = await dispatchCall(s.handlers, 'queryIps', [
        { id, sort: 'pv', dir: 'desc', offset: answered * 10, limit: 10 },
      ])
      expect(page.ok, JSON.stringify(page)).toBe(true)
      // A write (rename) would fail with "connection busy" on the iterating connection.
      const renamed = await dispatchCall(s.handlers, 'renameAnalysis', [
        { id, name: `renamed ${answered}` },
      ])
      expect(renamed.ok, JSON.stringify(renamed)).toBe(true)
      answered++
      await new Promise((r) => setImmediate(r))
    }
    const r = await exporting
    expect(r.ok && r.value.bytes).toBeGreaterThan(10_000_000)
    expect(answered).toBeGreaterThan(3)
  })
})
