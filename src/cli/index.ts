// The `loglens` command: the same engine and database as the desktop app, for engineers, scripts
// and CI. `analyze` prints a summary (JSON with --json) on stdout and progress on stderr;
// `serve` opens the app's UI in a local browser; `report` exports a stored analysis.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
// Only light modules here: `analyze` starts its aggregator process before the service, SQLite
// and the engine load (~50 ms of this process's start, in which the aggregator boots).
import { nodeLauncher, type HeldChannel } from '../service/launcher'
import { startAggregator } from './start-aggregator'
import { localeFrom } from '../service/locale'
import { defaultDbPath } from '../service/paths'
import type { AnalysisService } from '../service/service'

const ROOT = join(__dirname, '..', '..')

export const USAGE = `LogLens — web access logs to page views, visitors and per-IP counts.

Usage:
  loglens analyze FILE|FOLDER… [--db FILE] [--format F] [--jobs N] [--name NAME] [--json] [--lang zh|en]
  loglens report [--db FILE] [--analysis ID] --format html|pdf|png|csv|json --out PATH [--chart ID] [--lang zh|en]
  loglens serve [--port N] [--host 127.0.0.1] [--db FILE]
  loglens generate --out FILE [--size 100MB] [--lines N] [--clients N] [--ipv6 SHARE] [--seed N]
  loglens --help | --version

analyze   Count the logs (plain or .gz, several files form one analysis) into the database.
          --format   auto (default), combined, common, vhost_combined, combined_extra, or an
                     nginx log_format / Apache LogFormat string in quotes
          --jobs N   parser threads (default: one per core, at most 2: the memory budget)
          --json     print the summary as JSON on stdout (progress stays on stderr)
report    Export a stored analysis (the latest finished one by default) to a file (--out may
          be a folder). PDF and PNG need Chromium (/usr/bin/chromium, or set LOGLENS_CHROMIUM).
          --chart  png: traffic, memory, top-ips or statuses (default: the whole view);
                   csv: ips (default: every per-IP row), traffic, memory, statuses, paths,
                   agents, referrers or invalid
serve     Open the LogLens app in your browser: prints a local address with an access token.
generate  Write a synthetic nginx combined log (deterministic; .gz when FILE ends in .gz) and
          print its exact figures (PV, UV, top clients) as JSON: for benchmarks and demos.

Database: --db FILE, default ${defaultDbPath()} (shared with the desktop app).
`

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version
  } catch {
    return '0.0.0'
  }
}

const AGGREGATOR_ENTRY = join(__dirname, 'aggregator.js')

/**
 * The service behind a command. `analyze`: the settings of one `loglens analyze`, which waits for
 * its aggregator and leaves. Only the top-N index, which the final write makes, is there when it
 * exits: the table view's sort indexes over all clients (~0.7 s per 500k clients) are built by
 * the app or `loglens serve` when they next open the database. No live partial results: the
 * command prints only progress. And while the aggregator writes its final rows, this process
 * copies each committed part into the database file (checkpointAlong), on the other core.
 */
export async function createService(
  dbPath: string,
  workDir: string,
  analyze?: { jobs: number },
): Promise<AnalysisService> {
  const { AnalysisService } = await import('../service/service')
  try {
    return newService()
  } catch (e) {
    // SQLite's own words ("unable to open database file") name neither the file nor a way out.
    const { toErrorInfo } = await import('../engine/store/db')
    const info = toErrorInfo(e, `database ${dbPath}`)
    const what =
      info.code === 'DB_ERROR' || info.code === 'INTERNAL'
        ? `The database ${dbPath} cannot be opened: ${(e as Error)?.message ?? String(e)}`
        : info.message
    throw new Error(
      `${what.replace(/\.?$/, '.')} Choose another file with --db FILE, or one in a folder you can write to.`,
      { cause: e },
    )
  }

  function newService() {
    return new AnalysisService({
      dbPath,
      aggregatorEntry: AGGREGATOR_ENTRY,
      launcher: nodeLauncher,
      samplePath: join(ROOT, 'resources', 'sample', 'access.log.gz'),
      workDir,
      front: 'browser',
      version: version(),
      jobs: analyze?.jobs ?? 0,
      ...(analyze
        ? { sortIndexes: 'top' as const, livePartials: false, checkpointAlong: true }
        : {}),
      log: (level, message) => {
        if (level === 'error' || process.env.LOGLENS_DEBUG) process.stderr.write(`${message}\n`)
      },
    })
  }
}

