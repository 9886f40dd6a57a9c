// A titled card. Charts and tables sit in panels; an empty panel says so in words.
import type { ReactNode } from 'react'

export function Panel(props: {
  id?: string
  title: ReactNode
  subtitle?: ReactNode
  actions?: ReactNode
  className?: string
  children: ReactNode
  testId?: string
}) {
  const headingId = props.id ? `${props.id}-title` : undefined
  return (
    <section
      className={'panel ' + (props.className ?? '')}
      aria-labelledby={headingId}
      data-testid={props.testId}
    >
      <header className="panel-head">
        <div className="panel-titles">
          <h2 className="panel-title" id={headingId}>
            {props.title}
          </h2>
          {props.subtitle ? <p className="panel-sub">{props.subtitle}</p> : null}
        </div>
        {props.actions ? <div className="panel-actions">{props.actions}</div> : null}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  )
}

export function Empty({ children, tone }: { children: ReactNode; tone?: 'muted' | 'wait' }) {
  return <div className={'empty empty-' + (tone ?? 'muted')}>{children}</div>
}
