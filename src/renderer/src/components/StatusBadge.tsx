import type { AnalysisStatus } from '../../../shared/types'
import { useI18n } from '../context'

export function StatusBadge({ status }: { status: AnalysisStatus }) {
  const { t } = useI18n()
  return (
    <span className={'badge badge-' + status} data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {t(`status.${status}`)}
    </span>
  )
}
