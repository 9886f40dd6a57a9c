// `npm run bench`: LogLens against the lesson's Python script, GoAccess (when installed) and
// `wc -l`, on the same generated log in the same run. Prints a table; writes bench.json, a
// memory-over-time report (report.html, report.png) and the raw samples to --out.
//
//   npm run bench                                   1 GB, 500k clients, every core
//   npm run bench -- --size 10GB --clients 2000000  the lesson's 10 GB
//   npm run bench -- --size 200MB --out reports/ci  what CI runs
//   options: --size S --clients N --ipv6 SHARE --jobs N --runs N --out DIR --no-python --keep-db
//   LogLens runs --runs times (default 3, one after the other): the table shows the median run,
//   with the fastest and slowest beside it, and the peak RSS of all of them.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { values: o } = parseArgs({
  options: {
    size: { type: 'string', default: '1GB' },
    clients: { type: 'string', default: '500000' },
    ipv6: { type: 'string', default: '0.05' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'reports/local' },
    'no-python': { type: 'boolean', default: false },
    'keep-db': { type: 'boolean', default: false },
  },
})
const outDir = resolve(root, o.out)
mkdirSync(outDir, { recursive: true })
const cacheDir = join(root, '.cache', 'bench')
mkdirSync(cacheDir, { recursive: true })
const cli = join(root, 'bin', 'loglens.js')
if (!existsSync(join(root, 'out', 'main', 'cli.js'))) {
  console.error('bench: build first (npm run build).')
  process.exit(2)
}

const mb = (b) => (b / 1048576).toFixed(1)
const measure = (cmd) =>
  JSON.parse(
    execFileSync('python3', [join(root, 'bench', 'measure.py'), ...cmd], {
      maxBuffer: 64 << 20,
    }).toString(),
  )

// 1. The data: generated once per options, deterministic, cached.
const key = `combined-${o.size}-${o.clients}c-${o.ipv6}v6`.replace(/[^\w.-]/g, '_')
const logPath = join(cacheDir, `${key}.log`)
const figPath = join(cacheDir, `${key}.json`)
if (!existsSync(logPath) || !existsSync(figPath)) {
  console.log(`Generating ${o.size} with ${o.clients} clients → ${logPath}`)
  const fig = execFileSync(process.execPath, [
    cli,
    'generate',
    '--out',
    logPath,
    '--size',
    o.size,
    '--clients',
    o.clients,
    '--ipv6',
    o.ipv6,
    '--seed',
    '8',
  ])
  writeFileSync(figPath, fig)
}
const figures = JSON.parse(readFileSync(figPath, 'utf8'))
const size = statSync(logPath).size
console.log(
  `Log: ${mb(size)} MB, ${figures.lines.toLocaleString()} lines, ${figures.uv.toLocaleString()} clients`,
)

// 2. Warm the page cache (the budget is for a warm cache), and the reading speed limit.
const wc = measure(['wc', '-l', logPath])
const wc2 = measure(['wc', '-l', logPath])

// 3. LogLens, end to end (read, parse, aggregate, write SQLite) through the CLI, --runs times,
// each into a fresh database. The median run (by the aggregator's own clock) is the one reported.
const runCount = Math.max(1, Number.parseInt(o.runs, 10) || 1)
const dbFiles = (p) => [p, p + '-wal', p + '-shm']
const runs = []
for (let i = 0; i < runCount; i++) {
  const path = join(cacheDir, `bench-${i + 1}.db`)
  for (const f of dbFiles(path)) rmSync(f, { force: true })
  const r = measure([
    process.execPath,
    cli,
    'analyze',
    logPath,
    '--db',
    path,
    '--json',
    '--jobs',
    o.jobs,
  ])
  if (r.code !== 0) {
    console.error(r.stderr)
    process.exit(1)
  }
  runs.push({ ...r, dbPath: path, summary: JSON.parse(r.stdout) })
}
const byTime = [...runs].sort((a, b) => a.summary.elapsedMs - b.summary.elapsedMs)
const ll = byTime[(byTime.length - 1) >> 1]
const summary = ll.summary
const dbPath = join(cacheDir, 'bench.db')
for (const f of dbFiles(dbPath)) rmSync(f, { force: true })
for (const r of runs) {
  if (r === ll)
    dbFiles(r.dbPath).forEach((f, i) => existsSync(f) && renameSync(f, dbFiles(dbPath)[i]))
  else for (const f of dbFiles(r.dbPath)) rmSync(f, { force: true })
}
const peakOfRuns = Math.max(...runs.map((r) => r.summary.peakRssBytes))
const spread = `${(byTime[0].summary.elapsedMs / 1000).toFixed(2)}-${(byTime[byTime.length - 1].summary.elapsedMs / 1000).toFixed(2)} s`
const db = new Database(dbPath, { readonly: true })
const samples = db
  .prepare('SELECT t, rss, heap_used AS heap FROM memory_samples WHERE analysis_id = ? ORDER BY t')
  .all(summary.analysisId)
