// `loglens analyze` as a user runs it: the built CLI in a child process, real files, a real
// database; JSON on stdout, progress and errors on stderr, exit codes.
import { spawn } from 'node:child_process'
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { gunzipSync } from 'node:zlib'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateLogFile } from '../../src/engine/generate/generator'
import { AGGREGATOR_ENTRY, CLI, ROOT, requireBuild, runLoglens } from '../support/build'

const dir = mkdtempSync(join(tmpdir(), 'loglens-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(() => requireBuild())

const REAL = process.env.LOGLENS_REAL_LOGS ?? resolve(ROOT, '..', 'shared', 'testdata', 'real-logs')

function loglens(args: string[], env: Record<string, string> = {}) {
  return runLoglens(args, join(dir, 'home'), env)
}

/** `loglens analyze LOG --json` with the WebAssembly parser, then with JavaScript's alone. */
async function analyseBothParsers(log: string, db: string): Promise<ReturnType<JSON['parse']>[]> {
  const out = []
  for (const env of [{}, { LOGLENS_WASM: '0' }] as Record<string, string>[]) {
    const r = await loglens(['analyze', log, '--db', db, '--json'], env)
    out.push(JSON.parse(r.stdout))
  }
  return out
}

describe('loglens analyze', () => {
  it('prints the JSON summary on stdout and lesson-style progress on stderr', async () => {
    const log = join(dir, 'access.log')
    const fig = generateLogFile(log, { lines: 120_000, clients: 3000, ipv6Share: 0.1, seed: 21 })
    const db = join(dir, 'a.db')
    const r = await loglens(['analyze', log, '--db', db, '--json', '--lang', 'en'])
    expect(r.code).toBe(0)
    const j = JSON.parse(r.stdout)
    expect(j).toMatchObject({
      db,
      status: 'complete',
      pv: fig.pv,
      uv: fig.uv,
      invalid: 0,
      bytesRead: fig.bytesWritten,
      bodyBytes: fig.bodyBytes,
      format: 'combined',
      formatDetected: true,
    })
    expect(j.topIps[0]).toEqual({
      ip: fig.topClients[0]!.ip,
      pv: fig.topClients[0]!.pv,
      bytes: expect.any(Number),
    })
    for (const k of ['analysisId', 'elapsedMs', 'peakRssBytes', 'linesPerSecond', 'mbPerSecond'])
      expect(j[k], k).toBeGreaterThan(0)
    expect(Object.values(j.statuses as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
      fig.pv,
    )
    expect(j.firstTime).toBe(new Date(fig.firstTime).toISOString())
    expect(r.stderr).toMatch(/^\[程序员晚枫\] Processed [\d.]+ (k|M) lines, memory [\d.]+ MB$/m)
    // No line before anything is counted.
    expect(r.stderr).not.toMatch(/Processed 0 lines/)
  })

  it('speaks Chinese progress with --lang zh, like the lesson', async () => {
    const log = join(dir, 'zh.log')
    generateLogFile(log, { lines: 5000, clients: 100 })
    const r = await loglens(['analyze', log, '--db', join(dir, 'zh.db'), '--lang', 'zh'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^\[程序员晚枫\] 已处理 [\d.]+ k 行,内存 [\d.]+ MB$/m)
    // The same line is not printed twice in a row (the last one repeats only if it changed).
    const lines = r.stderr.trim().split('\n')
    for (let i = 1; i < lines.length; i++) expect(lines[i]).not.toBe(lines[i - 1])
    expect(r.stdout).toMatch(/^分析 #\d+\(已完成\)$/m)
    expect(r.stdout).toContain('PV: 5,000')
  })

  it('says what went wrong in Chinese with --lang zh: a file left out, a file that is no log', async () => {
    const log = join(dir, 'zh-ok.log')
    generateLogFile(log, { lines: 500, clients: 10 })
    const notes = join(dir, 'zh-notes.txt')
    writeFileSync(notes, '购物清单\n- 牛奶\n- 面包\n')
    const gone = join(dir, 'zh-gone.log')
    const db = join(dir, 'zh-errors.db')
    const mixed = await loglens(['analyze', log, gone, notes, '--db', db, '--lang', 'zh'])
    expect(mixed.code).toBe(1)
    expect(mixed.stderr).toContain(
      'loglens: 已跳过 zh-gone.log：找不到“zh-gone.log”，它可能已被移动或删除。\n',
    )
    expect(mixed.stderr).toContain('loglens: “zh-notes.txt”看起来不是 Web 访问日志。')
    expect(mixed.stdout).toMatch(/^分析 #\d+\(未完成\)$/m)
    const none = await loglens(['analyze', notes, '--db', db, '--lang', 'zh'])
    expect(none.code).toBe(1)
    expect(none.stderr.trim()).toBe(
      'loglens: “zh-notes.txt”看起来不是 Web 访问日志。LogLens 可以读取 nginx 和 Apache 的访问日志（纯文本或 .gz）。已尝试的格式：combined, common, vhost_combined, combined_extra。如果它使用自定义的 nginx log_format，请用 --format 传入该格式串。',
    )
  })

  it('names an error log chosen beside the access log, and reads the access log', async () => {
    const log = join(dir, 'access-beside.log')
    generateLogFile(log, { lines: 300, clients: 10 })
    const err = join(dir, 'error-beside.log')
    writeFileSync(
      err,
      '2024/01/31 12:00:00 [error] 811#811: *1 open() "/var/www/x" failed (2: No such file or directory)\n',
    )
    const r = await loglens(['analyze', err, log, '--db', join(dir, 'beside.db'), '--json'])
    expect(r.stderr).toContain(
      'loglens: error-beside.log is an nginx error log, not an access log: open the access log instead (usually access.log, beside it). It was left out of the analysis.',
    )
    const j = JSON.parse(r.stdout)
    expect([j.status, j.pv]).toEqual(['incomplete', 300])
  })

  it('says every file it left out: a line each on stderr, all in the JSON', async () => {
    const log = join(dir, 'two-out.log')
    generateLogFile(log, { lines: 300, clients: 10 })
    const a = join(dir, 'two-out-a.txt')
    const b = join(dir, 'two-out-b.txt')
    writeFileSync(a, 'first notes\nmore\n')
    writeFileSync(b, 'second notes\nmore\n')
    const db = join(dir, 'two-out.db')
    const r = await loglens(['analyze', a, log, b, '--db', db, '--json', '--lang', 'en'])
    expect(r.code).toBe(1)
    const j = JSON.parse(r.stdout)
    expect(j.status).toBe('incomplete')
    expect(j.pv).toBe(300)
    expect(j.errors.map((e: { params: { file: string } }) => e.params.file)).toEqual([
      'two-out-a.txt',
      'two-out-b.txt',
    ])
    expect(j.error).toEqual(j.errors[0])
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('loglens: '))
    expect(lines).toEqual([
      expect.stringMatching(
        /^loglens: two-out-a\.txt does not look .*It was left out of the analysis\.$/,
      ),
      expect.stringMatching(
        /^loglens: two-out-b\.txt does not look .*It was left out of the analysis\.$/,
      ),
    ])
    const zh = await loglens(['analyze', a, log, b, '--db', db, '--lang', 'zh'])
    expect(zh.stderr.match(/它未纳入本次分析。/g)?.length).toBe(2)
  })

  it('counts a real gzip log as its provenance says', async () => {
    const r = await loglens([
      'analyze',
      join(REAL, 'elastic_examples__apache_logs.gz'),
      '--db',
      join(dir, 'real.db'),
      '--json',
    ])
    const j = JSON.parse(r.stdout)
    expect([j.pv, j.uv, j.invalid]).toEqual([9999, 1753, 1])
    expect(j.topIps[0]).toMatchObject({ ip: '66.249.73.135', pv: 482 })
    expect(j.statuses['200']).toBe(9125)
    expect(r.code).toBe(0)
  })

  it('counts lines dated before 1991 (a clock not set) but keeps them off the time range', async () => {
    const text = gunzipSync(readFileSync(join(REAL, 'elastic_examples__apache_logs.gz')))
    const early = [
      '10.9.9.9 - - [01/Jan/1970:00:00:05 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/8"',
      '10.9.9.8 - - [31/Dec/1990:23:59:59 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/8"',
      // 1991 in UTC, though 1990 where it was written: on the chart.
      '10.9.9.7 - - [31/Dec/1990:23:30:00 -0100] "GET /x HTTP/1.1" 200 512 "-" "curl/8"',
    ].join('\n')
    const log = join(dir, 'unset-clock.log')
    writeFileSync(log, Buffer.concat([Buffer.from(early + '\n'), text]))
    const dbPath = join(dir, 'unset-clock.db')
    const drawn = (id: number): number => {
      const db = new Database(dbPath, { readonly: true })
      try {
        const row = db
          .prepare('SELECT coalesce(sum(pv), 0) AS pv FROM series WHERE analysis_id = ?')
          .get(id) as { pv: number }
        return row.pv
      } finally {
        db.close()
      }
    }
    for (const j of await analyseBothParsers(log, dbPath)) {
      // The clean log: 9,999 / 1,753 / 1; the three lines are counted, with their clients.
      expect([j.pv, j.uv, j.invalid]).toEqual([10_002, 1756, 1])
      expect([j.firstTime, j.lastTime]).toEqual([
        '1991-01-01T00:30:00.000Z',
        '2015-05-20T21:05:59.000Z',
      ])
      // Two are not drawn; the chart stays the log's three days, by the hour.
      expect(drawn(j.analysisId)).toBe(10_000)
    }
    // A log written entirely before 1991 (a device that never set its clock): all counted.
    const all = join(dir, 'unset-clock-iso.log')
    writeFileSync(
      all,
      ['1.2.3.4 [1970-01-01T00:00:09+00:00] 200', '1.2.3.5 [1970-01-01T00:01:00Z] 200'].join('\n'),
    )
    const r = await loglens([
      'analyze',
      all,
      '--db',
      dbPath,
      '--format',
      '$remote_addr [$time_iso8601] $status',
      '--json',
    ])
    const j = JSON.parse(r.stdout)
    expect([j.pv, j.uv, j.invalid, j.firstTime, j.lastTime]).toEqual([2, 2, 0, null, null])
    expect(drawn(j.analysisId)).toBe(0)
  })

  it('reads past blocks of zeros left by a crash, losing only the line they cut', async () => {
    // After a power loss the log's last writes can read back as zeros, with no newline after
    // them: the next line written is glued to them, and a line they cut is lost.
    const text = gunzipSync(readFileSync(join(REAL, 'elastic_examples__apache_logs.gz')))
    const lines = text.toString('latin1').split('\n')
    const cut = lines[6999]!
    // The cut line's client has other requests: the clients stay 1,753.
    const client = cut.split(' ')[0]!
    expect(lines.filter((l) => l.startsWith(client + ' ')).length).toBeGreaterThan(1)
    const zeros = '\0'.repeat(8192)
    const damaged = [
      ...lines.slice(0, 5000),
      zeros + lines[5000], // zeros at a line's start
      ...lines.slice(5001, 6999),
      cut.slice(0, 40) + zeros + lines[7000], // zeros in the middle of a line
      ...lines.slice(7001),
    ].join('\n')
    const log = join(dir, 'crashed.log')
    writeFileSync(log, Buffer.from(damaged, 'latin1'))
    for (const j of await analyseBothParsers(log, join(dir, 'crashed.db'))) {
      // The clean log: 9,999 of 10,000 lines valid; here one more is cut.
      expect([j.pv, j.uv, j.invalid]).toEqual([9998, 1753, 2])
      expect(j.invalidReasons).toEqual({ truncated: 2 })
    }
  })

  it('reads clients written with a port (X-Forwarded-For behind Azure) as the address', async () => {
    const text = gunzipSync(readFileSync(join(REAL, 'elastic_examples__apache_logs.gz')))
    // Every third line's client gets a port, as `1.2.3.4:51234`.
    const withPorts = text
      .toString('latin1')
      .split('\n')
      .map((l, i) => (i % 3 === 0 && l ? l.replace(' ', `:${40000 + i} `) : l))
      .join('\n')
    expect(withPorts).toContain('66.249.73.135:')
    const log = join(dir, 'ports.log')
    writeFileSync(log, Buffer.from(withPorts, 'latin1'))
    for (const j of await analyseBothParsers(log, join(dir, 'ports.db'))) {
      // As the clean log (PROVENANCE.md): 9,999 valid lines of 1,753 clients.
      expect([j.pv, j.uv, j.invalid]).toEqual([9999, 1753, 1])
      expect(j.topIps[0]).toMatchObject({ ip: '66.249.73.135', pv: 482 })
    }
  })

  it('a non-log file: one line on stderr naming it, a non-zero exit, nothing stored', async () => {
    const bin = join(dir, 'image.png')
    writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]))
    const db = join(dir, 'bad.db')
    const r = await loglens(['analyze', bin, '--db', db, '--json'])
    expect(r.code).not.toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/image\.png is not a log file/)
    const text = join(dir, 'readme.txt')
    writeFileSync(text, 'hello\nworld\n')
    const t = await loglens(['analyze', text, '--db', db])
    expect(t.code).toBe(1)
    expect(t.stderr.trim().split('\n')).toHaveLength(1)
    expect(t.stderr).toMatch(/readme\.txt does not look like a web access log/)
    const gone = await loglens(['analyze', join(dir, 'no-such.log'), '--db', db])
    expect(gone.code).toBe(1)
    expect(gone.stderr.trim()).toBe(
      'loglens: nothing to analyse. no-such.log was not found. It may have been moved or deleted.',
    )
    const stored = new Database(db, { readonly: true })
    expect((stored.prepare('SELECT count(*) AS n FROM analyses').get() as { n: number }).n).toBe(0)
    stored.close()
  })

  it('sums up a log of which no line fits the chosen format without empty headings', async () => {
    const log = join(dir, 'common-only.log')
    writeFileSync(
      log,
      Array.from(
        { length: 30 },
        (_, i) =>
          `10.0.0.${i} - - [10/Oct/2020:13:55:${10 + i} +0000] "GET /p HTTP/1.1" 200 ${i}\n`,
      ).join(''),
    )
    const db = join(dir, 'common-only.db')
    for (const [lang, range, suggestion] of [
      [
        'en',
        '  Time range: none (no valid line dated after 1990)',
        '  Most lines did not parse: try --format common',
      ],
      [
        'zh',
        '  时间范围: 无(没有 1991 年以后日期的有效行)',
        '  大多数行无法解析:试试 --format common',
      ],
    ] as const) {
      const r = await loglens(['analyze', log, '--format', 'combined', '--db', db, '--lang', lang])
      expect(r.code).toBe(0)
      const lines = r.stdout.split('\n')
      expect(lines[0]).toMatch(
        /^(Analysis|分析) #\d+ ?\((complete, but no line matched the format: nothing counted|已完成：没有一行符合日志格式，未统计到任何内容)\)$/,
      )
      expect(lines).toContain(range)
      expect(lines).toContain(suggestion)
      expect(r.stdout).not.toMatch(/Top IPs|访问最多的 IP|…/)
      expect(r.stdout).toMatch(/PV: 0 {3}UV: 0/)
    }
    // A log with clients lists them under the heading.
    const ok = await loglens(['analyze', log, '--db', db])
    expect(ok.stdout).toMatch(/^Analysis #\d+ \(complete\)\n/)
    expect(ok.stdout).toMatch(/ {2}Top IPs:\n {4}10\.0\.0\.\d+ +1\n/)
    expect(ok.stdout).toMatch(/Time range: 2020-10-10T13:55:10\.000Z … 2020-10-10T13:55:39\.000Z/)
  })

  it('an empty file: one line, exit 1', async () => {
    const empty = join(dir, 'empty2.log')
    writeFileSync(empty, '')
    const r = await loglens(['analyze', empty, '--db', join(dir, 'e.db')])
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe('loglens: nothing to analyse. empty2.log is empty.')
  })

  it('Ctrl+C cancels the analysis: what was counted is stored as cancelled, exit 130', async () => {
    // Long enough on one thread to be interrupted: a generated log written ten times over.
    const chunk = join(dir, 'chunk.log')
    const fig = generateLogFile(chunk, { bytes: 40e6, clients: 20_000, seed: 31 })
    const log = join(dir, 'long.log')
    const data = readFileSync(chunk)
    writeFileSync(log, '')
    for (let i = 0; i < 10; i++) appendFileSync(log, data)
    const db = join(dir, 'interrupted.db')
    // Its own process group, as a terminal's: Ctrl+C reaches the CLI and its aggregator alike.
    const child = spawn(
      process.execPath,
      [CLI, 'analyze', log, '--db', db, '--json', '--jobs', '1', '--lang', 'en'],
      { detached: true, env: { ...process.env, LOGLENS_HOME: join(dir, 'home') } },
    )
    let stdout = ''
    let stderr = ''
    let sent = false
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (!sent && stderr.includes('Processed')) {
        sent = true
        process.kill(-child.pid!, 'SIGINT')
      }
    })
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)))
    expect(sent).toBe(true)
    expect(stderr).toContain('loglens: cancelling the analysis')
    expect(code).toBe(130)
    const j = JSON.parse(stdout)
    expect(j.status).toBe('cancelled')
    // The aggregator, in the same group, did not die with the CLI: it wrote its clients.
    expect(j.uv).toBeGreaterThan(0)
    expect(j.topIps.length).toBeGreaterThan(0)
    expect(j.linesRead).toBeGreaterThan(0)
    expect(j.linesRead).toBeLessThan(10 * fig.lines)
    const conn = new Database(db, { readonly: true })
    const row = conn
      .prepare('SELECT status, lines_read FROM analyses WHERE id = ?')
      .get(j.analysisId)
    conn.close()
    expect(row).toEqual({ status: 'cancelled', lines_read: j.linesRead })
  })

  it('usage errors exit 2 with the usage', async () => {
    const r = await loglens(['analyze'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Usage:/)
    const j = await loglens(['analyze', 'x.log', '--jobs', 'many'])
    expect(j.code).toBe(2)
    // It says what it takes, the default's 0 included.
    expect(j.stderr).toContain('or 0 for the default (one per core, at most 2)')
  })

  it('says its usage errors and usage in Chinese with --lang zh, or a Chinese LANG', async () => {
    const r = await loglens(['analyze', '--lang', 'zh'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('loglens: analyze 需要至少一个日志文件或文件夹。')
    expect(r.stderr).toContain('用法：')
    expect(r.stderr).not.toMatch(/Usage:/)
    // Before the options are read: an unknown one is said in the language asked for too.
    const bad = await loglens(['analyze', 'x.log', '--bogus', '--lang=zh'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^loglens: 参数有误：.*--bogus/)
    const help = await loglens(['--help'], { LANG: 'zh_CN.UTF-8' })
    expect(help.stdout).toMatch(/^LogLens：/)
    // --lang wins over LANG.
    const en = await loglens(['serve', '--port', 'x', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' })
    expect(en.stderr).toBe('loglens: --port takes a number from 0 to 65535.\n')
  })
})

describe('the aggregator started ahead of the job', () => {
  it('boots no parse worker for files that are parsed inline, and only then', async () => {
    const { parsesInline } = await import('../../src/cli/start-aggregator')
    const small = join(dir, 'small.log')
    generateLogFile(small, { lines: 2000, clients: 50 })
    const big = join(dir, 'sparse-20mb.log')
    writeFileSync(big, '')
    truncateSync(big, 20 << 20)
    expect(parsesInline([small, small], 0)).toBe(true)
    expect(parsesInline([small, big], 0)).toBe(false)
    expect(parsesInline([small, big], 1)).toBe(true)
    // A folder may hold anything; a path that is not there is the job's to report.
    expect(parsesInline([dir], 0)).toBe(false)
    expect(parsesInline([join(dir, 'missing.log')], 0)).toBe(false)
  })

  it.skipIf(process.platform !== 'linux')(
    'an aggregator told to start no worker ahead runs fewer threads (Linux: /proc)',
    async () => {
      const { nodeLauncher } = await import('../../src/service/launcher')
      const threadsOnceReady = async (env: Record<string, string>): Promise<number> => {
        const ch = nodeLauncher(AGGREGATOR_ENTRY, env)
        await new Promise<void>((r) => ch.onMessage((m) => m.type === 'ready' && r()))
        // The standby worker starts before 'ready'; give its thread a moment to exist.
        await new Promise((r) => setTimeout(r, 200))
        const n = readdirSync(`/proc/${ch.pid}/task`).length
        const exited = new Promise((r) => ch.onExit(r))
        ch.send({ type: 'shutdown' })
        await exited
        return n
      }
      const ahead = await threadsOnceReady({})
      const none = await threadsOnceReady({ LOGLENS_STANDBY_WORKERS: '0' })
      expect(none).toBeLessThan(ahead)
    },
  )

  it.skipIf(process.platform !== 'linux')(
    'starts the aggregator without NODE_EXTRA_CA_CERTS, and with the rest of its environment (Linux: /proc)',
    async () => {
      const { nodeLauncher } = await import('../../src/service/launcher')
      const ch = nodeLauncher(AGGREGATOR_ENTRY, {
        NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
        LOGLENS_TEST_MARK: 'kept',
      })
      await new Promise<void>((r) => ch.onMessage((m) => m.type === 'ready' && r()))
      const env = readFileSync(`/proc/${ch.pid}/environ`, 'utf8').split('\0')
      const exited = new Promise((r) => ch.onExit(r))
      ch.send({ type: 'shutdown' })
      await exited
      expect(env).toContain('LOGLENS_TEST_MARK=kept')
      expect(env).toContain('LOGLENS_AGGREGATOR=1')
      expect(env.filter((v) => v.startsWith('NODE_EXTRA_CA_CERTS='))).toEqual([])
    },
  )

  it('still parses on two threads, exactly, when told wrongly that none is needed', async () => {
    // Over the inline limit (16 MB), with no worker started ahead: the job starts its own.
    const log = join(dir, 'two-threads.log')
    const fig = generateLogFile(log, { bytes: 20e6, clients: 5000, ipv6Share: 0.05, seed: 5 })
    const db = join(dir, 'two-threads.db')
    const r = await loglens(['analyze', log, '--db', db, '--json'], {
      LOGLENS_STANDBY_WORKERS: '0',
    })
    expect(r.code).toBe(0)
    const j = JSON.parse(r.stdout)
    expect([j.pv, j.uv]).toEqual([fig.pv, fig.uv])
    const d = new Database(db, { readonly: true })
    try {
      expect(d.prepare('SELECT jobs FROM analyses WHERE id = ?').pluck().get(j.analysisId)).toBe(2)
    } finally {
      d.close()
    }
  })
})
