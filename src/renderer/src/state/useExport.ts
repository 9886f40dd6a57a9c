// Exports of the analysis on screen: one exporter per analysis view, shared by the Export menu
// and the charts' own PNG buttons (one busy state, one way to report where the file went).
import { createContext, useCallback, useContext, useMemo, useState } from 'react'
import type { ExportKind } from '../../../shared/contract'
import type { ChartId, CsvTable } from '../../../shared/export-parts'
import { useI18n, useServices } from '../context'

/** The part of an analysis one export holds: a chart (PNG) or a table (CSV). */
export type ExportPart = ChartId | CsvTable

export interface Exporter {
  /** Export; `part` picks a chart for PNG (whole view without it) or a table for CSV. */
  run(kind: ExportKind, part?: ExportPart): Promise<void>
  busy: boolean
  /** Nothing to export yet (the analysis is still running). */
  disabled: boolean
}

export function useExporter(id: number, disabled: boolean): Exporter {
  const { t, err, locale, fmt } = useI18n()
  const { api, notices } = useServices()
  const [busy, setBusy] = useState(false)

  const run = useCallback(
    async (kind: ExportKind, part?: ExportPart) => {
      setBusy(true)
      try {
        const r = await api.exportReport({ id, kind, locale, ...(part ? { chart: part } : {}) })
        if (r.downloadUrl) {
          notices.push({
            tone: 'success',
            title: t('export.ready', { file: r.fileName, size: fmt.bytes(r.bytes) }),
            href: { url: r.downloadUrl, label: t('export.download'), fileName: r.fileName },
          })
        } else if (r.path) {
          notices.push({
            tone: 'success',
            title: t('export.saved', { file: r.fileName, path: r.path }),
          })
        }
      } catch (e) {
        notices.push({ tone: 'error', title: err(e) })
      } finally {
        setBusy(false)
      }
    },
    [api, notices, id, locale, t, err, fmt],
  )

  return useMemo(() => ({ run, busy, disabled }), [run, busy, disabled])
}

/** The exporter of the analysis view around a component (null outside one: no export buttons). */
export const ExportContext = createContext<Exporter | null>(null)
export const useExportContext = (): Exporter | null => useContext(ExportContext)
