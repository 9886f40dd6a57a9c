// Small pieces every recharts chart here shares: plain-text axis ticks (recharts' own <Text>
// measures each label in the DOM), a label for reference lines, and the common margins.
import type { ReactElement, ReactNode } from 'react'
import { CartesianGrid, XAxis, YAxis } from 'recharts'

export const CHART_MARGIN = { top: 10, right: 14, bottom: 0, left: 0 }
/** Horizontal grid lines only; recharts' default would still lay out (and measure) x ticks. */
export const NO_GRID_LINES = (): number[] => []
/** The hover cursor of line charts and the dot on each series under it. */
export const LINE_CURSOR = { stroke: 'var(--border-strong)' }
export const ACTIVE_DOT = { r: 3.5, strokeWidth: 2, stroke: 'var(--surface)' }
/** What every series of the time charts shares: smooth, no dots but the hovered one, static. */
export const SERIES = {
  type: 'monotone',
  strokeWidth: 2,
  dot: false,
  activeDot: ACTIVE_DOT,
  isAnimationActive: false,
  zIndex: 0,
} as const
/** Width of the value axis on line charts (room for "1.2M" or "125 MB"). */
export const Y_AXIS_WIDTH = 58

interface TickProps {
  x?: number | string
  y?: number | string
  payload?: { value: unknown }
  textAnchor?: string
}

type Anchor = 'start' | 'middle' | 'end'

/**
 * A tick renderer drawing one <text>: `format` turns the tick value into its label. With
 * `edges` (the axis domain), a label near either end is anchored inwards so it never overflows.
 */
export function plainTick(
  format: (v: never) => string,
  opts: { axis: 'x' | 'y'; className?: string; edges?: readonly [number, number] },
) {
  const [lo, hi] = opts.edges ?? [0, 0]
  const near = (hi - lo) * 0.03
  return function Tick(p: TickProps): ReactNode {
    const value = p.payload?.value
    let anchor = (p.textAnchor as Anchor | undefined) ?? 'middle'
    if (opts.edges && typeof value === 'number') {
      if (value - lo <= near) anchor = 'start'
      else if (hi - value <= near) anchor = 'end'
    }
    return (
      <text
        x={p.x}
        y={p.y}
        dy={opts.axis === 'x' ? '0.71em' : '0.32em'}
        textAnchor={anchor}
        className={'chart-tick' + (opts.className ? ' ' + opts.className : '')}
      >
        {format(value as never)}
      </text>
    )
  }
}

interface RefLabelProps {
  viewBox?: { x?: number; y?: number; width?: number; height?: number }
}

/** The label of a horizontal reference line: right-aligned, just above the line. */
export function refLineLabel(text: string, className: string) {
  return function RefLabel(p: RefLabelProps): ReactElement {
    const box = p.viewBox ?? {}
    return (
      <text
        x={(box.x ?? 0) + (box.width ?? 0) - 4}
        y={(box.y ?? 0) - 6}
        textAnchor="end"
        className={className}
      >
        {text}
      </text>
    )
  }
}

/** Ticks and domains of a chart over time, computed outside the chart. */
/** Props of a numeric axis drawn exactly at `ticks` over `domain` (no recharts "nice" pass). */
export function fixedAxis(domain: [number, number], ticks: number[]) {
  return { type: 'number', domain, ticks, interval: 0, niceTicks: 'none' } as const
}

export interface TimeAxes {
  xTicks: number[]
  yTicks: number[]
  xDomain: [number, number]
  yDomain: [number, number]
}

/**
 * The grid and both numeric axes of the line charts over time: ticks exactly where given (no
 * recharts "nice" pass), plain-text labels, no tick marks or axis lines.
 */
export function timeAxes(
  axes: TimeAxes,
  xTick: ReturnType<typeof plainTick>,
  yTick: ReturnType<typeof plainTick>,
): ReactElement {
  return (
    <>
      <CartesianGrid vertical={false} verticalCoordinatesGenerator={NO_GRID_LINES} zIndex={0} />
      <XAxis
        dataKey="t"
        {...fixedAxis(axes.xDomain, axes.xTicks)}
        tick={xTick}
        tickLine={false}
        axisLine={false}
        height={26}
      />
      <YAxis
        {...fixedAxis(axes.yDomain, axes.yTicks)}
        tick={yTick}
        tickLine={false}
        axisLine={false}
        width={Y_AXIS_WIDTH}
      />
    </>
  )
}

/** A vertical fade of `color` under an area series, referenced as `url(#id)`. */
export function areaFill(id: string, color: string): ReactElement {
  return (
    <defs>
      <linearGradient id={id} x1="0" y1="0" x2="0" y2="1">
        <stop offset="0%" stopColor={color} stopOpacity={0.26} />
        <stop offset="100%" stopColor={color} stopOpacity={0.02} />
      </linearGradient>
    </defs>
  )
}
