import { countedNothing, type AnalysisStatus } from '../../../shared/types'
import { useI18n } from '../context'

/**
 * An analysis's status. `pv`: its valid lines, when known: a complete analysis that counted none
 * (the wrong format chosen, no line matched) says so instead of a green "Complete", in the
 * history and beside the title, as the dashboard's banner does.
 */
export function StatusBadge({ status, pv }: { status: AnalysisStatus; pv?: number }) {
  const { t } = useI18n()
  const none = pv !== undefined && countedNothing({ status, pv })
  return (
    <span className={'badge badge-' + (none ? 'none' : status)} data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {t(none ? 'status.noValidLines' : `status.${status}`)}
    </span>
  )
}