/** "100MB", "1.5GB", "2048" → bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb|g|gb)?$/i.exec(text.trim())
  if (!m) return fail(`cannot read the size "${text}" (examples: 100MB, 1GB).`)
  const unit = (m[2] ?? '').toLowerCase()[0]
  const mult = unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : unit === 'g' ? 1e9 : 1
  return Math.round(Number(m[1]) * mult)
}

function fail(message: string, code = 2): never {
  process.stderr.write(`loglens: ${message}\n`)
  process.exit(code)
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(version() + '\n')
    return 0
  }
  const parsed = (() => {
    try {
      return parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          db: { type: 'string' },
          format: { type: 'string' },
          jobs: { type: 'string' },
          name: { type: 'string' },
          json: { type: 'boolean', default: false },
          lang: { type: 'string' },
          port: { type: 'string' },
          host: { type: 'string' },
          analysis: { type: 'string' },
          out: { type: 'string' },
          chart: { type: 'string' },
          size: { type: 'string' },
          lines: { type: 'string' },
          clients: { type: 'string' },
          ipv6: { type: 'string' },
          seed: { type: 'string' },
          invalid: { type: 'string' },
          span: { type: 'string' },
        },
      })
    } catch (e) {
      return fail(`${(e as Error).message}\n\n${USAGE}`)
    }
  })()
  const { values: v, positionals } = parsed
  const dbPath = resolve(v.db ?? defaultDbPath())
  const lang = localeFrom(v.lang ?? process.env.LANG)
  const workDir = mkdtempSync(join(tmpdir(), 'loglens-'))
  const cleanup = (): void => rmSync(workDir, { recursive: true, force: true })

  if (command === 'analyze') {
    if (positionals.length === 0) fail('analyze needs at least one log file or folder.\n\n' + USAGE)
    const jobs = v.jobs === undefined ? 0 : Number(v.jobs)
    if (!Number.isInteger(jobs) || jobs < 0 || jobs > 64)
      fail(
        '--jobs takes a whole number from 1 to 64, or 0 for the default (one per core, at most 2).',
      )
    // The aggregator boots while this process loads the rest and registers and checks the files.
    const files = positionals.map((p) => resolve(p))
    const warm: HeldChannel | undefined = startAggregator(AGGREGATOR_ENTRY, files, jobs)
    const service = await createService(dbPath, workDir, { jobs }).catch((e: unknown) => {
      warm?.kill()
      throw e
    })
    service.prewarm(warm)
    const { runAnalyze } = await import('./analyze')
    try {
      return await runAnalyze(service, {
        files,
        format: v.format ?? 'auto',
        name: v.name,
        json: v.json ?? false,
        lang,
        dbPath,
      })
    } finally {
      await service.close()
      cleanup()
    }
  }

  if (command === 'generate') {
    cleanup()
    if (!v.out) fail('generate needs --out FILE.')
    const bytes = v.size === undefined ? undefined : parseSize(v.size)
    const lines = v.lines === undefined ? undefined : Number(v.lines)
    if (bytes === undefined && lines === undefined) fail('generate needs --size or --lines.')
    const { generateLogFile } = await import('../engine/generate/generator')
    const figures = generateLogFile(resolve(v.out), {
      ...(bytes !== undefined ? { bytes } : {}),
      ...(lines !== undefined ? { lines } : {}),
      clients: v.clients === undefined ? 1000 : Number(v.clients),
      ipv6Share: v.ipv6 === undefined ? 0 : Number(v.ipv6),
      ipv6Spellings: v.ipv6 !== undefined,
      invalidShare: v.invalid === undefined ? 0 : Number(v.invalid),
      spanSeconds: v.span === undefined ? 86400 : Number(v.span),
      seed: v.seed === undefined ? 1 : Number(v.seed),
    })
    process.stdout.write(JSON.stringify(figures, null, 2) + '\n')
    return 0
  }

  if (command === 'report') {
    try {
      // Loaded only for `report`: the report engine (jsdom, React, recharts) is heavy.
      const { runReport } = await import('./report')
      return await runReport({
        dbPath,
        analysisId: v.analysis === undefined ? undefined : Number(v.analysis),
        format: v.format,
        out: v.out,
        lang,
        chart: v.chart,
        version: version(),
      })
    } finally {
      cleanup()
    }
  }

  if (command === 'serve') {
    const port = v.port === undefined ? 0 : Number(v.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      fail('--port takes a number from 0 to 65535.')
    // Loaded only for `serve`: its WebSocket server (ws) is ~30 ms of every other command's start.
    const { startServer } = await import('./serve')
    const service = await createService(dbPath, workDir)
    // Indexes that `loglens analyze` left out, built while the server waits.
    service.indexWhenIdle(1000)
    const server = await startServer({
      service,
      rendererDir: join(ROOT, 'out', 'renderer'),
      host: v.host ?? '127.0.0.1',
      port,
      log: (m) => process.stderr.write(m + '\n'),
    }).catch((e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'EADDRINUSE'
          ? `port ${port} is already in use (another LogLens, or another program). Choose another with --port N, or --port 0 for any free one.`
          : e.code === 'EACCES'
            ? `port ${port} may not be opened by this user. Choose one above 1023 with --port N, or --port 0 for any free one.`
            : `could not start the server: ${e.message}`,
        1,
      ),
    )
    process.stdout.write(
      lang === 'zh-CN'
        ? `LogLens 已启动:请在浏览器中打开 ${server.url}\n(数据库:${dbPath};按 Ctrl+C 退出)\n`
        : `LogLens is running at ${server.url}\nOpen it in your browser. (Database: ${dbPath}; press Ctrl+C to stop.)\n`,
    )
    await new Promise<void>((resolveStop) => {
      const stop = (): void => resolveStop()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await server.close()
    await service.close()
    cleanup()
    return 0
  }

  cleanup()
  return fail(`unknown command "${command}".\n\n${USAGE}`)
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`loglens: ${(e as Error)?.message ?? String(e)}\n`)
    process.exit(1)
  },
)
