// The figures of a finished analysis for tests that drive AnalysisWriter.finalize() directly.
import type { FinalTotals } from '../../src/engine/store/writer'

/** A complete analysis of `pv` requests, all 200, in one minute of 2023. */
export function totals(pv: number): FinalTotals {
  return {
    status: 'complete',
    jobs: 1,
    error: null,
    format: 'combined',
    formatDetected: true,
    formatSuggestion: null,
    pv,
    invalid: 0,
    bodyBytes: 0,
    firstTime: 1_700_000_000_000,
    lastTime: 1_700_000_100_000,
    tzOffset: 0,
    bytesRead: 1,
    linesRead: pv,
    elapsedMs: 1,
    peakRss: 1,
    series: { bucket: 'minute', points: [] },
    statuses: [{ status: 200, count: pv }],
    top: { path: [], agent: [], referrer: [] },
    invalidReasons: [],
  }
}
