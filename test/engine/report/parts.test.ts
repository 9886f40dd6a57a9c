// The parts an export can pick (charts for PNG, tables for CSV) are one list, in src/shared: the
// engine validates against it and the renderer's Export menu offers it.
import { describe, expect, it } from 'vitest'
import { CHART_IDS, CSV_TABLES, exportPart } from '../../../src/engine/report'
import * as shared from '../../../src/shared/export-parts'

describe('export parts', () => {
  it('the engine uses the shared lists themselves', () => {
    expect(CHART_IDS).toBe(shared.CHART_IDS)
    expect(CSV_TABLES).toBe(shared.CSV_TABLES)
  })

  it('accepts every part the shared lists offer, for its kind only', () => {
    for (const chart of shared.CHART_IDS) {
      expect(exportPart('png', chart)).toBe(chart)
      expect(() => exportPart('pdf', chart)).toThrow(/only for PNG and CSV/)
    }
    for (const table of shared.CSV_TABLES) expect(exportPart('csv', table)).toBe(table)
    expect(() => exportPart('png', 'paths')).toThrow(/Unknown chart/)
    expect(() => exportPart('csv', 'top-ips')).toThrow(/Unknown CSV table/)
  })
})
