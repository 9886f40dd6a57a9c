// The CLI's own sentences (usage, its options' errors) in English and Chinese. `--lang zh|en`
// chooses, else the LANG environment variable, as for the app. The engine's errors are
// translated by error-text.ts and report.ts.
import type { Locale } from '../shared/contract'
import { localeFrom } from '../service/locale'
import type { WriteFailure } from '../shared/write-failure'

// EXPORT_KINDS (shared/contract.ts) spelled out: that module loads zod, ~10 ms before the
// aggregator's fork (index.ts loads only light modules first). A test keeps them the same.
const EXPORTS = 'html|pdf|png|csv|json'

const usageEn = (
  db: string,
): string => `LogLens — web access logs to page views, visitors and per-IP counts.

Usage:
  loglens analyze FILE|FOLDER… [--db FILE] [--format F] [--jobs N] [--name NAME] [--json] [--lang zh|en]
  loglens report [--db FILE] [--analysis ID] --format ${EXPORTS} --out PATH [--chart ID] [--lang zh|en]
  loglens serve [--port N] [--host 127.0.0.1] [--db FILE] [--lang zh|en]
  loglens generate --out FILE [--size 100MB] [--lines N] [--clients N] [--ipv6 SHARE] [--seed N]
                   [--invalid SHARE] [--span SECONDS]
  loglens --help | --version      (or --help after any command)

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
          --clients N        distinct clients (default 1000)
          --ipv6 SHARE       share of them that are IPv6, 0 to 1 (default 0)
          --invalid SHARE    share of lines that are not valid log lines, 0 to 1 (default 0)
          --span SECONDS     time the log covers (default 86400, one day)
          --seed N           another seed, another log (default 1)

--lang    zh or en: the language of messages and reports (default: from LANG).
Database: --db FILE, default ${db} (shared with the desktop app).
`

const usageZh = (
  db: string,
): string => `LogLens：把网站访问日志变成页面浏览量（PV）、独立访客（UV）和每个 IP 的计数。

用法：
  loglens analyze 文件|文件夹… [--db 文件] [--format 格式] [--jobs N] [--name 名称] [--json] [--lang zh|en]
  loglens report [--db 文件] [--analysis 编号] --format ${EXPORTS} --out 路径 [--chart 图表] [--lang zh|en]
  loglens serve [--port N] [--host 127.0.0.1] [--db 文件] [--lang zh|en]
  loglens generate --out 文件 [--size 100MB] [--lines N] [--clients N] [--ipv6 比例] [--seed N]
                   [--invalid 比例] [--span 秒数]
  loglens --help | --version      （也可以写在任何命令之后：--help）

analyze   统计日志（普通文本或 .gz；多个文件合为一次分析），结果存入数据库。
          --format   auto（默认，自动识别）、combined、common、vhost_combined、combined_extra，
                     或用引号括起的 nginx log_format / Apache LogFormat 格式串
          --jobs N   解析线程数（默认每个 CPU 核心一个，最多 2 个：内存预算）
          --json     在标准输出打印 JSON 摘要（进度仍在标准错误输出）
report    把已保存的分析（默认是最近完成的一次）导出为文件（--out 可以是文件夹）。
          PDF 和 PNG 需要 Chromium（/usr/bin/chromium，或用 LOGLENS_CHROMIUM 指定）。
          --chart  png：traffic、memory、top-ips 或 statuses（默认导出整个视图）；
                   csv：ips（默认，每个 IP 一行）、traffic、memory、statuses、paths、
                   agents、referrers 或 invalid
serve     在浏览器中打开 LogLens：打印一个带访问令牌的本地地址。
generate  生成一份合成的 nginx combined 日志（结果固定；文件名以 .gz 结尾时压缩），
          并以 JSON 打印它的准确数字（PV、UV、访问最多的客户端）：用于基准测试和演示。
          --clients N        不同客户端的个数（默认 1000）
          --ipv6 比例        其中 IPv6 客户端的比例，0 到 1（默认 0）
          --invalid 比例     无效行的比例，0 到 1（默认 0）
          --span 秒数        日志覆盖的时长（默认 86400，即一天）
          --seed N           换一个种子，生成另一份日志（默认 1）

--lang    zh 或 en：消息和报告的语言（默认取自环境变量 LANG）。
数据库：--db 文件，默认 ${db}（与桌面应用共用）。
`

