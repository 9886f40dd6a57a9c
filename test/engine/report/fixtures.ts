// Shared by the report and CLI tests: a log with hostile text, analysed by the real engine (the
// built CLI), and small readers for what the exports contain (PDF text with positions, PNG pixels).
import { keyOfClientText } from '../../../src/engine/store/client-key'
import { execFileSync, spawnSync } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { generateLogFile } from '../../../src/engine/generate/generator'
import type { Db } from '../../../src/engine/store/db'
import { IP_TABLE_COLUMNS, ipTableName } from '../../../src/engine/store/migrations'
import { createAnalysis } from '../../../src/engine/store/queries'
import { CLI } from '../../support/build'

/** An analysis with `rows` per-IP rows, written straight into SQLite. */
export function buildIpAnalysis(db: Db, rows: number): number {
  const id = createAnalysis(db, { name: `rows-${rows}`, files: [], formatRequest: 'combined' })
  const t0 = Math.floor(Date.UTC(2026, 0, 1) / 1000)
  const table = ipTableName(id)
  db.exec(`CREATE TABLE ${table} (${IP_TABLE_COLUMNS}) WITHOUT ROWID`)
  const insert = db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  // The primary key is the client key (store/client-key.ts): the client's only copy.
  const ins = {
    run: (ip: string, ...rest: number[]) => insert.run(keyOfClientText(ip), ...rest),
  }
  let pv = 0
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const hits = 1 + ((i * 2654435761) % 997)
      pv += hits
      ins.run(
        `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        hits,
        hits * 1500,
        t0 + (i % 86_400),
        t0 + (i % 86_400) + 3600,
        hits,
        0,
        0,
        0,
      )
    }
  })()
  db.exec(`CREATE INDEX ${table}_pv ON ${table}(pv DESC)`)
  db.prepare(
    `UPDATE analyses SET status = 'complete', pv = ?, uv = ?, ip_table = ?, ip_indexed = 1,
       first_time = ?, last_time = ?, tz_offset = 0, finished_at = ? WHERE id = ?`,
  ).run(pv, rows, table, t0 * 1000, (t0 + 90_000) * 1000, Date.now(), id)
  return id
}

export const CHROMIUM = process.env.LOGLENS_CHROMIUM ?? '/usr/bin/chromium'

/** Markers the hostile lines carry; none of them may ever run or become markup. */
export const HOSTILE_NAME = '<img src=x onerror=alert(8)>报告'
export const HOSTILE_LINES = [
  '10.6.6.1 - - [20/Nov/2026:10:00:00 +0000] "GET /<script>alert(1)</script> HTTP/1.1" 200 512 "javascript:alert(3)" "<svg onload=alert(4)>"',
  '10.6.6.2 - - [20/Nov/2026:10:00:01 +0000] "GET /<img/src=x/onerror=alert(2)> HTTP/1.1" 404 0 "-" "=cmd|\' /C calc\'!A0"',
  '10.6.6.3 - - [20/Nov/2026:10:00:02 +0000] "GET /=HYPERLINK(\\"http://evil.example/\\") HTTP/1.1" 200 100 "https://evil.example/<iframe src=//evil.example>" "+SUM(1+1)"',
  '10.6.6.4 - - [20/Nov/2026:10:05:03 +0000] "POST /@import HTTP/1.1" 500 10 "-" "-2+3"',
  '<script>alert(5)</script> <a href="javascript:alert(6)">not a log line</a>',
  '10.6.6.5 - - [20/Nov/2026:10:09:04 +0000] "GET /ok HTTP/1.1" 200 100 "@SUM(A1)" "\tTAB"',
]

export const HOSTILE_REPEAT = 1200

export interface AnalyzeJson {
  analysisId: number
  status: string
  pv: number
  uv: number
  invalid: number
}

/**
 * Write a generated log plus the hostile lines (repeated, so they reach the top lists), and
 * analyse it with the built CLI.
 */
export function analyseHostileLog(dir: string, dbPath: string, lines = 20_000): AnalyzeJson {
  const log = join(dir, 'access.log')
  generateLogFile(log, { lines, clients: 800, seed: 7, spanSeconds: 86_400, tzOffsetMinutes: 480 })
  appendFileSync(log, (HOSTILE_LINES.join('\n') + '\n').repeat(HOSTILE_REPEAT))
  return analyse([log], dbPath, HOSTILE_NAME)
}

export function analyse(files: string[], dbPath: string, name?: string): AnalyzeJson {
  const out = execFileSync(
    process.execPath,
    [CLI, 'analyze', ...files, '--db', dbPath, '--json', ...(name ? ['--name', name] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return JSON.parse(out) as AnalyzeJson
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  nodeArgs: string[] = [],
): CliResult {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

export interface PdfWord {
  text: string
  xMin: number
  yMin: number
  xMax: number
  yMax: number
}
export interface PdfPage {
  width: number
  height: number
  words: PdfWord[]
  text: string
}

/** Every page's words with their boxes (pdftotext -bbox-layout, from poppler-utils). */
export function pdfPages(file: string): PdfPage[] {
  const xml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8' })
  const pages: PdfPage[] = []
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g
  const wordRe =
    /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g
  for (const pm of xml.matchAll(pageRe)) {
    const words = [...pm[3]!.matchAll(wordRe)].map((w) => ({
      xMin: Number(w[1]),
      yMin: Number(w[2]),
      xMax: Number(w[3]),
      yMax: Number(w[4]),
      text: w[5]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    }))
    pages.push({
      width: Number(pm[1]),
      height: Number(pm[2]),
      words,
      text: words.map((w) => w.text).join(' '),
    })
  }
  return pages
}

export function pdfFonts(file: string): string {
  return execFileSync('pdffonts', [file], { encoding: 'utf8' })
}

export interface Pixels {
  width: number
  height: number
  at(x: number, y: number): [number, number, number]
}

export function readPng(file: string | Buffer): Pixels {
  const png = PNG.sync.read(typeof file === 'string' ? readFileSync(file) : file)
  return {
    width: png.width,
    height: png.height,
    at(x, y) {
      const i = (png.width * y + x) << 2
      return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
    },
  }
}

/** Pixels in a box that differ from the background colour (white unless told). */
export function inkIn(
  img: Pixels,
  box: { x: number; y: number; w: number; h: number },
  bg: [number, number, number] = [255, 255, 255],
): number {
  let n = 0
  for (let y = Math.max(0, box.y); y < Math.min(img.height, box.y + box.h); y++)
    for (let x = Math.max(0, box.x); x < Math.min(img.width, box.x + box.w); x++) {
      const [r, g, b] = img.at(x, y)
      if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 24) n++
    }
  return n
}
