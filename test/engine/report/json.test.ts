// The JSON export's content (summary, series, memory, top lists, metadata, the hidden _by field),
// the database's own hidden _by values, and the small pure helpers of the report model.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportPart, suggestedFileName } from '../../../src/engine/report'
import { buildJsonReport, JSON_SCHEMA_ID } from '../../../src/engine/report/json'
import { decimateMemory, monthTicks, niceScale, niceTicks } from '../../../src/engine/report/model'
import { openDatabase } from '../../../src/engine/store/db'
import { getAnalysisDetail } from '../../../src/engine/store/queries'
import { HIDDEN_BY, type AnalysisDetail, type AnalysisSummary } from '../../../src/shared/types'
import { requireBuild } from '../../support/build'
import { analyseHostileLog, HOSTILE_NAME, HOSTILE_REPEAT, type AnalyzeJson } from './fixtures'

const dir = mkdtempSync(join(tmpdir(), 'loglens-json-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const dbPath = join(dir, 'j.db')
let run: AnalyzeJson
let detail: AnalysisDetail

beforeAll(() => {
  requireBuild()
  run = analyseHostileLog(dir, dbPath)
  const db = openDatabase(dbPath, { readonly: true })
  detail = getAnalysisDetail(db, run.analysisId)!
  db.close()
}, 120_000)

describe('JSON export', () => {
  it('carries summary, series, memory, top lists and metadata', () => {
    const j = JSON.parse(
      JSON.stringify(
        buildJsonReport(detail, { locale: 'zh-CN', version: '1.2.3', generatedAt: 0 }),
      ),
    ) as ReturnType<typeof buildJsonReport>
    expect(j._by).toBe('程序员晚枫')
    expect(Object.keys(j)[0]).toBe('_by')
    expect(j.schema).toBe(JSON_SCHEMA_ID)
    expect(j.generator).toEqual({ name: 'LogLens', version: '1.2.3' })
    expect(j.generatedAt).toBe('1970-01-01T00:00:00.000Z')
    expect(j.partial).toBe(false)
    expect(j.analysis.name).toBe(HOSTILE_NAME)
    expect(j.analysis.status).toBe('complete')
    expect(j.analysis.tzOffsetMinutes).toBe(480)
    expect(j.analysis.files).toEqual([{ name: 'access.log', size: detail.summary.totalBytes }])
    expect(JSON.stringify(j)).not.toContain(dir) // no local paths
    expect(j.summary).toMatchObject({ pv: run.pv, uv: run.uv, invalid: run.invalid })
    expect(j.summary.firstTime).toMatch(/^2026-11-\d\dT\d\d:\d\d:\d\d\.000Z$/)
    expect(j.series.bucket).toBe(detail.series.bucket)
    expect(j.series.points).toHaveLength(detail.series.points.length)
    expect(j.series.points.reduce((n, p) => n + p.pv, 0)).toBe(run.pv)
    expect(j.memory.budgetBytes).toBe(100 * 1024 * 1024)
    expect(j.memory.samples.length).toBeGreaterThan(0)
    expect(j.statuses.reduce((n, s) => n + s.count, 0)).toBe(run.pv)
    expect(j.topIps[0]!.pv).toBeGreaterThanOrEqual(j.topIps[1]!.pv)
    expect(j.topIps[0]!.firstSeen).toMatch(/Z$/)
    expect(j.top.agents.map((a) => a.key)).toEqual(
      expect.arrayContaining(['<svg onload=alert(4)>', "=cmd|' /C calc'!A0"]),
    )
    expect(j.top.referrers.find((r) => r.key === 'javascript:alert(3)')?.count).toBe(HOSTILE_REPEAT)
    expect(j.invalid).toEqual([
      expect.objectContaining({ reason: 'not_a_log_line', count: HOSTILE_REPEAT }),
    ])
  })

  it('is marked partial for a cancelled analysis', () => {
    const d = { ...detail, summary: { ...detail.summary, status: 'cancelled' as const } }
    expect(buildJsonReport(d, { locale: 'en', version: 'x', generatedAt: 0 }).partial).toBe(true)
  })
})

describe('the database carries the hidden _by value', () => {
  it('in meta and in every analysis row, displayed nowhere', () => {
    const raw = new Database(dbPath, { readonly: true })
    expect(raw.prepare("SELECT value FROM meta WHERE key = '_by'").get()).toEqual({
      value: HIDDEN_BY,
    })
    expect(raw.prepare('SELECT _by FROM analyses WHERE id = ?').get(run.analysisId)).toEqual({
      _by: HIDDEN_BY,
    })
    raw.close()
    expect(JSON.stringify(detail)).not.toContain(HIDDEN_BY)
  })
})

describe('report helpers', () => {
  it('niceScale: round steps from 0 past the maximum', () => {
    expect(niceScale(2834)).toEqual([0, 1000, 2000, 3000])
    expect(niceScale(110)).toEqual([0, 25, 50, 75, 100, 125])
    expect(niceScale(3)).toEqual([0, 1, 2, 3])
    expect(niceScale(0)).toEqual([0, 1])
    // Whole steps: 12 requests are not drawn in steps of 2.5.
    expect(niceScale(12)).toEqual([0, 5, 10, 15])
    expect(niceScale(1)).toEqual([0, 1])
  })

  it('niceTicks: aligned to the step in the shifted clock', () => {
    const h = 3_600_000
    const t0 = Date.UTC(2024, 0, 1, 1, 30)
    const ticks = niceTicks(t0, t0 + 23 * h, [h, 6 * h], 8 * h)
    expect(ticks.length).toBeLessThanOrEqual(7)
    for (const t of ticks) expect((t + 8 * h) % (6 * h)).toBe(0)
  })

  it('monthTicks: on the 1st of a month in the log clock, inside the span, at most 7', () => {
    const h = 3_600_000
    const shift = 8 * h // +0800
    const min = Date.UTC(2019, 11, 31, 20) // already 2020-01-01 04:00 in the log
    const max = Date.UTC(2024, 11, 29)
    const ticks = monthTicks(min, max, shift)
    expect(ticks.length).toBeGreaterThan(1)
    expect(ticks.length).toBeLessThanOrEqual(7)
    for (const t of ticks) {
      expect(t).toBeGreaterThanOrEqual(min)
      expect(t).toBeLessThanOrEqual(max)
      const d = new Date(t + shift)
      expect([d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()]).toEqual([1, 0, 0])
    }
    // Five years: one a year, on January 1st from 2021 (2020-01-01 00:00 is before min).
    expect(ticks.map((t) => new Date(t + shift).toISOString().slice(0, 7))).toEqual([
      '2021-01',
      '2022-01',
      '2023-01',
      '2024-01',
    ])
    // Seven months: every month.
    expect(monthTicks(Date.UTC(2024, 0, 1), Date.UTC(2024, 6, 1))).toHaveLength(7)
  })

  it('decimateMemory keeps the peak and at most the asked number of points', () => {
    const samples = Array.from({ length: 5000 }, (_, i) => ({
      t: i * 250,
      rss: i === 3333 ? 99e6 : 50e6 + (i % 7),
      heapUsed: 1e6,
    }))
    const out = decimateMemory(samples, 600)
    expect(out.length).toBeLessThanOrEqual(600)
    expect(Math.max(...out.map((s) => s.rss))).toBe(99e6)
    expect(out.find((s) => s.rss === 99e6)!.t).toBe(3333 * 250)
  })

  it('file names: safe, by kind and part, marked partial', () => {
    const s = { id: 4, name: 'a/b:c*?<x>.log', status: 'complete' } as AnalysisSummary
    expect(suggestedFileName(s, 'html')).toBe('a_b_c_x_.log-report.html')
    expect(suggestedFileName(s, 'png', 'traffic')).toBe('a_b_c_x_.log-traffic.png')
    expect(suggestedFileName(s, 'png')).toBe('a_b_c_x_.log-view.png')
    expect(suggestedFileName(s, 'csv')).toBe('a_b_c_x_.log-ips.csv')
    expect(suggestedFileName(s, 'json')).toBe('a_b_c_x_.log-summary.json')
    expect(suggestedFileName({ ...s, status: 'cancelled' }, 'pdf')).toBe(
      'a_b_c_x_.log-report-partial.pdf',
    )
    expect(suggestedFileName({ ...s, name: '...' }, 'csv')).toBe('analysis-4-ips.csv')
  })

  it('a chart only for PNG and CSV, from their lists', () => {
    expect(exportPart('png', 'memory')).toBe('memory')
    expect(exportPart('png', 'view')).toBeUndefined()
    expect(exportPart('csv', 'agents')).toBe('agents')
    expect(() => exportPart('png', 'pie')).toThrow(/traffic, memory, top-ips, statuses/)
    expect(() => exportPart('csv', 'traffic2')).toThrow(/ips, traffic/)
    expect(() => exportPart('html', 'traffic')).toThrow(/only for PNG and CSV/)
  })
})