const en = {
  usage: usageEn,
  badArgs: (detail: string) => detail,
  unknownCommand: (c: string) => `unknown command "${c}".`,
  analyzeNeedsFiles: 'analyze needs at least one log file or folder.',
  jobsRange:
    '--jobs takes a whole number from 1 to 64, or 0 for the default (one per core, at most 2).',
  generateNeedsOut: 'generate needs --out FILE.',
  generateNeedsSize: 'generate needs --size or --lines.',
  badNumber: (option: string, text: string, range: string) =>
    `${option} takes ${range}, not "${text}".`,
  range: {
    count: 'a whole number of at least 1',
    share: 'a number from 0 to 1',
    seed: 'a whole number',
  },
  /** Why a file could not be written (writeFailure), in words. */
  cannotWrite: (path: string, why: WriteFailure, detail: string) =>
    ({
      no_folder: `cannot write ${path}: its folder does not exist.`,
      denied: `cannot write ${path}: permission denied. Choose a folder you can write to.`,
      read_only: `cannot write ${path}: the disk is read-only. Choose a folder you can write to.`,
      full: `cannot write ${path}: the disk is full (nothing was kept).`,
      is_folder: `${path} is a folder; give --out a file name.`,
      other: `cannot write ${path}: ${detail}`,
    })[why],
  badSize: (text: string) => `cannot read the size "${text}" (examples: 100MB, 1GB).`,
  portRange: '--port takes a number from 0 to 65535.',
  portInUse: (port: number) =>
    `port ${port} is already in use (another LogLens, or another program). Choose another with --port N, or --port 0 for any free one.`,
  portDenied: (port: number) =>
    `port ${port} may not be opened by this user. Choose one above 1023 with --port N, or --port 0 for any free one.`,
  serverFailed: (detail: string) => `could not start the server: ${detail}`,
  reportNeedsFormat: `report needs --format ${EXPORTS}.`,
  reportUnknownFormat: (format: string) =>
    `report cannot export "${format}": --format takes ${EXPORTS}.`,
  reportNeedsOut: 'report needs --out PATH (a file, or a folder to put it in).',
  analysisNumber: '--analysis takes the number of an analysis (see `loglens analyze --json`).',
  dbCannotOpen: (db: string, detail: string) =>
    `The database ${db} cannot be opened: ${detail}. Choose another file with --db FILE, or one in a folder you can write to.`,
  dbOther: (message: string) =>
    `${message.replace(/\.?$/, '.')} Choose another file with --db FILE, or one in a folder you can write to.`,
}

export type CliMessages = typeof en

const zh: CliMessages = {
  usage: usageZh,
  badArgs: (detail: string) => `参数有误：${detail}`,
  unknownCommand: (c: string) => `没有“${c}”这个命令。`,
  analyzeNeedsFiles: 'analyze 需要至少一个日志文件或文件夹。',
  jobsRange: '--jobs 取 1 到 64 的整数，或 0 表示默认（每个核心一个，最多 2 个）。',
  generateNeedsOut: 'generate 需要 --out 文件。',
  generateNeedsSize: 'generate 需要 --size 或 --lines。',
  badNumber: (option: string, text: string, range: string) =>
    `${option} 取${range}，而不是“${text}”。`,
  range: {
    count: '不小于 1 的整数',
    share: '0 到 1 之间的数',
    seed: '整数',
  },
  cannotWrite: (path: string, why: WriteFailure, detail: string) =>
    ({
      no_folder: `无法写入 ${path}：所在的文件夹不存在。`,
      denied: `无法写入 ${path}：没有权限。请换一个你有写入权限的文件夹。`,
      read_only: `无法写入 ${path}：磁盘是只读的。请换一个你有写入权限的文件夹。`,
      full: `无法写入 ${path}：磁盘已满（没有留下任何文件）。`,
      is_folder: `${path} 是一个文件夹；请给 --out 一个文件名。`,
      other: `无法写入 ${path}：${detail}`,
    })[why],
  badSize: (text: string) => `无法识别大小“${text}”（例如 100MB、1GB）。`,
  portRange: '--port 取 0 到 65535 的数字。',
  portInUse: (port: number) =>
    `端口 ${port} 已被占用（另一个 LogLens 或其他程序）。请用 --port N 换一个，或用 --port 0 让系统任选一个空闲端口。`,
  portDenied: (port: number) =>
    `当前用户不能打开端口 ${port}。请用 --port N 选一个大于 1023 的端口，或用 --port 0 任选一个空闲端口。`,
  serverFailed: (detail: string) => `无法启动服务器：${detail}`,
  reportNeedsFormat: `report 需要 --format ${EXPORTS}。`,
  reportUnknownFormat: (format: string) => `report 不能导出“${format}”：--format 可选 ${EXPORTS}。`,
  reportNeedsOut: 'report 需要 --out 路径（一个文件，或存放它的文件夹）。',
  analysisNumber: '--analysis 取一次分析的编号（见 `loglens analyze --json`）。',
  dbCannotOpen: (db: string, detail: string) =>
    `无法打开数据库 ${db}：${detail}。请用 --db 换一个文件，或放在你有写入权限的文件夹里。`,
  dbOther: (message: string) =>
    `${message.replace(/[。.]?$/, '。')}请用 --db 换一个文件，或放在你有写入权限的文件夹里。`,
}

export function cliMessages(lang: Locale): CliMessages {
  return lang === 'zh-CN' ? zh : en
}

/**
 * The language of a command line before its options are parsed (their errors are said in it
 * too): the last `--lang X` or `--lang=X`, else the LANG environment variable.
 */
export function langOfArgs(args: readonly string[], env: string | undefined): Locale {
  let tag = env
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') break
    if (a === '--lang') tag = args[++i]
    else if (a.startsWith('--lang=')) tag = a.slice('--lang='.length)
  }
  return localeFrom(tag)
}
