// A chart's own "export as PNG" button (panel header): the same export as the Export menu's
// "PNG — <chart>" item. Shown once the analysis can be exported, inside an analysis view only.
import type { ChartId } from '../../../shared/export-parts'
import { useI18n } from '../context'
import { useExportContext } from '../state/useExport'
import { Icon } from './Icon'

export function ChartExportButton({ chart }: { chart: ChartId }) {
  const { t } = useI18n()
  const exporter = useExportContext()
  if (!exporter || exporter.disabled) return null
  const label = t('export.chartButton', {
    label: t('export.png', { part: t(`export.part.${chart}`) }),
  })
  return (
    <button
      type="button"
      className="btn btn-sm btn-ghost btn-icon chart-export"
      aria-label={label}
      title={label}
      aria-disabled={exporter.busy || undefined}
      onClick={() => {
        if (!exporter.busy) void exporter.run('png', chart)
      }}
      data-testid={`chart-export-${chart}`}
    >
      <Icon name="download" size={15} />
    </button>
  )
}
