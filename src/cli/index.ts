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
import { defaultDbPath } from '../service/paths'
import type { AnalysisService } from '../service/service'
import type { Locale } from '../shared/contract'
import { cliMessages, langOfArgs, type CliMessages } from './messages'
import { writeFailure } from '../shared/write-failure'

const ROOT = join(__dirname, '..', '..')

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
  lang: Locale = 'en',
): Promise<AnalysisService> {
  const { AnalysisService } = await import('../service/service')
  try {
    return newService()
  } catch (e) {
    // SQLite's own words ("unable to open database file") name neither the file nor a way out.
    const { toErrorInfo } = await import('../engine/store/db')
    const { errorText } = await import('./error-text')
    const info = toErrorInfo(e, `database ${dbPath}`)
    const say = cliMessages(lang)
    throw new Error(
      info.code === 'DB_ERROR' || info.code === 'INTERNAL'
        ? say.dbCannotOpen(dbPath, (e as Error)?.message ?? String(e))
        : say.dbOther(errorText(info, lang, 'cli')),
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
export function parseSize(text: string, say: CliMessages = cliMessages('en')): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb|g|gb)?$/i.exec(text.trim())
  if (!m) return fail(say.badSize(text))
  const unit = (m[2] ?? '').toLowerCase()[0]
  const mult = unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : unit === 'g' ? 1e9 : 1
  return Math.round(Number(m[1]) * mult)
}

/**
 * A number option of `generate`: undefined when not given; a usage error (exit 2) when it is not
 * a whole number of at least 1 (count), a number from 0 to 1 (share) or a whole number (seed).
 */
function optionNumber(
  option: string,
  text: string | undefined,
  kind: 'count' | 'share' | 'seed',
  say: CliMessages = cliMessages('en'),
): number | undefined {
  if (text === undefined) return undefined
  const n = text.trim() === '' ? NaN : Number(text)
  const ok =
    kind === 'share'
      ? n >= 0 && n <= 1
      : kind === 'count'
        ? Number.isSafeInteger(n) && n >= 1
        : Number.isSafeInteger(n)
  return ok ? n : fail(say.badNumber(option, text, say.range[kind]))
}

function fail(message: string, code = 2): never {
  process.stderr.write(`loglens: ${message}\n`)
  process.exit(code)
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  // Known before the options are parsed: their errors are said in it too.
  const lang = langOfArgs(rest, process.env.LANG)
  const say = cliMessages(lang)
  const usage = say.usage(defaultDbPath())
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage)
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
          help: { type: 'boolean', short: 'h', default: false },
        },
      })
    } catch (e) {
      return fail(`${say.badArgs((e as Error).message)}\n\n${usage}`)
    }
  })()
  const { values: v, positionals } = parsed
  // `loglens analyze --help`: what the user asked for, not an unknown option.
  if (v.help) {
    process.stdout.write(usage)
    return 0
  }
  const dbPath = resolve(v.db ?? defaultDbPath())
  const workDir = mkdtempSync(join(tmpdir(), 'loglens-'))
  const cleanup = (): void => rmSync(workDir, { recursive: true, force: true })

  if (command === 'analyze') {
    if (positionals.length === 0) fail(`${say.analyzeNeedsFiles}\n\n${usage}`)
    const jobs = v.jobs === undefined ? 0 : Number(v.jobs)
    if (!Number.isInteger(jobs) || jobs < 0 || jobs > 64) fail(say.jobsRange)
    // The aggregator boots while this process loads the rest and registers and checks the files.
    const files = positionals.map((p) => resolve(p))
    const warm: HeldChannel | undefined = startAggregator(AGGREGATOR_ENTRY, files, jobs)
    const service = await createService(dbPath, workDir, { jobs }, lang).catch((e: unknown) => {
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
    if (!v.out) fail(say.generateNeedsOut)
    const bytes = v.size === undefined ? undefined : parseSize(v.size, say)
    const lines = optionNumber('--lines', v.lines, 'count', say)
    if (bytes === undefined && lines === undefined) fail(say.generateNeedsSize)
    const opts = {
      clients: optionNumber('--clients', v.clients, 'count', say) ?? 1000,
      ipv6Share: optionNumber('--ipv6', v.ipv6, 'share', say) ?? 0,
      ipv6Spellings: v.ipv6 !== undefined,
      invalidShare: optionNumber('--invalid', v.invalid, 'share', say) ?? 0,
      spanSeconds: optionNumber('--span', v.span, 'count', say) ?? 86400,
      seed: optionNumber('--seed', v.seed, 'seed', say) ?? 1,
    }
    const out = resolve(v.out)
    const { generateLogFile } = await import('../engine/generate/generator')
    const figures = (() => {
      try {
        return generateLogFile(out, {
          ...(bytes !== undefined ? { bytes } : {}),
          ...(lines !== undefined ? { lines } : {}),
          ...opts,
        })
      } catch (e) {
        const err = e as NodeJS.ErrnoException
        const why = writeFailure(err.code)
        // A disk that filled midway leaves part of a log: not one whose figures were printed.
        // Only then: a file that could not be opened (read-only, say) is left as it was.
        if (why === 'full') rmSync(out, { force: true })
        // ENOENT, EACCES, ENOSPC…: the file and the reason, not a stack of fs words.
        return fail(say.cannotWrite(out, why, err.message), 1)
      }
    })()
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
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(say.portRange)
    // Loaded only for `serve`: its WebSocket server (ws) is ~30 ms of every other command's start.
    const { startServer } = await import('./serve')
    const service = await createService(dbPath, workDir, undefined, lang)
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
          ? say.portInUse(port)
          : e.code === 'EACCES'
            ? say.portDenied(port)
            : say.serverFailed(e.message),
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
  return fail(`${say.unknownCommand(command)}\n\n${usage}`)
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`loglens: ${(e as Error)?.message ?? String(e)}\n`)
    process.exit(1)
  },
)
