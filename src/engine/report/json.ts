// The JSON export: summary, series, memory, top lists and metadata, for scripts. Times are ISO
// 8601 in UTC (the log's own offset is given alongside); sizes in bytes. It carries the lesson's
// hidden field `_by` (like the database's meta._by): present, documented nowhere in the UI.
// Local file paths are left out: a report is made to be sent to someone else.
import type { Locale } from '../../shared/contract'
import {
  analysisErrors,
  HIDDEN_BY,
  MEMORY_BUDGET_BYTES,
  type AnalysisDetail,
} from '../../shared/types'

export const JSON_SCHEMA_ID = 'loglens.report/1'

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export interface JsonReportOptions {
  locale: Locale
  version: string
  generatedAt: number
}

export function buildJsonReport(d: AnalysisDetail, o: JsonReportOptions) {
  const s = d.summary
  const partial = s.status === 'cancelled' || s.status === 'incomplete' || s.status === 'failed'
  return {
    _by: HIDDEN_BY,
    schema: JSON_SCHEMA_ID,
    generator: { name: 'LogLens', version: o.version },
    generatedAt: iso(o.generatedAt),
    locale: o.locale,
    partial,
    analysis: {
      id: s.id,
      name: s.name,
      status: s.status,
      error: s.error,
      errors: analysisErrors(s),
      files: s.files.map((f) => ({ name: f.name, size: f.size })),
      format: s.format,
      formatDetected: s.formatDetected,
      formatSuggestion: d.formatSuggestion,
      createdAt: iso(s.createdAt),
      finishedAt: iso(s.finishedAt),
      tzOffsetMinutes: s.tzOffsetMinutes,
      totalBytes: s.totalBytes,
      bytesRead: s.bytesRead,
      linesRead: s.linesRead,
      elapsedMs: s.elapsedMs,
    },
    summary: {
      pv: s.pv,
      uv: s.uv,
      invalid: s.invalid,
      bodyBytes: s.bodyBytes,
      firstTime: iso(s.firstTime),
      lastTime: iso(s.lastTime),
    },
    series: {
      bucket: d.series.bucket,
      points: d.series.points.map((p) => ({
        t: iso(p.t),
        pv: p.pv,
        uv: p.uv,
        uvExact: p.uvExact,
        bytes: p.bytes,
      })),
    },
    memory: {
      budgetBytes: MEMORY_BUDGET_BYTES,
      peakRssBytes: s.peakRssBytes,
      samples: d.memory.map((m) => ({ tMs: m.t, rssBytes: m.rss, heapUsedBytes: m.heapUsed })),
    },
    statuses: d.statuses.map((x) => ({ status: x.status, count: x.count })),
    topIps: d.topIps.map((r) => ({
      ip: r.ip,
      pv: r.pv,
      bytes: r.bytes,
      firstSeen: iso(r.firstSeen),
      lastSeen: iso(r.lastSeen),
      s2xx: r.s2xx,
      s3xx: r.s3xx,
      s4xx: r.s4xx,
      s5xx: r.s5xx,
    })),
    top: {
      paths: d.top.path,
      agents: d.top.agent,
      referrers: d.top.referrer,
    },
    invalid: d.invalid.map((r) => ({
      reason: r.reason,
      count: r.count,
      samples: r.samples,
      ...(r.sampleFiles ? { sampleFiles: r.sampleFiles } : {}),
    })),
  }
}

export type JsonReport = ReturnType<typeof buildJsonReport>

export function jsonReportText(d: AnalysisDetail, o: JsonReportOptions): string {
  return JSON.stringify(buildJsonReport(d, o), null, 2) + '\n'
}
