// `loglens report`: export a stored analysis (the latest finished one by default) as HTML, PDF,
// PNG, CSV or JSON. Reads the database read-only. PDF and PNG drive a local Chromium through
// playwright-core (see engine/report/chromium.ts). The written path goes to stdout; what
// happened, in the user's language, to stderr. Exit codes: 0 written, 1 failed, 2 usage.
import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { EXPORT_KINDS, type ExportKind, type Locale } from '../shared/contract'
import type { ErrorInfo } from '../shared/types'
import { countOf } from '../shared/plural'
import { WATERMARK_TEXT } from '../shared/types'
import { createChromiumPrinter } from '../engine/report/chromium'
import {
  exportableSummary,
  exportPart,
  latestExportable,
  ReportError,
  suggestedFileName,
  writeExport,
} from '../engine/report'
import { openDatabase, toErrorInfo, type Db } from '../engine/store/db'
import { countText } from './progress-line'
import { cliMessages } from './messages'

export interface ReportOptions {
  dbPath: string
  analysisId?: number
  format?: string
  out?: string
  lang: Locale
  chart?: string
  version?: string
}

const say = {
  en: {
    wrote: (file: string, size: string, id: number, name: string) =>
      `Wrote ${file} (${size}) from analysis ${id} “${name}”.`,
    partial: (status: string) =>
      `Note: this analysis is ${status}; the export covers only what was read and is marked partial.`,
    rows: (n: string, mb: string) =>
      `[${WATERMARK_TEXT}] Exported ${countOf(n, 'row', 'rows')}, memory ${mb} MB`,
    noDb: (p: string) =>
      `There is no LogLens database at ${p}. Run \`loglens analyze\` first, or pass --db FILE.`,
    empty: 'This database has no finished analysis to export. Run `loglens analyze FILE` first.',
  },
  'zh-CN': {
    wrote: (file: string, size: string, id: number, name: string) =>
      `已导出 ${file}（${size}），来自分析 ${id}“${name}”。`,
    partial: (status: string) =>
      `注意：此分析${status === 'cancelled' ? '已取消' : '未完成'}，导出内容只包含已读取的部分，并已标注为部分结果。`,
    rows: (n: string, mb: string) => `[${WATERMARK_TEXT}] 已导出 ${n} 行,内存 ${mb} MB`,
    noDb: (p: string) =>
      `${p} 不是 LogLens 数据库（文件不存在）。请先运行 \`loglens analyze\`，或用 --db 指定数据库。`,
    empty: '这个数据库里没有已完成的分析可以导出。请先运行 `loglens analyze 文件`。',
  },
} as const

/** Chinese sentences for the export failures a CLI user can meet (the English ones are in ErrorInfo). */
function zhError(info: ErrorInfo): string | null {
  const p = info.params ?? {}
  switch (info.code === 'EXPORT_FAILED' || info.code === 'INVALID_INPUT' ? p.reason : info.code) {
    case 'unknown_chart':
      return `没有“${p.chart}”这个图表：请从 ${p.choices} 中选一个（不指定则导出整个视图）。`
    case 'unknown_table':
      return `没有“${p.chart}”这个 CSV 表：请从 ${p.choices} 中选一个。`
    case 'no_chart':
      return `只有 PNG 和 CSV 导出可以选择图表，${p.kind} 不能。`
    case 'not_writable':
      return `无法写入文件夹 ${p.folder}（没有权限）。请换一个文件夹。`
    case 'disk_full':
      return `磁盘已满，导出到 ${p.folder} 的文件没有保存。请释放一些空间后重试。`
    case 'no_folder':
      return `文件夹 ${p.folder} 不存在。`
    case 'is_folder':
      return `${p.path} 是一个文件夹，请指定文件名。`
    case 'still_running':
      return `分析 ${p.id} 还在进行中。请等它结束（或取消它）后再导出。`
    case 'NOT_FOUND':
      return `分析 ${p.id} 不存在。`
    case 'NOT_SUPPORTED':
      return p.reason === 'no_chromium'
        ? 'PDF 和 PNG 导出需要 Chromium（或 Chrome / Edge）：请安装（Debian/Ubuntu：apt install chromium），或用环境变量 LOGLENS_CHROMIUM 指定它的路径。'
        : null
    default:
      return null
  }
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = bytes / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`
}

export async function runReport(o: ReportOptions): Promise<number> {
  const err = (line: string): void => void process.stderr.write(line + '\n')
  const s = say[o.lang]
  const m = cliMessages(o.lang)
  const usage = (line: string): number => {
    err(`loglens: ${line}`)
    return 2
  }
  if (!o.format) return usage(m.reportNeedsFormat)
  if (!(EXPORT_KINDS as readonly string[]).includes(o.format))
    return usage(m.reportUnknownFormat(o.format))
  const kind = o.format as ExportKind
  if (!o.out) return usage(m.reportNeedsOut)
  if (o.analysisId !== undefined && !(Number.isSafeInteger(o.analysisId) && o.analysisId > 0))
    return usage(m.analysisNumber)

  const fail = (info: ErrorInfo): number => {
    err(`loglens: ${(o.lang === 'zh-CN' && zhError(info)) || info.message}`)
    return info.code === 'INVALID_INPUT' ? 2 : 1
  }
  const infoOf = (e: unknown): ErrorInfo =>
    e instanceof ReportError ? e.info : toErrorInfo(e, 'database')

  try {
    exportPart(kind, o.chart)
  } catch (e) {
    return fail(infoOf(e))
  }
  if (!existsSync(o.dbPath)) {
    err(`loglens: ${s.noDb(o.dbPath)}`)
    return 1
  }
  let db: Db
  try {
    db = openDatabase(o.dbPath, { readonly: true })
  } catch (e) {
    return fail(infoOf(e))
  }
  try {
    let summary
    try {
      if (o.analysisId === undefined) {
        summary = latestExportable(db)
        if (!summary) {
          err(`loglens: ${s.empty}`)
          return 1
        }
      } else summary = exportableSummary(db, o.analysisId)
    } catch (e) {
      return fail(infoOf(e))
    }
    let out = resolve(o.out)
    if (existsSync(out) && statSync(out).isDirectory())
      out = join(out, suggestedFileName(summary, kind, o.chart))

    let nextReport = 1_000_000
    const outcome = await writeExport(
      {
        db,
        version: o.version ?? '0.0.0',
        printer: () => createChromiumPrinter(),
        onRows: (rows) => {
          if (rows < nextReport) return
          nextReport += 1_000_000
          err(s.rows(countText(rows), (process.memoryUsage.rss() / 1048576).toFixed(1)))
        },
      },
      { id: summary.id, kind, locale: o.lang, ...(o.chart ? { chart: o.chart } : {}) },
      out,
    )
    err(s.wrote(out, sizeText(outcome.bytes), summary.id, summary.name))
    if (outcome.partial) err(s.partial(summary.status))
    process.stdout.write(out + '\n')
    return 0
  } catch (e) {
    return fail(infoOf(e))
  } finally {
    db.close()
  }
}
