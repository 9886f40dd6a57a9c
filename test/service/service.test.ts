// The service with real aggregator processes (child_process.fork of the built entry), a real
// SQLite file and real files: the job lifecycle, crashes, cancel, the queue, bad input.
import { spawn } from 'node:child_process'
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { Readable } from 'node:stream'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  AnalysisService,
  dispatchCall,
  nodeLauncher,
  type AggregatorLauncher,
  type ServiceOptions,
} from '../../src/service'
import { generateLogFile } from '../../src/engine/generate/generator'
import { errorText } from '../../src/renderer/src/i18n/error-text'
import {
  ERROR_LOG,
  UTF16_TEXT,
  type ErrorInfo,
  type JobEvent,
  type JobState,
  type ProgressEvent,
} from '../../src/shared/types'
import { AGGREGATOR_ENTRY, requireBuild, ROOT } from '../support/build'

const dir = mkdtempSync(join(tmpdir(), 'loglens-service-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(() => requireBuild())

let services: AnalysisService[] = []
afterEach(async () => {
  await Promise.all(services.map((s) => s.close()))
  services = []
})

function service(
  name: string,
  launcher: AggregatorLauncher = nodeLauncher,
  extra: Partial<ServiceOptions> = {},
): AnalysisService {
  const s = new AnalysisService({
    ...extra,
    dbPath: join(dir, `${name}.db`),
    aggregatorEntry: AGGREGATOR_ENTRY,
    launcher,
    samplePath: join(ROOT, 'resources', 'sample', 'access.log.gz'),
    workDir: join(dir, `${name}-work`),
    front: 'browser',
    version: 'test',
  })
  services.push(s)
  return s
}

/** The service options of `loglens analyze` (cli/index.ts createService). */
const CLI_OPTIONS: Partial<ServiceOptions> = {
  sortIndexes: 'top',
  livePartials: false,
  checkpointAlong: true,
}

/** The bundled sample analysed into `name`.db as `loglens analyze` does (top-N index only). */
async function analysedAsTheCliDoes(name: string): Promise<number> {
  const cli = service(name, nodeLauncher, CLI_OPTIONS)
  const { id } = await analyse(cli, [join(ROOT, 'resources', 'sample', 'access.log.gz')])
  await cli.close()
  return id
}

const TERMINAL: JobState[] = ['complete', 'cancelled', 'incomplete', 'failed']

function ended(s: AnalysisService, id: () => number): Promise<JobEvent> {
  return new Promise((resolve) => {
    const off = s.on('job', (e) => {
      if (e.analysisId === id() && TERMINAL.includes(e.state)) {
        off()
        resolve(e)
      }
    })
  })
}

async function analyse(s: AnalysisService, paths: string[], format?: string) {
  const sel = await s.registerPaths(paths, 'path')
  let id = 0
  const done = ended(s, () => id)
  ;({ analysisId: id } = await s.handlers.startAnalysis({
    fileIds: sel.files.map((f) => f.id),
    ...(format ? { format } : {}),
  }))
  return { id, event: await done, sel }
}

describe('AnalysisService', () => {
  it('runs the bundled sample end to end: progress, partial results, a stored detail', async () => {
    const s = service('sample')
    const progress: number[] = []
    s.on('progress', (p) => progress.push(p.bytesDone))
    const partials: number[] = []
    s.on('partial', (p) => partials.push(p.pv))
    const sel = await s.handlers.openSample(undefined)
    expect(sel.files).toHaveLength(1)
    let id = 0
    const done = ended(s, () => id)
    ;({ analysisId: id } = await s.handlers.startAnalysis({ fileIds: [sel.files[0]!.id] }))
    const e = await done
    expect(e.state).toBe('complete')
    expect(progress.length).toBeGreaterThan(0)
    const d = await s.handlers.getAnalysis({ id })
    // The last partial result, sent once every line was read, has them all.
    expect(partials.at(-1)).toBe(d.summary.pv)
    expect(d.summary.pv + d.summary.invalid).toBe(d.summary.linesRead)
    expect(d.summary.uv).toBeGreaterThan(1000)
    expect(d.memory.length).toBeGreaterThan(0)
    expect(d.summary.peakRssBytes).toBeGreaterThan(0)
    const list = await s.handlers.listAnalyses(undefined)
    expect(list.map((a) => a.id)).toContain(id)
  })

  it('sends no partial results to a caller that shows only progress (the CLI)', async () => {
    const s = service('progress-only', nodeLauncher, CLI_OPTIONS)
    let progress = 0
    let partials = 0
    s.on('progress', () => progress++)
    s.on('partial', () => partials++)
    const { id, event } = await analyse(s, [join(ROOT, 'resources', 'sample', 'access.log.gz')])
    expect(event.state).toBe('complete')
    expect(progress).toBeGreaterThan(0)
    expect(partials).toBe(0)
    expect((await s.handlers.getAnalysis({ id })).summary.pv).toBeGreaterThan(1000)
  })

  it('refuses a non-log file before storing anything, naming the file', async () => {
    const s = service('notlog')
    const text = join(dir, 'notes.txt')
    writeFileSync(text, 'dear diary\nnothing here looks like an access log\n')
    const png = join(dir, 'pic.log')
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))
    const empty = join(dir, 'empty.log')
    writeFileSync(empty, '')
    const sel = await s.registerPaths([png, empty], 'path')
    expect(sel.files).toHaveLength(0)
    expect(sel.skipped.map((x) => x.error.code).sort()).toEqual(['EMPTY_INPUT', 'NOT_A_LOG'])
    expect(sel.skipped.find((x) => x.name === 'pic.log')!.error.message).toMatch(/PNG image/)
    const t = await s.registerPaths([text], 'path')
    await expect(s.handlers.startAnalysis({ fileIds: [t.files[0]!.id] })).rejects.toMatchObject({
      info: { code: 'NOT_A_LOG', params: { file: 'notes.txt' } },
    })
    expect(await s.handlers.listAnalyses(undefined)).toHaveLength(0)
  })

  it('names a web server error log chosen instead of the access log', async () => {
    const s = service('errorlog')
    const nginx = join(dir, 'error.log')
    writeFileSync(
      nginx,
      '2024/01/31 12:00:00 [error] 811#811: *1 open() "/var/www/favicon.ico" failed (2: No such file or directory), client: 203.0.113.5, server: example.org, request: "GET /favicon.ico HTTP/1.1"\n' +
        '2024/01/31 12:00:07 [warn] 811#811: *2 an upstream response is buffered to a temporary file\n',
    )
    const apache = join(dir, 'ssl_error_log')
    writeFileSync(
      apache,
      '[Wed Jan 31 12:00:00.123456 2024] [core:error] [pid 4242] [client 203.0.113.5:51234] AH00126: Invalid URI in request GET /%%% HTTP/1.1\n' +
        '[Wed Jan 31 12:00:01 2024] [error] [client 203.0.113.6] File does not exist: /var/www/robots.txt\n',
    )
    for (const [path, server] of [
      [nginx, 'nginx'],
      [apache, 'Apache'],
    ] as const) {
      const sel = await s.registerPaths([path], 'path')
      const start = Promise.resolve(s.handlers.startAnalysis({ fileIds: [sel.files[0]!.id] }))
      await expect(start).rejects.toMatchObject({
        info: { code: 'NOT_A_LOG', params: { kind: ERROR_LOG, server } },
      })
      await expect(start).rejects.toThrow(`is an ${server} error log, not an access log`)
      const { info } = (await start.catch((e: unknown) => e)) as { info: ErrorInfo }
      const zh = errorText(info, 'zh-CN', 'cli')
      expect(zh).toContain('看起来是 Web 服务器的错误日志，不是访问日志。请改为打开访问日志')
    }
    // An access log with a few error lines pasted in is still read as an access log; chosen
    // after the error log, it names the analysis (the error log is left out).
    const mixed = join(dir, 'access-with-errors.log')
    generateLogFile(mixed, { lines: 40, clients: 5 })
    appendFileSync(mixed, '2024/01/31 12:00:00 [error] 811#811: *1 oops\n')
    const sel = await s.registerPaths([nginx, mixed], 'path')
    const { analysisId } = await s.handlers.startAnalysis({ fileIds: sel.files.map((f) => f.id) })
    expect((await s.handlers.getAnalysis({ id: analysisId })).summary.name).toBe(
      'access-with-errors.log +1',
    )
  })

  it('names UTF-16 text as such and says to save it as UTF-8; UTF-8 with Chinese is read', async () => {
    const s = service('utf16')
    const utf8 = join(dir, 'access-utf8.log')
    generateLogFile(utf8, { lines: 200, clients: 20 })
    // A UTF-8 log whose paths are Chinese: many bytes above 0x7f, no zero bytes.
    const text = readFileSync(utf8, 'utf8').replace(/GET \/\S*/g, 'GET /文档/页面')
    writeFileSync(utf8, text)
    const le = join(dir, 'access-le.log')
    writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    const be = join(dir, 'access-be.log.gz')
    // Big-endian, with no byte-order mark, compressed.
    writeFileSync(be, gzipSync(Buffer.from(text, 'utf16le').swap16()))
    const sel = await s.registerPaths([utf8, le, be], 'path')
    expect(sel.files.map((f) => f.name)).toEqual(['access-utf8.log'])
    expect(sel.skipped.map((x) => x.name)).toEqual(['access-le.log', 'access-be.log.gz'])
    for (const x of sel.skipped) {
      expect(x.error).toMatchObject({ code: 'NOT_A_LOG', params: { kind: UTF16_TEXT } })
      expect(x.error.message).toBe(
        `${x.name} is UTF-16 text; LogLens reads access logs as nginx and Apache write them (UTF-8). Save it as UTF-8 and open it again.`,
      )
      expect(errorText(x.error, 'zh-CN', 'cli')).toBe(
        `“${x.name}”是 UTF-16 编码的文本。LogLens 按 nginx 和 Apache 写出的编码（UTF-8）读取访问日志：请将它另存为 UTF-8 后重新打开。`,
      )
    }
  })

  it('expands a folder to its access logs, leaving out error logs and non-logs', async () => {
    const s = service('folder')
    const f = join(dir, 'logs')
    rmSync(f, { recursive: true, force: true })
    mkdirSync(join(f, 'old'), { recursive: true })
    generateLogFile(join(f, 'access.log'), { lines: 100, clients: 10 })
    generateLogFile(join(f, 'access.log.1'), { lines: 100, clients: 10, seed: 2 })
    generateLogFile(join(f, 'old', 'access.log.2.gz'), { lines: 100, clients: 10, seed: 3 })
    writeFileSync(join(f, 'error.log'), '2024/01/01 00:00:00 [error] oops\n')
    writeFileSync(join(f, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))
    const sel = await s.registerPaths([f], 'path')
    expect(sel.files.map((x) => x.name)).toEqual(['access.log', 'access.log.1', 'access.log.2.gz'])
    expect(sel.skipped.map((x) => x.name)).toEqual(['error.log'])
    const empty = join(dir, 'nothing-here')
    mkdirSync(empty, { recursive: true })
    const none = await s.registerPaths([empty], 'path')
    expect(none.files).toHaveLength(0)
    expect(none.skipped[0]!.error.code).toBe('NOT_A_LOG')
  })

  it('reads a file chosen twice once: in one selection, a folder and a file in it, two drops', async () => {
    const s = service('twice')
    const f = join(dir, 'twice')
    rmSync(f, { recursive: true, force: true })
    mkdirSync(f, { recursive: true })
    const log = join(f, 'access.log')
    const fig = generateLogFile(log, { lines: 300, clients: 20, seed: 9 })
    expect((await s.registerPaths([log, log], 'path')).files).toHaveLength(1)
    const sel = await s.registerPaths([f, log], 'path')
    expect(sel.files.map((x) => x.name)).toEqual(['access.log'])
    expect(sel.skipped).toEqual([])
    // Two selections (two drops of the same file) handed to one analysis.
    const again = await s.registerPaths([log], 'path')
    let id = 0
    const done = ended(s, () => id)
    ;({ analysisId: id } = await s.handlers.startAnalysis({
      fileIds: [sel.files[0]!.id, again.files[0]!.id],
    }))
    expect((await done).state).toBe('complete')
    const d = await s.handlers.getAnalysis({ id })
    expect(d.summary.pv).toBe(fig.pv)
    expect(d.summary.files).toHaveLength(1)
  })

  it('runs an analysis again on the files still there, and says which are gone', async () => {
    const s = service('retry')
    const f = join(dir, 'retry')
    rmSync(f, { recursive: true, force: true })
    mkdirSync(f, { recursive: true })
    const a = join(f, 'access.log')
    const b = join(f, 'access.log.1')
    const figA = generateLogFile(a, { lines: 300, clients: 20, seed: 21 })
    generateLogFile(b, { lines: 200, clients: 10, seed: 22 })
    const first = await analyse(s, [a, b])
    expect(first.event.state).toBe('complete')
    rmSync(b)
    let id = 0
    const done = ended(s, () => id)
    const again = await s.handlers.retryAnalysis({ analysisId: first.id })
    id = again.analysisId
    expect(again.skipped).toEqual([
      {
        name: 'access.log.1',
        error: expect.objectContaining({ code: 'NOT_FOUND', params: { file: 'access.log.1' } }),
      },
    ])
    expect((await done).state).toBe('complete')
    const d = await s.handlers.getAnalysis({ id })
    expect(d.summary.files.map((x) => x.name)).toEqual(['access.log'])
    expect(d.summary.pv).toBe(figA.pv)
    // With none left, it says so and starts nothing.
    rmSync(a)
    await expect(s.handlers.retryAnalysis({ analysisId: first.id })).rejects.toMatchObject({
      info: { code: 'NOT_FOUND', params: { file: 'access.log' } },
    })
    expect(await s.handlers.listAnalyses(undefined)).toHaveLength(2)
  })

  it('says an upload from an earlier session is gone, not that it was moved', async () => {
    const s = service('retry-upload')
    const text = generateLogFile(join(dir, 'up-src.log'), { lines: 100, clients: 5, seed: 23 })
    const sel = await s.registerUpload(
      'week 48.log',
      Readable.from([readFileSync(join(dir, 'up-src.log'))]),
    )
    let id = 0
    const done = ended(s, () => id)
    ;({ analysisId: id } = await s.handlers.startAnalysis({ fileIds: [sel.files[0]!.id] }))
    expect((await done).state).toBe('complete')
    expect((await s.handlers.getAnalysis({ id })).summary.pv).toBe(text.pv)
    // A later `loglens serve` has another data folder: the copy is not there.
    rmSync(join(dir, 'retry-upload-work', 'uploads'), { recursive: true, force: true })
    await expect(s.handlers.retryAnalysis({ analysisId: id })).rejects.toMatchObject({
      info: { code: 'NOT_FOUND', params: { file: 'week 48.log', uploaded: 1 } },
    })
  })

  it('gives the same totals for rotated files in any order as for the concatenated log', async () => {
    const s = service('rotated')
    const a = join(dir, 'r.log')
    const b = join(dir, 'r.log.1')
    const c = join(dir, 'r.log.2.gz')
    generateLogFile(a, { lines: 3000, clients: 400, seed: 11 })
    generateLogFile(b, { lines: 2000, clients: 300, seed: 12, ipv6Share: 0.2 })
    const { readFileSync } = await import('node:fs')
    const cText = (() => {
      const tmp = join(dir, 'r2.txt')
      generateLogFile(tmp, { lines: 2500, clients: 500, seed: 13 })
      return readFileSync(tmp)
    })()
    writeFileSync(c, gzipSync(cText))
    const all = join(dir, 'all.log')
    writeFileSync(all, Buffer.concat([readFileSync(a), readFileSync(b), cText]))
    const split = await analyse(s, [c, a, b])
    const whole = await analyse(s, [all])
    const d1 = await s.handlers.getAnalysis({ id: split.id })
    const d2 = await s.handlers.getAnalysis({ id: whole.id })
    for (const k of ['pv', 'uv', 'invalid', 'bodyBytes', 'firstTime', 'lastTime'] as const)
      expect(d1.summary[k], k).toBe(d2.summary[k])
    expect(d1.statuses).toEqual(d2.statuses)
    expect(d1.topIps).toEqual(d2.topIps)
  })

  it('marks the analysis itself when the aggregator could not (another program held the database)', async () => {
    const name = 'held'
    const dbPath = join(dir, `${name}.db`)
    const log = join(dir, 'held.log')
    generateLogFile(log, { lines: 50_000, clients: 2_000, seed: 24 })
    const s = service(name, nodeLauncher, CLI_OPTIONS)
    // Another program: once told, it takes the write lock and holds it for 11.5 s. The
    // aggregator's final write waits out its busy timeout (5 s) and fails; writing how it ended
    // waits 5 s more and fails too; the service's own mark then waits for the lock and succeeds.
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3')
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require(${JSON.stringify(sqlite)}))(${JSON.stringify(dbPath)})
         process.stdin.once('data', () => {
           db.exec('BEGIN IMMEDIATE')
           db.exec("UPDATE meta SET value = value WHERE key = 'created_at'")
           process.stdout.write('locked\\n')
           setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0) }, 11_500)
         })
         process.stdout.write('open\\n')`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    )
    const said = (word: string): Promise<void> =>
      new Promise((resolve) =>
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes(word) && resolve()),
      )
    const holderExit = new Promise<number | null>((resolve) => holder.on('exit', resolve))
    await said('open')
    const locked = said('locked')
    // As soon as the aggregator runs (before its first write: it writes only at the end).
    const off = s.on('job', (e) => {
      if (e.state === 'running') {
        off()
        holder.stdin!.write('go\n')
      }
    })
    const { id, event } = await analyse(s, [log])
    await locked
    expect(event.state).toBe('incomplete')
    expect(event.error?.code).toBe('DB_LOCKED')
    expect(await holderExit).toBe(0)
    const d = await s.handlers.getAnalysis({ id })
    expect(d.summary.status).toBe('incomplete')
    expect(d.summary.error?.code).toBe('DB_LOCKED')
  }, 60_000)

  it('an aggregator started ahead of its job runs it; a spare one is stopped by close()', async () => {
    const launched: { pid: number; ready: Promise<void>; exited: Promise<string> }[] = []
    const launcher: AggregatorLauncher = (entry) => {
      const ch = nodeLauncher(entry)
      launched.push({
        pid: ch.pid!,
        ready: new Promise((r) => ch.onMessage((m) => m.type === 'ready' && r())),
        exited: new Promise((r) => ch.onExit((code, signal) => r(`${code}/${signal}`))),
      })
      return ch
    }
    const s = service('prewarm', launcher)
    s.prewarm()
    expect(launched).toHaveLength(1)
    // Ready before the job exists: its 'ready' must be kept for the job.
    await launched[0]!.ready
    const first = await analyse(s, [join(ROOT, 'resources', 'sample', 'access.log.gz')])
    expect(first.event.state).toBe('complete')
    expect(launched).toHaveLength(1)
    const d = await s.handlers.getAnalysis({ id: first.id })
    expect(d.summary.pv).toBeGreaterThan(1000)

    // One that ended before its job came is not used: the job starts a fresh process.
    s.prewarm()
    expect(launched).toHaveLength(2)
    process.kill(launched[1]!.pid, 'SIGKILL')
    await launched[1]!.exited
    const second = await analyse(s, [join(ROOT, 'resources', 'sample', 'access.log.gz')])
    expect(second.event.state).toBe('complete')
    expect(launched).toHaveLength(3)

    // One no job takes ends with the service.
    s.prewarm()
    expect(launched).toHaveLength(4)
    await launched[3]!.ready
    await s.close()
    // Asked to leave (not killed after close()'s grace period).
    expect(await launched[3]!.exited).toBe('0/null')
    expect(() => process.kill(launched[3]!.pid, 0)).toThrow()
  })

  it('copies the final rows into the database file as the aggregator commits them, when asked (the CLI)', async () => {
    // ~170k distinct clients: the final rows commit in four parts (every 51,200 rows).
    const log = join(dir, 'along.log')
    generateLogFile(log, { lines: 400_000, clients: 200_000, seed: 23, ipv6Share: 0.1 })
    const checkpointsWhileWriting = async (along: boolean): Promise<string[]> => {
      const lines: string[] = []
      let writing = true
      const s = service(`along-${along}`, nodeLauncher, {
        ...CLI_OPTIONS,
        checkpointAlong: along,
        log: (_level, message) => {
          if (writing && message.startsWith('checkpoint:')) lines.push(message)
        },
      })
      const { event } = await analyse(s, [log])
      writing = false
      expect(event.state).toBe('complete')
      const d = await s.handlers.getAnalysis({ id: event.analysisId })
      expect(d.summary.uv).toBeGreaterThan(3 * 51_200)
      return lines
    }
    const along = await checkpointsWhileWriting(true)
    // One per part, each copying what the log held then (the aggregator writes on meanwhile).
    expect(along.length).toBeGreaterThanOrEqual(4)
    for (const line of along) {
      const [, copied, pages] = /checkpoint: (\d+) of (\d+) /.exec(line)!
      expect(Number(copied)).toBeGreaterThan(0)
      expect(Number(copied)).toBe(Number(pages))
    }
    // Off (the app's default): the service leaves the log to the aggregator.
    expect(await checkpointsWhileWriting(false)).toEqual([])
  }, 60_000)

  it("indexes the CLI leaves out are built by a long-lived front's service when it is idle", async () => {
    const name = 'deferred-indexes'
    const dbPath = join(dir, `${name}.db`)
    const log = join(dir, 'deferred.log')
    generateLogFile(log, { lines: 4000, clients: 900, seed: 21, ipv6Share: 0.1 })
    const indexesOf = (id: number): { names: string[]; flagged: number } => {
      const db = new Database(dbPath, { readonly: true })
      try {
        const names = db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?")
          .pluck()
          .all(`ip_counts_${id}`) as string[]
        const flagged = db.prepare('SELECT ip_indexed FROM analyses WHERE id = ?').pluck().get(id)
        return { names: names.sort(), flagged: flagged as number }
      } finally {
        db.close()
      }
    }
    const all = (id: number): string[] =>
      ['bytes', 'first', 'last', 'pv', 'top'].map((x) => `ip_counts_${id}_${x}`)

    // As `loglens analyze` runs it: only the top-N index, made with the final write.
    const cli = service(name, nodeLauncher, { sortIndexes: 'top' })
    const a = await analyse(cli, [log])
    const b = await analyse(cli, [log])
    await cli.close()
    expect(indexesOf(a.id)).toEqual({ names: [`ip_counts_${a.id}_top`], flagged: 0 })
    expect(indexesOf(b.id)).toEqual({ names: [`ip_counts_${b.id}_top`], flagged: 0 })

    // The app opens the database: an index builder starts; a write (here a rename) stops it
    // before it has built anything, and it runs again once the service is idle.
    const launched: { exited: Promise<string> }[] = []
    const launcher: AggregatorLauncher = (entry) => {
      const ch = nodeLauncher(entry)
      launched.push({
        exited: new Promise((r) => ch.onExit((code, signal) => r(`${code}/${signal}`))),
      })
      return ch
    }
    const app = service(name, launcher)
    app.indexWhenIdle()
    expect(launched).toHaveLength(1)
    await app.handlers.renameAnalysis({ id: a.id, name: 'renamed' })
    expect(await launched[0]!.exited).toBe('null/SIGKILL')
    await vi.waitFor(() => expect(launched).toHaveLength(2))
    expect(await launched[1]!.exited).toBe('0/null')
    expect(indexesOf(a.id)).toEqual({ names: all(a.id), flagged: 1 })
    expect(indexesOf(b.id)).toEqual({ names: all(b.id), flagged: 1 })
    // Nothing is left to build: no further process.
    app.indexWhenIdle()
    expect(launched).toHaveLength(2)
    // Still the same counts, now read through the indexes.
    const page = await app.handlers.queryIps({
      id: b.id,
      sort: 'bytes',
      dir: 'desc',
      offset: 0,
      limit: 5,
    })
    expect(page.rows.map((r) => r.bytes)).toEqual(
      [...page.rows.map((r) => r.bytes)].sort((x, y) => y - x),
    )
  })

  it('an index builder asked to wait starts no sooner', async () => {
    const name = 'index-later'
    const id = await analysedAsTheCliDoes(name)
    let launches = 0
    const counting: AggregatorLauncher = (entry) => (launches++, nodeLauncher(entry))
    const app = service(name, counting)
    app.indexWhenIdle(400)
    await new Promise((r) => setTimeout(r, 250))
    expect(launches).toBe(0)
    await vi.waitFor(
      () => {
        const db = new Database(join(dir, `${name}.db`), { readonly: true })
        try {
          expect(db.prepare('SELECT ip_indexed FROM analyses WHERE id = ?').pluck().get(id)).toBe(1)
        } finally {
          db.close()
        }
      },
      { timeout: 5000, interval: 50 },
    )
    expect(launches).toBe(1)
  })

  it('an index builder that fails is not started again and again', async () => {
    const name = 'index-gives-up'
    const id = await analysedAsTheCliDoes(name)
    let launches = 0
    // A process that dies at once, as a broken runtime or binding would.
    const broken: AggregatorLauncher = (entry) => {
      launches++
      const ch = nodeLauncher(entry)
      ch.onMessage((m) => m.type === 'ready' && ch.kill())
      return ch
    }
    const app = service(name, broken)
    app.indexWhenIdle()
    await new Promise((r) => setTimeout(r, 1500))
    expect(launches).toBe(1)
    // The analysis is still there and readable without the indexes.
    const d = await app.handlers.getAnalysis({ id })
    expect(d.topIps.length).toBeGreaterThan(0)
  })

  it('a killed aggregator: the job says so, the database stays consistent, the next job runs', async () => {
    let killFirst = true
    // Key-range records of a process that is gone (from an earlier run) and of the one killed
    // here (as if its table had filled): neither may be left behind.
    const stale = join(dir, 'spill-7-999999')
    mkdirSync(stale, { recursive: true })
    let killedDir = ''
    let lastSeen: ProgressEvent | null = null
    const launcher: AggregatorLauncher = (entry) => {
      const ch = nodeLauncher(entry)
      if (killFirst) {
        killFirst = false
        ch.onMessage((m) => {
          if (m.type === 'ready') {
            killedDir = join(dir, `spill-1-${m.pid}`)
            mkdirSync(killedDir)
            writeFileSync(join(killedDir, 't0-p0.rec'), Buffer.alloc(64))
          }
          if (m.type === 'progress' && m.progress.lines > 0 && !lastSeen) {
            // Long before the first of the service's saves every 2 s.
            lastSeen = m.progress
            ch.kill()
          }
        })
      }
      return ch
    }
    const s = service('crash', launcher)
    expect(existsSync(stale)).toBe(false)
    const big = join(dir, 'crash.log')
    generateLogFile(big, { bytes: 60e6, clients: 20_000, seed: 5 })
    const first = await analyse(s, [big])
    expect(first.event.state).toBe('incomplete')
    expect(first.event.error?.code).toBe('AGGREGATOR_CRASHED')
    const d = await s.handlers.getAnalysis({ id: first.id })
    expect(d.summary.status).toBe('incomplete')
    expect(d.summary.error?.code).toBe('AGGREGATOR_CRASHED')
    // "Results so far are kept": the totals and memory it last reported.
    const seen = lastSeen as ProgressEvent | null
    expect(seen!.elapsedMs).toBeLessThan(2000)
    expect(d.summary.linesRead).toBe(seen!.lines)
    expect(d.summary.bytesRead).toBe(seen!.bytesDone)
    expect(d.summary.pv).toBe(seen!.pv)
    expect(d.memory.length).toBeGreaterThan(0)
    expect(killedDir).not.toBe('')
    expect(existsSync(killedDir)).toBe(false)
    const db = new Database(join(dir, 'crash.db'), { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    const second = await analyse(s, [big])
    expect(second.event.state).toBe('complete')
  })

  it('queues analyses one at a time and cancels a queued one without running it', async () => {
    const s = service('queue')
    const f = join(dir, 'q.log')
    generateLogFile(f, { bytes: 30e6, clients: 5000, seed: 6 })
    const sel = await s.registerPaths([f], 'path')
    const states = new Map<number, JobState[]>()
    s.on('job', (e) => states.set(e.analysisId, [...(states.get(e.analysisId) ?? []), e.state]))
    const a = await s.handlers.startAnalysis({ fileIds: [sel.files[0]!.id] })
    const b = await s.handlers.startAnalysis({ fileIds: [sel.files[0]!.id] })
    await s.handlers.cancelAnalysis({ analysisId: b.analysisId })
    await new Promise<void>((resolve) => {
      const off = s.on('job', (e) => {
        if (e.analysisId === a.analysisId && TERMINAL.includes(e.state)) {
          off()
          resolve()
        }
      })
    })
    expect(states.get(b.analysisId)).toEqual(['queued', 'cancelled'])
    expect(states.get(a.analysisId)).toContain('complete')
    expect((await s.handlers.getAnalysis({ id: b.analysisId })).summary.status).toBe('cancelled')
  })

  it('a file cut short while it is read: results so far kept, marked incomplete', async () => {
    // One parse thread and a sample every 20 ms: the 80 MB take ~0.2 s to read, so the cut at
    // the first sample with bytes read comes well before the end (at 200 ms a sample, the file
    // could be read through before the first one).
    const s = service('shrink', nodeLauncher, { jobs: 1, sampleIntervalMs: 20 })
    const f = join(dir, 'shrink.log')
    const fig = generateLogFile(f, { bytes: 80e6, clients: 5000, seed: 7 })
    const sel = await s.registerPaths([f], 'path')
    let id = 0
    const done = ended(s, () => id)
    let cut = false
    s.on('progress', (p) => {
      if (p.analysisId === id && p.bytesDone > 0 && !cut) {
        cut = true
        truncateSync(f, Math.floor(fig.bytesWritten / 3))
      }
    })
    ;({ analysisId: id } = await s.handlers.startAnalysis({ fileIds: [sel.files[0]!.id] }))
    const e = await done
    expect(e.state).toBe('incomplete')
    expect(e.error?.code).toBe('FILE_CHANGED')
    const d = await s.handlers.getAnalysis({ id })
    expect(d.summary.pv).toBeGreaterThan(0)
    expect(d.summary.pv).toBeLessThan(fig.pv)
  })

  it('renames and deletes an analysis with everything stored with it', async () => {
    const s = service('rename')
    const f = join(dir, 'small.log')
    generateLogFile(f, { lines: 500, clients: 50 })
    const { id } = await analyse(s, [f])
    // Through the boundary every front uses: the argument is validated (and trimmed) there.
    const r = await dispatchCall(s.handlers, 'renameAnalysis', [{ id, name: '  Week 47  ' }])
    expect(r).toMatchObject({ ok: true, value: { name: 'Week 47' } })
    const bad = await dispatchCall(s.handlers, 'renameAnalysis', [{ id, name: '' }])
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    await s.handlers.deleteAnalysis({ id })
    await expect(async () => s.handlers.getAnalysis({ id })).rejects.toMatchObject({
      info: { code: 'NOT_FOUND' },
    })
    const db = new Database(join(dir, 'rename.db'), { readonly: true })
    const left = db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'ip_counts_%'")
      .get() as { n: number }
    expect(left.n).toBe(0)
    expect((db.prepare('SELECT count(*) AS n FROM series').get() as { n: number }).n).toBe(0)
    db.close()
  })

  it('a locked database gives DB_LOCKED, not a hang or a corrupt file', async () => {
    const s = service('locked')
    const f = join(dir, 'lock.log')
    generateLogFile(f, { lines: 200, clients: 20 })
    const sel = await s.registerPaths([f], 'path')
    const other = new Database(join(dir, 'locked.db'))
    other.pragma('busy_timeout = 0')
    other.exec('BEGIN EXCLUSIVE')
    try {
      await expect(s.handlers.startAnalysis({ fileIds: [sel.files[0]!.id] })).rejects.toMatchObject(
        {
          info: { code: 'DB_LOCKED' },
        },
      )
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    const { event } = await analyse(s, [f])
    expect(event.state).toBe('complete')
  }, 30_000)
})
