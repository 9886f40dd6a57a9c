// A search field with its icon, as in a panel's header (the IP table, the history filter).
import { Icon } from './Icon'

export function SearchBox(props: {
  value: string
  onChange: (text: string) => void
  /** What the field searches, for screen readers. */
  label: string
  placeholder: string
  testId: string
  disabled?: boolean
}) {
  return (
    <label className="search">
      <Icon name="search" />
      <input
        type="search"
        data-testid={props.testId}
        value={props.value}
        placeholder={props.placeholder}
        aria-label={props.label}
        spellCheck={false}
        autoComplete="off"
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  )
}