db.close()
// Reopening a stored analysis: what the dashboard loads (summary, series, memory curve, status
// codes, top lists, top 100 clients), on a fresh connection, as the app does.
const reopenMs = (() => {
  const t = performance.now()
  const r = new Database(dbPath, { readonly: true })
  const id = summary.analysisId
  const row = r.prepare('SELECT * FROM analyses WHERE id = ?').get(id)
  r.prepare('SELECT * FROM series WHERE analysis_id = ? ORDER BY t').all(id)
  r.prepare('SELECT * FROM memory_samples WHERE analysis_id = ? ORDER BY t').all(id)
  r.prepare('SELECT * FROM status_counts WHERE analysis_id = ?').all(id)
  r.prepare('SELECT * FROM top_items WHERE analysis_id = ?').all(id)
  // Through the top-N index, as the app reads it (src/engine/store/queries.ts, topIps).
  const top = Number.isSafeInteger(row.top_pv_min) ? `WHERE pv >= ${row.top_pv_min}` : ''
  r.prepare(
    `SELECT key, pv, bytes FROM ip_counts_${id} ${top} ORDER BY pv DESC, key LIMIT 100`,
  ).all()
  r.close()
  return performance.now() - t
})()
const exact = runs.every((r) => r.summary.pv === figures.pv && r.summary.uv === figures.uv)

// 4. The lesson's Python script, the same file.
let py = null
if (!o['no-python']) {
  const r = measure(['python3', join(root, 'bench', 'lesson_baseline.py'), logPath])
  if (r.code === 0) py = { ...r, result: JSON.parse(r.stdout) }
  else console.warn('python baseline failed:', r.stderr.slice(-500))
}

// 5. GoAccess, when it is installed.
let goaccess = null
const hasGoaccess = spawnSync('goaccess', ['--version']).status === 0
if (hasGoaccess) {
  const r = measure([
    'goaccess',
    logPath,
    '--log-format=COMBINED',
    '--no-progress',
    '-o',
    join(cacheDir, 'goaccess.json'),
  ])
  if (r.code === 0) {
    // Its own figures: valid requests (PV) and "unique visitors", which for GoAccess are
    // distinct IP + day + user agent, not distinct clients.
    const general = JSON.parse(readFileSync(join(cacheDir, 'goaccess.json'), 'utf8')).general ?? {}
    goaccess = { ...r, pv: general.valid_requests ?? null, uv: general.unique_visitors ?? null }
  } else console.warn('goaccess failed:', r.stderr.slice(-500))
}

const secs = (ms) => ms / 1000
const row = (name, wallMs, rss, pv, uv, note = '') => ({
  name,
  wallS: +secs(wallMs).toFixed(2),
  mbPerS: +(size / 1e6 / secs(wallMs)).toFixed(0),
  linesPerS: Math.round(figures.lines / secs(wallMs)),
  peakRssMB: +mb(rss),
  pv,
  uv,
  note,
})
const rows = [
  row(
    'LogLens (aggregator)',
    summary.elapsedMs,
    peakOfRuns,
    summary.pv,
    summary.uv,
    `${o.jobs} threads; end to end incl. SQLite; ${exact ? 'exact' : 'MISMATCH'}` +
      (runs.length > 1 ? `; median of ${runs.length} runs (${spread})` : ''),
  ),
  row(
    'LogLens (whole CLI)',
    ll.wallMs,
    ll.peakRssBytes,
    summary.pv,
    summary.uv,
    'process start to exit',
  ),
]
if (py)
  rows.push(
    row(
      'lesson Python (mmap+re+Counter)',
      py.wallMs,
      py.peakRssBytes,
      py.result.pv,
      py.result.uv,
      py.result.pv === figures.pv && py.result.uv === figures.uv
        ? 'exact'
        : 'wrong counts (misses IPv6)',
    ),
  )
if (goaccess)
  rows.push(
    row(
      'GoAccess',
      goaccess.wallMs,
      goaccess.peakRssBytes,
      goaccess.pv,
      goaccess.uv,
      `${goaccess.pv === figures.pv ? 'PV exact' : 'PV differs'}; UV = IP + day + agent`,
    ),
  )
rows.push(row('wc -l (reading speed limit)', wc2.wallMs, wc2.peakRssBytes, null, null))

