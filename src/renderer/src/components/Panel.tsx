// A titled card. Charts and tables sit in panels; an empty panel says so in words.
import type { ReactNode } from 'react'
import type { ChartId } from '../../../shared/export-parts'
import { ChartExportButton } from './ChartExportButton'

export function Panel(props: {
  id?: string
  title: ReactNode
  subtitle?: ReactNode
  actions?: ReactNode
  className?: string
  children: ReactNode
  testId?: string
  /** The chart this panel shows: a button in the header exports it as PNG. */
  exportChart?: ChartId
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
        {props.actions || props.exportChart ? (
          <div className="panel-actions">
            {props.actions}
            {props.exportChart ? <ChartExportButton chart={props.exportChart} /> : null}
          </div>
        ) : null}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  )
}

export function Empty({ children, tone }: { children: ReactNode; tone?: 'muted' | 'wait' }) {
  return <div className={'empty empty-' + (tone ?? 'muted')}>{children}</div>
}
