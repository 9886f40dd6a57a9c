// Choose the log format: auto-detect, a preset, or a pasted nginx log_format / Apache LogFormat.
import { useEffect, useId, useRef } from 'react'
import { useI18n } from '../context'
import { AUTO_FORMAT } from '../state/actions'
import { FORMAT_PRESETS, formatLabel } from '../formats'

const CUSTOM = '__custom__'

export function FormatPicker(props: {
  value: string
  onChange(v: string): void
  /** Hide "auto" (re-running after a failed detection). */
  noAuto?: boolean
  compact?: boolean
}) {
  const { t } = useI18n()
  const id = useId()
  const isPreset = props.value === AUTO_FORMAT || FORMAT_PRESETS.includes(props.value)
  const selectValue = isPreset ? props.value : CUSTOM
  const customInput = useRef<HTMLInputElement>(null)
  const focusCustom = useRef(false)
  useEffect(() => {
    if (focusCustom.current && customInput.current) {
      focusCustom.current = false
      customInput.current.focus()
    }
  })
  return (
    <div className={'format-picker' + (props.compact ? ' compact' : '')}>
      <label htmlFor={id}>{t('format.label')}</label>
      <select
        id={id}
        value={selectValue}
        data-testid="format-select"
        onChange={(e) => {
          // Custom chosen: its text box takes the focus, ready for the pasted format.
          focusCustom.current = e.target.value === CUSTOM
          props.onChange(e.target.value === CUSTOM ? '' : e.target.value)
        }}
      >
        {props.noAuto ? null : <option value={AUTO_FORMAT}>{t('format.auto')}</option>}
        {FORMAT_PRESETS.map((p) => (
          <option key={p} value={p}>
            {formatLabel(p)}
          </option>
        ))}
        <option value={CUSTOM}>{t('format.custom')}</option>
      </select>
      {selectValue === CUSTOM ? (
        <label className="format-custom">
          <span className="sr-only">{t('format.customLabel')}</span>
          <input
            type="text"
            spellCheck={false}
            value={props.value}
            data-testid="format-custom"
            ref={customInput}
            placeholder={t('format.customPlaceholder')}
            aria-label={t('format.customLabel')}
            onChange={(e) => props.onChange(e.target.value)}
          />
        </label>
      ) : null}
    </div>
  )
}