console.log('')
console.table(rows)
console.log(
  `Reopening the stored analysis (summary, series, memory, top 100 clients): ${reopenMs.toFixed(0)} ms`,
)
const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? '',
    memoryBytes: totalmem(),
    node: process.version,
  },
  log: {
    path: logPath,
    bytes: size,
    lines: figures.lines,
    clients: figures.uv,
    expected: { pv: figures.pv, uv: figures.uv },
  },
  loglens: {
    ...summary,
    wallMs: ll.wallMs,
    cliPeakRssBytes: ll.peakRssBytes,
    exact,
    reopenMs,
    runs: runs.map((r) => ({
      elapsedMs: r.summary.elapsedMs,
      wallMs: r.wallMs,
      peakRssBytes: r.summary.peakRssBytes,
    })),
  },
  rows,
  memorySamples: samples,
  warmup: { wcColdMs: wc.wallMs },
}
writeFileSync(join(outDir, 'bench.json'), JSON.stringify(result, null, 2))
writeFileSync(join(outDir, 'report.html'), reportHtml(result))
await screenshot(join(outDir, 'report.html'), join(outDir, 'report.png'))
if (!o['keep-db']) for (const f of dbFiles(dbPath)) rmSync(f, { force: true })
console.log(`\nWrote ${join(o.out, 'bench.json')}, report.html and report.png`)
if (!exact) {
  console.error('LogLens counts differ from the generator’s: this is a bug.')
  process.exit(1)
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A small self-contained page: the comparison table and memory over time against the budget. */
function reportHtml(r) {
  const W = 860
  const H = 300
  const pad = { l: 56, r: 16, t: 16, b: 36 }
  const s = r.memorySamples
  const tMax = Math.max(1, ...s.map((x) => x.t))
  const yMax = Math.max(110 * 1048576, ...s.map((x) => x.rss)) * 1.05
  const X = (t) => pad.l + (t / tMax) * (W - pad.l - pad.r)
  const Y = (v) => H - pad.b - (v / yMax) * (H - pad.t - pad.b)
  const path = (k) =>
    s.map((p, i) => `${i ? 'L' : 'M'}${X(p.t).toFixed(1)},${Y(p[k]).toFixed(1)}`).join('')
  const budget = Y(100 * 1048576)
  const ticks = [0, 25, 50, 75, 100]
    .map((m) => `<text x="${pad.l - 8}" y="${Y(m * 1048576) + 4}" text-anchor="end">${m} MB</text>`)
    .join('')
  const rowsHtml = r.rows
    .map(
      (x) =>
        `<tr><td>${esc(x.name)}</td><td>${x.wallS}</td><td>${x.mbPerS}</td><td>${x.linesPerS.toLocaleString('en')}</td><td>${x.peakRssMB}</td><td>${x.pv?.toLocaleString('en') ?? '–'}</td><td>${x.uv?.toLocaleString('en') ?? '–'}</td><td>${esc(x.note)}</td></tr>`,
    )
    .join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>LogLens benchmark</title><style>
body{font:14px/1.5 system-ui,'WenQuanYi Micro Hei',sans-serif;margin:24px 24px 56px;color:#1b1f24;position:relative;min-height:calc(100vh - 80px)}
table{border-collapse:collapse;margin:12px 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}th{white-space:nowrap}td:first-child,th:first-child,td:last-child{text-align:left}
svg text{font-size:11px;fill:#555}.legend span{display:inline-block;margin-right:16px}.sw{display:inline-block;width:14px;height:3px;vertical-align:middle;margin-right:6px}
.wm{position:fixed;right:16px;bottom:12px;color:#000;opacity:.28;font-size:14px;letter-spacing:1px}
</style></head><body>
<h1>LogLens benchmark</h1>
<p>${esc(r.date)} · ${r.machine.cpus} cores (${esc(r.machine.model)}), Node ${esc(r.machine.node)} · log ${mb(r.log.bytes)} MB, ${r.log.lines.toLocaleString('en')} lines, ${r.log.clients.toLocaleString('en')} clients (nginx combined, warm cache)</p>
<p>Reopening the stored analysis (summary, series, memory curve, top 100 clients): ${r.loglens.reopenMs.toFixed(0)} ms</p>
<table><tr><th>tool</th><th>wall (s)</th><th>MB/s</th><th>lines/s</th><th>peak RSS MB</th><th>PV</th><th>UV</th><th></th></tr>${rowsHtml}</table>
<h2>Aggregator memory over time</h2>
<svg width="${W}" height="${H}" role="img" aria-label="Aggregator RSS and heap over time against the 100 MB budget">
<line x1="${pad.l}" x2="${W - pad.r}" y1="${budget}" y2="${budget}" stroke="#d1242f" stroke-dasharray="6 4"/>
${ticks}
<text x="${W - pad.r}" y="${H - 8}" text-anchor="end">${(tMax / 1000).toFixed(1)} s</text><text x="${pad.l}" y="${H - 8}">0 s</text>
<path d="${path('rss')}" fill="none" stroke="#0969da" stroke-width="2"/>
<path d="${path('heap')}" fill="none" stroke="#8250df" stroke-width="1.5"/>
</svg>
<div class="legend"><span><i class="sw" style="background:#0969da"></i>RSS</span><span><i class="sw" style="background:#8250df"></i>JS heap</span><span><i class="sw" style="background:#d1242f"></i>100 MB budget</span><span>程序员晚枫出品</span></div>
<div class="wm">程序员晚枫</div>
</body></html>`
}

async function screenshot(htmlPath, pngPath) {
  const chromium = process.env.LOGLENS_CHROMIUM ?? '/usr/bin/chromium'
  if (!existsSync(chromium)) return console.warn('bench: no Chromium, skipping report.png')
  const { chromium: pw } = await import('playwright-core')
  const browser = await pw.launch({
    executablePath: chromium,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  try {
    const page = await browser.newPage({
      viewport: { width: 940, height: 700 },
      deviceScaleFactor: 2,
    })
    await page.goto('file://' + htmlPath)
    await page.screenshot({ path: pngPath, fullPage: true })
  } finally {
    await browser.close()
  }
}
