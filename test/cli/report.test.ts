// `loglens report` end to end (the built CLI): every format's content, the latest analysis by
// default, --out as a folder, and what a user gets for bad input (no database, unknown analysis,
// a folder that cannot be written, a running or a cancelled analysis, unknown chart).
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateLogFile } from '../../src/engine/generate/generator'
import { LEGEND_CREDIT, WATERMARK_TEXT } from '../../src/shared/types'
import { requireBuild } from '../support/build'
import {
  analyse,
  analyseHostileLog,
  CHROMIUM,
  HOSTILE_REPEAT,
  pdfPages,
  readPng,
  runCli,
  type AnalyzeJson,
} from '../engine/report/fixtures'

const dir = mkdtempSync(join(tmpdir(), 'loglens-cli-report-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const db = join(dir, 'r.db')
const out = join(dir, 'out')
let run: AnalyzeJson
const env = { LOGLENS_CHROMIUM: CHROMIUM }

const report = (...args: string[]) => runCli(['report', '--db', db, ...args], env)

beforeAll(() => {
  requireBuild()
  mkdirSync(out)
  run = analyseHostileLog(dir, db)
}, 120_000)

describe('loglens report', () => {
  it('html: one self-contained file; the path on stdout, a sentence on stderr', () => {
    const file = join(out, 'r.html')
    const r = report('--format', 'html', '--out', file, '--lang', 'en')
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(file)
    expect(r.stderr).toMatch(/^Wrote .*r\.html \(\d+(\.\d+)? KB\) from analysis 1 /)
    const doc = readFileSync(file, 'utf8')
    expect(doc).toContain("default-src 'none'")
    expect(doc).not.toMatch(/<script/i)
    expect(doc.split(LEGEND_CREDIT).length - 1).toBe(4)
    expect(readdirSync(out).filter((f) => f.endsWith('.part'))).toEqual([])
  })

  it('json: figures equal the analysis, with _by', () => {
    const file = join(out, 'r.json')
    expect(report('--format', 'json', '--out', file).code).toBe(0)
    const j = JSON.parse(readFileSync(file, 'utf8')) as {
      _by: string
      partial: boolean
      analysis: { id: number }
      summary: { pv: number; uv: number; invalid: number }
    }
    expect(j._by).toBe('程序员晚枫')
    expect(j.partial).toBe(false)
    expect(j.analysis.id).toBe(run.analysisId)
    expect(j.summary).toMatchObject({ pv: run.pv, uv: run.uv, invalid: run.invalid })
  })

  it('csv: every per-IP row with a BOM; the agents table neutralised', () => {
    const file = join(out, 'ips.csv')
    expect(report('--format', 'csv', '--out', file, '--lang', 'zh').code).toBe(0)
    const text = readFileSync(file, 'utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const lines = text.slice(1).split('\r\n').filter(Boolean)
    expect(lines[0]).toBe(
      'IP 地址,请求数,流量（字节）,首次出现 (UTC+08:00),最后出现 (UTC+08:00),2xx,3xx,4xx,5xx',
    )
    expect(lines).toHaveLength(run.uv + 1)
    const pvSum = lines.slice(1).reduce((n, l) => n + Number(l.split(',')[1]), 0)
    expect(pvSum).toBe(run.pv)

    const agents = join(out, 'agents.csv')
    expect(report('--format', 'csv', '--chart', 'agents', '--out', agents).code).toBe(0)
    const a = readFileSync(agents, 'utf8')
    expect(a).toContain(`,'=cmd|' /C calc'!A0,${HOSTILE_REPEAT},`)
    expect(a).toContain(`,'+SUM(1+1),${HOSTILE_REPEAT},`)
    expect(a).toContain(`,'-2+3,${HOSTILE_REPEAT},`)
    expect(a).toContain(`,'\tTAB,${HOSTILE_REPEAT},`)
  })

  it('pdf: paginated, the watermark on every page, the legend credit', () => {
    const file = join(out, 'r.pdf')
    const r = report('--format', 'pdf', '--out', file, '--lang', 'zh')
    expect(r.code, r.stderr).toBe(0)
    const pages = pdfPages(file)
    expect(pages.length).toBeGreaterThan(2)
    for (const p of pages) expect(p.words.some((w) => w.text === WATERMARK_TEXT)).toBe(true)
    expect(pages.map((p) => p.text).join(' ')).toContain(LEGEND_CREDIT)
  })

  it('png: the whole view and one chart at 2x; --out may be a folder', () => {
    const view = join(out, 'view.png')
    expect(report('--format', 'png', '--out', view).code).toBe(0)
    expect(readPng(view).width).toBe(2560)
    const folder = join(out, 'charts')
    mkdirSync(folder)
    const r = report('--format', 'png', '--chart', 'memory', '--out', folder)
    expect(r.code).toBe(0)
    expect(readdirSync(folder)).toEqual([
      `<img src=x onerror=alert(8)>报告-memory.png`.replace(/[<>]/g, '_'),
    ])
    expect(readPng(join(folder, readdirSync(folder)[0]!)).width).toBe(1920)
  })

  it('exports the latest finished analysis by default', () => {
    const log = join(dir, 'second.log')
    generateLogFile(log, { lines: 300, clients: 20, seed: 3 })
    const second = analyse([log], db, 'second')
    const file = join(out, 'latest.json')
    expect(report('--format', 'json', '--out', file).code).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8')).analysis.id).toBe(second.analysisId)
    const first = join(out, 'first.json')
    expect(
      report('--format', 'json', '--analysis', String(run.analysisId), '--out', first).code,
    ).toBe(0)
    expect(JSON.parse(readFileSync(first, 'utf8')).analysis.id).toBe(run.analysisId)
  })
})

describe('loglens report: bad input', () => {
  it('usage errors exit 2', () => {
    expect(report('--out', join(out, 'x')).code).toBe(2)
    const xlsx = report('--format', 'xlsx', '--out', join(out, 'x'))
    expect(xlsx.code).toBe(2)
    expect(xlsx.stderr).toMatch(/cannot export "xlsx": --format takes html\|pdf\|png\|csv\|json/)
    expect(report('--format', 'html').stderr).toMatch(/--out/)
    const chart = report('--format', 'png', '--chart', 'pie', '--out', join(out, 'x.png'))
    expect(chart.code).toBe(2)
    expect(chart.stderr).toMatch(
      /Unknown chart "pie": choose one of traffic, memory, top-ips, statuses/,
    )
    // In Chinese: the command's own sentences and the engine's refusal of the chart.
    const zh = (...a: string[]) => report(...a, '--lang', 'zh')
    expect(zh('--format', 'html').stderr).toBe(
      'loglens: report 需要 --out 路径（一个文件，或存放它的文件夹）。\n',
    )
    expect(zh('--format', 'docx', '--out', join(out, 'x')).stderr).toBe(
      'loglens: report 不能导出“docx”：--format 可选 html|pdf|png|csv|json。\n',
    )
    const pie = zh('--format', 'png', '--chart', 'pie', '--out', join(out, 'x.png'))
    expect(pie.code).toBe(2)
    expect(pie.stderr).toBe(
      'loglens: 没有“pie”这个图表：请从 traffic, memory, top-ips, statuses 中选一个（不指定则导出整个视图）。\n',
    )
    expect(zh('--format', 'json', '--chart', 'ips', '--out', join(out, 'x.json')).stderr).toBe(
      'loglens: 只有 PNG 和 CSV 导出可以选择图表，JSON 不能。\n',
    )
  })

  it('no database, an unknown analysis', () => {
    const none = runCli([
      'report',
      '--db',
      join(dir, 'none.db'),
      '--format',
      'json',
      '--out',
      join(out, 'n.json'),
    ])
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/no LogLens database at .*none\.db/i)
    expect(existsSync(join(dir, 'none.db'))).toBe(false)
    const missing = report('--format', 'json', '--analysis', '999', '--out', join(out, 'm.json'))
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('loglens: Analysis 999 does not exist.\n')
  })

  it('a folder that cannot be written: a sentence, no file, in either language', () => {
    let folder = '/sys'
    if (process.getuid?.() !== 0) {
      folder = join(dir, 'ro')
      mkdirSync(folder, { mode: 0o555 })
    }
    const en = report('--format', 'html', '--out', join(folder, 'r.html'))
    expect(en.code).toBe(1)
    expect(en.stderr).toBe(
      `loglens: LogLens cannot write to the folder ${folder} (permission denied). Choose another folder.\n`,
    )
    const zh = report('--format', 'csv', '--out', join(folder, 'r.csv'), '--lang', 'zh')
    expect(zh.stderr).toBe(`loglens: 无法写入文件夹 ${folder}（没有权限）。请换一个文件夹。\n`)
    expect(existsSync(join(folder, 'r.html'))).toBe(false)
    const nofolder = report('--format', 'json', '--out', join(dir, 'no', 'such', 'r.json'))
    expect(nofolder.stderr).toMatch(/The folder .*no\/such does not exist\./)
  })

  it('a running analysis is refused; a cancelled one is exported, marked partial', () => {
    const copy = join(dir, 'states.db')
    copyFileSync(db, copy)
    const raw = new Database(copy)
    const set = raw.prepare(
      'UPDATE analyses SET status = ?, bytes_read = total_bytes / 3 WHERE id = ?',
    )
    const exportCopy = (...args: string[]) =>
      runCli(['report', '--db', copy, '--analysis', String(run.analysisId), ...args], env)
    set.run('running', run.analysisId)
    const busy = exportCopy('--format', 'html', '--out', join(out, 'busy.html'))
    expect(busy.code).toBe(1)
    expect(busy.stderr).toMatch(/is still running: wait until it finishes \(or cancel it\)/)
    expect(existsSync(join(out, 'busy.html'))).toBe(false)

    set.run('cancelled', run.analysisId)
    raw.close()
    const folder = join(out, 'partial')
    mkdirSync(folder)
    const r = exportCopy('--format', 'json', '--out', folder)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/marked partial/)
    const rz = exportCopy('--format', 'json', '--out', join(out, 'partial-zh.json'), '--lang', 'zh')
    // The status in Chinese, not the English word.
    expect(rz.stderr).toContain('注意：此分析已取消，导出内容只包含已读取的部分')
    const [name] = readdirSync(folder)
    expect(name).toMatch(/-summary-partial\.json$/)
    expect(JSON.parse(readFileSync(join(folder, name!), 'utf8')).partial).toBe(true)
    const h = join(out, 'partial.html')
    expect(exportCopy('--format', 'html', '--out', h, '--lang', 'en').code).toBe(0)
    expect(readFileSync(h, 'utf8')).toContain(
      'This analysis was cancelled. The report covers only what was read',
    )
  })

  it('PDF without Chromium says what to install', () => {
    const r = runCli(['report', '--db', db, '--format', 'pdf', '--out', join(out, 'x.pdf')], {
      LOGLENS_CHROMIUM: join(dir, 'no-chromium'),
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /LOGLENS_CHROMIUM is set to .*no-chromium, which does not exist\. PDF and PNG exports need Chromium/,
    )
    expect(existsSync(join(out, 'x.pdf'))).toBe(false)
  })
})
