// A modal dialog: focus moves in on open and back on close, Tab stays inside, Escape closes.
import { useEffect, useId, useRef, type ReactNode } from 'react'

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export function Dialog(props: {
  title: string
  onClose(): void
  children: ReactNode
  footer?: ReactNode
  tone?: 'danger'
}) {
  const ref = useRef<HTMLDivElement>(null)
  const titleId = useId()
  const { onClose } = props

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const box = ref.current
    const first =
      box?.querySelector<HTMLElement>('[data-autofocus]') ??
      box?.querySelector<HTMLElement>(FOCUSABLE)
    first?.focus()
    return () => previous?.focus?.()
  }, [])

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      onClose()
      return
    }
    if (e.key !== 'Tab' || !ref.current) return
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE))
    if (items.length === 0) return
    const first = items[0]!
    const last = items[items.length - 1]!
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={'dialog ' + (props.tone === 'danger' ? 'dialog-danger' : '')}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
      >
        <h2 className="dialog-title" id={titleId}>
          {props.title}
        </h2>
        <div className="dialog-body">{props.children}</div>
        {props.footer ? <div className="dialog-footer">{props.footer}</div> : null}
      </div>
    </div>
  )
}
