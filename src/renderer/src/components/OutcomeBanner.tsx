// How an analysis ended when it did not simply succeed, and what the user can do next:
// cancelled, incomplete, failed, zero valid lines, or a better format found.
import { useState } from 'react'
import {
  analysisErrors,
  onlyFilesLeftOut,
  type AnalysisDetail,
  type AnalysisStatus,
} from '../../../shared/types'
import { useI18n, useServices } from '../context'
import { formatLabel } from '../formats'
import { useActions } from '../state/actions'
import { FormatPicker } from './FormatPicker'
import { Icon } from './Icon'

export function OutcomeBanner({
  detail,
  status,
}: {
  detail: AnalysisDetail
  status: AnalysisStatus
}) {
  const { t, errInfo } = useI18n()
  const { navigate, openFiles } = useServices()
  const actions = useActions()
  const s = detail.summary
  const [format, setFormat] = useState(detail.formatSuggestion ?? 'combined')

  const zeroValid = status !== 'running' && s.pv === 0
  const suggestion =
    detail.formatSuggestion && detail.formatSuggestion !== s.format ? detail.formatSuggestion : null
  if (status === 'complete' && !zeroValid && !suggestion) return null

  const tone = status === 'failed' || zeroValid ? 'error' : 'warning'
  const errors = analysisErrors(s)
  const onlyLeftOut = onlyFilesLeftOut(errors)
  let title: string
  if (status === 'cancelled') title = t('analysis.cancelled')
  else if (status === 'incomplete')
    title = !onlyLeftOut
      ? t('analysis.incomplete')
      : errors.length > 1
        ? t('analysis.leftOutMany', { count: errors.length })
        : t('analysis.leftOut')
  else if (status === 'failed') title = t('analysis.failed')
  else if (zeroValid)
    title = s.format
      ? t('analysis.zeroValid', { format: formatLabel(s.format) })
      : t('analysis.zeroValidNoFormat')
  else title = t('analysis.suggestion', { format: s.format, suggestion: suggestion ?? '' })

  const lines: string[] = []
  if (status !== 'cancelled') for (const e of errors) lines.push(errInfo(e))
  if (suggestion && title !== t('analysis.suggestion', { format: s.format, suggestion }))
    lines.push(t('analysis.suggestion', { format: s.format, suggestion }))

  return (
    <div
      className={'outcome outcome-' + tone}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid="outcome"
    >
      <Icon name="alert" size={18} />
      <div className="outcome-body">
        <p className="outcome-title">{title}</p>
        {lines.map((l, i) => (
          <p key={i} className="outcome-line">
            {l}
          </p>
        ))}
        <div className="outcome-actions">
          {suggestion ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void actions.rerun(s.id, suggestion)}
              data-testid="rerun-suggested"
            >
              <Icon name="refresh" />
              {t('analysis.rerunAs', { suggestion })}
            </button>
          ) : null}
          {status !== 'complete' && !onlyLeftOut ? (
            <button
              type="button"
              className="btn"
              onClick={() => void actions.rerun(s.id)}
              data-testid="retry"
            >
              <Icon name="refresh" />
              {t('common.retry')}
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              navigate({ name: 'home' })
              openFiles()
            }}
          >
            <Icon name="folder" />
            {t('analysis.openAnother')}
          </button>
        </div>
        {zeroValid || suggestion || status === 'failed' ? (
          <form
            className="outcome-format"
            onSubmit={(e) => {
              e.preventDefault()
              if (format.trim()) void actions.rerun(s.id, format.trim())
            }}
          >
            <FormatPicker value={format} onChange={setFormat} noAuto compact />
            <button type="submit" className="btn" disabled={!format.trim()}>
              {t('analysis.chooseFormat')}
            </button>
          </form>
        ) : null}
      </div>
    </div>
  )
}
