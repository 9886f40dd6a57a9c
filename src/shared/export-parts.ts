// The parts of an analysis an export can pick with the contract's `chart` argument: one chart for
// PNG (none = the whole analysis view), one table for CSV (`ips`, every per-IP row, by default).
// The report engine validates against these lists and the renderer's Export menu offers them, so
// a chart or table added here is both exportable and offered. Pure constants, no imports.

/** The charts a PNG export can show alone (the whole view when `chart` is absent). */
export const CHART_IDS = ['traffic', 'memory', 'top-ips', 'statuses'] as const
export type ChartId = (typeof CHART_IDS)[number]
export const isChartId = (s: string): s is ChartId => (CHART_IDS as readonly string[]).includes(s)

/** The tables a CSV export can hold; `ips` (every per-IP row) is the default. */
export const CSV_TABLES = [
  'ips',
  'traffic',
  'memory',
  'statuses',
  'paths',
  'agents',
  'referrers',
  'invalid',
] as const
export type CsvTable = (typeof CSV_TABLES)[number]
export const isCsvTable = (s: string): s is CsvTable =>
  (CSV_TABLES as readonly string[]).includes(s)
