// One tooltip look for every chart; values are formatted by the caller (locale aware).
import type { ReactNode } from 'react'

export interface TooltipRow {
  color: string
  label: string
  value: string
  dashed?: boolean
}

/** What a recharts <Tooltip content> function receives, as far as our tooltips need it. */
export type TooltipContent = (p: {
  active?: boolean
  payload?: readonly { payload?: unknown }[]
}) => ReactNode

/** A tooltip for the data row under the pointer: its title and its rows. */
export function rowTooltip<T>(
  title: (row: T) => ReactNode,
  rows: (row: T) => TooltipRow[],
): TooltipContent {
  return ({ active, payload }) => {
    const row = active ? (payload?.[0]?.payload as T | undefined) : undefined
    if (!row) return null
    return <ChartTooltipBox title={title(row)} rows={rows(row)} />
  }
}

export function ChartTooltipBox({ title, rows }: { title: ReactNode; rows: TooltipRow[] }) {
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">{title}</div>
      {rows.map((r, i) => (
        <div key={i} className="chart-tooltip-row">
          <span
            className={'swatch' + (r.dashed ? ' swatch-dashed' : '')}
            style={{ '--swatch': r.color } as React.CSSProperties}
            aria-hidden="true"
          />
          <span className="chart-tooltip-label">{r.label}</span>
          <span className="chart-tooltip-value">{r.value}</span>
        </div>
      ))}
    </div>
  )
}

export function Legend({ items }: { items: TooltipRow[] }) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {items.map((it, i) => (
        <li key={i}>
          <span
            className={'swatch' + (it.dashed ? ' swatch-dashed' : '')}
            style={{ '--swatch': it.color } as React.CSSProperties}
          />
          {it.label}
          {it.value ? <span className="legend-value">{it.value}</span> : null}
        </li>
      ))}
    </ul>
  )
}
