// `loglens analyze`: register the files, run one analysis through the service (a real
// aggregator process), print progress on stderr and the summary on stdout.
import type { Locale } from '../shared/contract'
import { analysisErrors, countedNothing, type AnalysisDetail, type JobEvent } from '../shared/types'
import type { AnalysisService } from '../service/service'
import { errorInfoOf } from '../service/errors'
import { reportStrings, statusKey } from '../engine/report/strings'
import { createNumberFormats } from '../shared/format'
import { progressLine } from './progress-line'
import { errorText, skippedLine } from './error-text'

export interface AnalyzeOptions {
  files: string[]
  format: string
  name?: string
  json: boolean
  lang: Locale
  dbPath: string
}

const TERMINAL = new Set(['complete', 'cancelled', 'incomplete', 'failed'])

export function summaryJson(d: AnalysisDetail, dbPath: string) {
  const s = d.summary
  const secs = Math.max(s.elapsedMs, 1) / 1000
  return {
    analysisId: s.id,
    db: dbPath,
    status: s.status,
    error: s.error,
    /** Every error, `error` first: a file left out, another gone mid-run… */
    errors: analysisErrors(s),
    files: s.files.map((f) => ({ name: f.name, size: f.size })),
    format: s.format,
    formatDetected: s.formatDetected,
    formatSuggestion: d.formatSuggestion,
    pv: s.pv,
    uv: s.uv,
    invalid: s.invalid,
    invalidReasons: Object.fromEntries(d.invalid.map((r) => [r.reason, r.count])),
    topIps: d.topIps.slice(0, 10).map((r) => ({ ip: r.ip, pv: r.pv, bytes: r.bytes })),
    bytesRead: s.bytesRead,
    linesRead: s.linesRead,
    bodyBytes: s.bodyBytes,
    statuses: Object.fromEntries(d.statuses.map((x) => [String(x.status), x.count])),
    firstTime: s.firstTime === null ? null : new Date(s.firstTime).toISOString(),
    lastTime: s.lastTime === null ? null : new Date(s.lastTime).toISOString(),
    elapsedMs: s.elapsedMs,
    peakRssBytes: s.peakRssBytes,
    linesPerSecond: Math.round(s.linesRead / secs),
    mbPerSecond: Math.round((s.bytesRead / 1e6 / secs) * 10) / 10,
  }
}

