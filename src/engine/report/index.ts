// Exports of one stored analysis, for every front (the service for the app and `serve`, the CLI):
// check the analysis can be exported, build the file, write it atomically. HTML/PDF/PNG load the
// renderer (jsdom, React, recharts) lazily, so CSV and JSON stay light.
//
// Decisions:
// - A running or queued analysis is refused (its tables are still being written). A cancelled,
//   incomplete or failed one is exported with what was stored, marked partial: a banner in
//   HTML/PDF/PNG, `partial: true` in JSON, "-partial" in the suggested file name.
// - PNG: `chart` picks one chart (traffic, memory, top-ips, statuses); without it, the whole
//   analysis view (a dashboard-like page). CSV: `chart` picks the table (ips — every per-IP row,
//   the default — traffic, memory, statuses, paths, agents, referrers, invalid).
import type { ExportKind, Locale } from '../../shared/contract'
import type { AnalysisDetail, AnalysisSummary } from '../../shared/types'
import type { Db } from '../store/db'
import { getAnalysisDetail, getSummary, listAnalyses } from '../store/queries'
import { CSV_TABLES, isCsvTable, smallTableCsv, writeIpCsv, type CsvTable } from './csv'
import { jsonReportText } from './json'
import { CHART_IDS, isChartId, type ChartId } from './model'
import { exportFailed, ReportError, writeAtomically, type OutputFs } from './output'
import { PNG_WIDTH, type PrinterFactory } from './printer'

export { ReportError } from './output'
export type { ReportPrinter, PrinterFactory, CdpSender } from './printer'
export { captureFullPage, PNG_SCALE, PNG_WIDTH } from './printer'
export { CHART_IDS, type ChartId } from './model'
export { CSV_TABLES, type CsvTable } from './csv'

export interface ExportRequest {
  id: number
  kind: ExportKind
  locale: Locale
  chart?: string
}

export interface ExportEnv {
  /** A connection this export may hold a long read on (CSV iterates the per-IP table). */
  db: Db
  version: string
  /** Needed for PDF and PNG only. */
  printer?: PrinterFactory
  now?: () => number
  onRows?: (rows: number) => void
  fs?: OutputFs
}

export interface ExportOutcome {
  bytes: number
  partial: boolean
  /** CSV of the per-IP table: rows written. */
  rows?: number
}

const EXTENSION: Record<ExportKind, string> = {
  html: 'html',
  pdf: 'pdf',
  png: 'png',
  csv: 'csv',
  json: 'json',
}

function invalid(message: string, params: Record<string, string>): ReportError {
  return new ReportError({ code: 'INVALID_INPUT', message, params })
}

/** The chart/table part of a request, checked against the kind. */
export function exportPart(kind: ExportKind, chart?: string): ChartId | CsvTable | undefined {
  if (chart === undefined || chart === '') return undefined
  if (kind === 'png') {
    if (chart === 'view') return undefined
    if (isChartId(chart)) return chart
    throw invalid(
      `Unknown chart "${chart}": choose one of ${CHART_IDS.join(', ')} (or none for the whole view).`,
      { reason: 'unknown_chart', chart, choices: CHART_IDS.join(', ') },
    )
  }
  if (kind === 'csv') {
    if (isCsvTable(chart)) return chart
    throw invalid(`Unknown CSV table "${chart}": choose one of ${CSV_TABLES.join(', ')}.`, {
      reason: 'unknown_table',
      chart,
      choices: CSV_TABLES.join(', '),
    })
  }
  throw invalid(`A chart can be chosen only for PNG and CSV exports, not ${kind.toUpperCase()}.`, {
    reason: 'no_chart',
    kind: kind.toUpperCase(),
  })
}

export const isPartial = (s: AnalysisSummary): boolean =>
  s.status === 'cancelled' || s.status === 'incomplete' || s.status === 'failed'

/** The analysis to export, or the reason it cannot be. */
export function exportableSummary(db: Db, id: number): AnalysisSummary {
  const s = getSummary(db, id)
  if (!s)
    throw new ReportError({
      code: 'NOT_FOUND',
      message: `Analysis ${id} does not exist.`,
      params: { id },
    })
  if (s.status === 'running' || s.status === 'queued')
    throw exportFailed(
      'still_running',
      `Analysis ${id} is still running: wait until it finishes (or cancel it) and export again.`,
      { id },
    )
  return s
}

/** The most recent analysis that is not still running (the CLI's default). */
export function latestExportable(db: Db): AnalysisSummary | null {
  return listAnalyses(db, 500).find((a) => a.status !== 'running' && a.status !== 'queued') ?? null
}

