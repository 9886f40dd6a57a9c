// `loglens report`: exports are built by src/engine/report (work in progress).
import type { Locale } from '../shared/contract'

export interface ReportOptions {
  dbPath: string
  analysisId?: number
  format?: string
  out?: string
  lang: Locale
  chart?: string
}

export async function runReport(_o: ReportOptions): Promise<number> {
  process.stderr.write('loglens: report is not available in this build yet.\n')
  return 2
}