export async function runAnalyze(service: AnalysisService, o: AnalyzeOptions): Promise<number> {
  const err = (line: string): boolean => process.stderr.write(line + '\n')
  const sel = await service.registerPaths(o.files, 'path')
  if (sel.files.length === 0) {
    // One line: what was given and why none of it can be read.
    const why = sel.skipped
      .map((s) =>
        errorText({ ...s.error, params: { file: s.name, ...s.error.params } }, o.lang, 'cli'),
      )
      .join(o.lang === 'zh-CN' ? '' : ' ')
    err(
      o.lang === 'zh-CN'
        ? `loglens: 没有可分析的文件。${why || '没有给出文件。'}`
        : `loglens: nothing to analyse. ${why || 'No files were given.'}`,
    )
    return 1
  }
  for (const s of sel.skipped) err(skippedLine(s.name, s.error, o.lang))
  let analysisId = 0
  let lastLine = 0
  let lastLines = 0
  let lastRss = 0
  /** The progress line printed last (the final one is not repeated). */
  let printed = ''
  const offProgress = service.on('progress', (p) => {
    if (p.analysisId !== analysisId) return
    lastLines = p.lines
    lastRss = p.rssBytes
    const now = Date.now()
    // A line a second once lines are counted (the first sample, taken at the start, has none).
    if (p.lines > 0 && now - lastLine >= 1000) {
      lastLine = now
      printed = progressLine(o.lang, p.lines, p.rssBytes)
      err(printed)
    }
  })
  // Ctrl+C (or SIGTERM) cancels the analysis as the app's Cancel does: the aggregator stops
  // within a second, the row says cancelled with what was counted, and the summary is printed.
  // A second one quits at once.
  let interrupted = false
  const cancel = (): void => {
    try {
      service.handlers.cancelAnalysis({ analysisId })
    } catch {
      // Already over.
    }
  }
  const onSignal = (): void => {
    if (interrupted) process.exit(130)
    interrupted = true
    err(
      o.lang === 'zh-CN'
        ? 'loglens: 正在取消分析……(再按一次 Ctrl+C 立即退出)'
        : 'loglens: cancelling the analysis… (press Ctrl+C again to quit at once)',
    )
    if (analysisId > 0) cancel()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await analyse()
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }

  async function analyse(): Promise<number> {
    const ended = new Promise<JobEvent>((resolve) => {
      const off = service.on('job', (e) => {
        if (e.analysisId === analysisId && TERMINAL.has(e.state)) {
          off()
          resolve(e)
        }
      })
    })
    try {
      ;({ analysisId } = await service.handlers.startAnalysis({
        fileIds: sel.files.map((f) => f.id),
        format: o.format,
        ...(o.name ? { name: o.name } : {}),
      }))
    } catch (e) {
      offProgress()
      err(`loglens: ${errorText(errorInfoOf(e), o.lang, 'cli')}`)
      return 1
    }
    if (interrupted) cancel()
    const end = await ended
    offProgress()
    const last = progressLine(o.lang, lastLines, lastRss)
    if (lastLines > 0 && last !== printed) err(last)
    const detail = await service.handlers.getAnalysis({ id: analysisId })
    const summary = summaryJson(detail, o.dbPath)
    if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n')
    else process.stdout.write(humanSummary(summary, o.lang))
    // Whatever went wrong is a line on stderr each, with or without --json (stdout stays JSON).
    const errors = detail.summary.errors ?? (end.error ? [end.error] : [])
    for (const e of errors) err(`loglens: ${errorText(e, o.lang, 'cli')}`)
    if (errors.length === 0 && end.state === 'failed')
      err(o.lang === 'zh-CN' ? 'loglens: 分析失败' : 'loglens: the analysis failed')
    // The aggregator copies the log into the database file before it exits: copying here what
    // the final transaction committed, on the other core, leaves it less (see checkpointAlong).
    service.checkpointPassive()
    if (end.state === 'complete') return 0
    return interrupted && end.state === 'cancelled' ? 130 : 1
  }
}

function humanSummary(s: ReturnType<typeof summaryJson>, lang: Locale): string {
  const n = (x: number): string => x.toLocaleString(lang)
  const zh = lang === 'zh-CN'
  // Complete, but no line counted (the wrong format): said in the first line.
  const none = countedNothing(s)
  const lines = [
    zh
      ? `分析 #${s.analysisId}(${reportStrings('zh-CN')(none ? 'status.noValidLines' : statusKey(s.status))})`
      : `Analysis #${s.analysisId} (${none ? 'complete, but no line matched the format: nothing counted' : s.status})`,
    `  ${zh ? '格式' : 'Format'}: ${s.format}${s.formatDetected ? (zh ? '(自动识别)' : ' (detected)') : ''}`,
    `  PV: ${n(s.pv)}   UV: ${n(s.uv)}   ${zh ? '无效行' : 'Invalid lines'}: ${n(s.invalid)}`,
    `  ${zh ? '时间范围' : 'Time range'}: ${s.firstTime === null ? (zh ? '无(没有 1991 年以后日期的有效行)' : 'none (no valid line dated after 1990)') : `${s.firstTime} … ${s.lastTime}`}`,
    `  ${zh ? '耗时' : 'Elapsed'}: ${(s.elapsedMs / 1000).toFixed(2)} s, ${createNumberFormats(lang).speed(s.bytesRead / 1e6 / (Math.max(s.elapsedMs, 1) / 1000))} MB/s, ${zh ? '峰值内存' : 'peak memory'} ${(s.peakRssBytes / 1048576).toFixed(1)} MB`,
    // No client counted (every line invalid): no empty heading.
    s.topIps.length > 0 ? `  ${zh ? '访问最多的 IP' : 'Top IPs'}:` : '',
    ...s.topIps.map((r) => `    ${r.ip.padEnd(40)} ${n(r.pv)}`),
    s.formatSuggestion
      ? zh
        ? `  大多数行无法解析:试试 --format ${s.formatSuggestion}`
        : `  Most lines did not parse: try --format ${s.formatSuggestion}`
      : '',
    `  ${zh ? '数据库' : 'Database'}: ${s.db}`,
    '',
  ]
  return lines.filter((l, i) => l !== '' || i === lines.length - 1).join('\n')
}