/** A file name for the export, safe on every OS: `<analysis>-<part>[-partial].<ext>`. */
export function suggestedFileName(s: AnalysisSummary, kind: ExportKind, chart?: string): string {
  const base =
    Array.from(s.name, (c) => (c < ' ' || c === '\u007f' ? '_' : c))
      .join('')
      .replace(/[\\/:*?"<>|]+/g, '_')
      .replace(/^[.\s]+|[.\s]+$/g, '')
      .slice(0, 80) || `analysis-${s.id}`
  const part =
    kind === 'png'
      ? chart && chart !== 'view'
        ? chart
        : 'view'
      : kind === 'csv'
        ? (chart ?? 'ips')
        : kind === 'json'
          ? 'summary'
          : 'report'
  return `${base}-${part}${isPartial(s) ? '-partial' : ''}.${EXTENSION[kind]}`
}

function detailOf(db: Db, id: number): AnalysisDetail {
  const d = getAnalysisDetail(db, id)
  if (!d)
    throw new ReportError({
      code: 'NOT_FOUND',
      message: `Analysis ${id} does not exist.`,
      params: { id },
    })
  return d
}

async function renderHtml(
  d: AnalysisDetail,
  req: ExportRequest,
  env: ExportEnv,
  variant: 'document' | 'view' | 'chart',
  chart?: ChartId,
): Promise<string> {
  const { buildReportHtml } = await import('./html')
  try {
    return await buildReportHtml(d, {
      locale: req.locale,
      variant,
      ...(chart ? { chart } : {}),
      version: env.version,
      generatedAt: env.now?.() ?? Date.now(),
    })
  } catch (e) {
    throw exportFailed('render_failed', `The report could not be drawn: ${(e as Error).message}`)
  }
}

async function print<T>(
  env: ExportEnv,
  fn: (p: Awaited<ReturnType<PrinterFactory>>) => Promise<T>,
): Promise<T> {
  if (!env.printer)
    throw new ReportError({
      code: 'NOT_SUPPORTED',
      message: 'PDF and PNG exports are not available here.',
    })
  const printer = await env.printer()
  try {
    return await fn(printer)
  } catch (e) {
    if (e instanceof ReportError) throw e
    throw exportFailed('render_failed', `The page could not be printed: ${(e as Error).message}`)
  } finally {
    await printer.close().catch(() => undefined)
  }
}

/** Build the export and write it to `outPath` (atomically). */
export async function writeExport(
  env: ExportEnv,
  req: ExportRequest,
  outPath: string,
): Promise<ExportOutcome> {
  const part = exportPart(req.kind, req.chart)
  const summary = exportableSummary(env.db, req.id)
  const partial = isPartial(summary)
  const generatedAt = env.now?.() ?? Date.now()
  const write = (produce: Parameters<typeof writeAtomically>[1]) =>
    writeAtomically(outPath, produce, env.fs)

  switch (req.kind) {
    case 'json': {
      const text = jsonReportText(detailOf(env.db, req.id), {
        locale: req.locale,
        version: env.version,
        generatedAt,
      })
      return { bytes: await write((out) => out.write(text)), partial }
    }
    case 'csv': {
      const table = (part as CsvTable | undefined) ?? 'ips'
      if (table === 'ips') {
        let rows = 0
        const bytes = await write(async (out) => {
          rows = await writeIpCsv(env.db, out, {
            id: req.id,
            locale: req.locale,
            tzOffsetMinutes: summary.tzOffsetMinutes,
            ...(env.onRows ? { onProgress: env.onRows } : {}),
          })
        })
        return { bytes, partial, rows }
      }
      const text = smallTableCsv(detailOf(env.db, req.id), table, req.locale)
      return { bytes: await write((out) => out.write(text)), partial }
    }
    case 'html': {
      const html = await renderHtml(detailOf(env.db, req.id), req, env, 'document')
      return { bytes: await write((out) => out.write(html)), partial }
    }
    case 'pdf': {
      const html = await renderHtml(detailOf(env.db, req.id), req, env, 'document')
      const pdf = await print(env, (p) => p.pdf(html))
      return { bytes: await write((out) => out.write(pdf)), partial }
    }
    case 'png': {
      const chart = part as ChartId | undefined
      const html = await renderHtml(
        detailOf(env.db, req.id),
        req,
        env,
        chart ? 'chart' : 'view',
        chart,
      )
      const png = await print(env, (p) => p.png(html, chart ? PNG_WIDTH.chart : PNG_WIDTH.view))
      return { bytes: await write((out) => out.write(png)), partial }
    }
  }
}
