// The report's charts: recharts components that only draw what model.ts shaped (no formatting,
// no data work here). Fixed sizes and no animation, because they are rendered once, off screen,
// into static SVG. Every legend carries the lesson's credit line (LEGEND_CREDIT).
import { createElement as h, type ReactElement } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Line,
  LineChart,
  ReferenceLine,
  XAxis,
  YAxis,
} from 'recharts'
import { LEGEND_CREDIT } from '../../shared/types'
import {
  COLORS,
  type BarShape,
  type LegendItem,
  type MemoryShape,
  type TrafficShape,
} from './model'

const AXIS = '#9aa5b1'
const GRID = '#e6eaf0'
const MARGIN = { top: 10, right: 20, bottom: 4, left: 4 }
/** Time axes: room for the last tick's label, centred on the right edge. */
const TIME_MARGIN = { ...MARGIN, right: 36 }

export function ChartLegend({ items }: { items: LegendItem[] }): ReactElement {
  return h(
    'ul',
    { className: 'legend' },
    ...items.map((i) =>
      h(
        'li',
        { key: i.label },
        h('span', {
          className: `mark mark-${i.mark}`,
          style:
            i.mark === 'bar'
              ? { backgroundColor: i.color }
              : { borderTopColor: i.color, borderTopStyle: i.mark === 'dash' ? 'dashed' : 'solid' },
          'aria-hidden': true,
        }),
        i.label,
      ),
    ),
    h('li', { key: 'credit', className: 'legend-credit' }, LEGEND_CREDIT),
  )
}

/** The grid and both axes of a chart over time: ticks exactly where the model put them. */
function timeAxes(
  shape: Pick<TrafficShape, 'domain' | 'ticks' | 'valueTicks' | 'tickLabel'>,
  valueLabel: (n: number) => string,
  width: number,
): ReactElement[] {
  return [
    h(CartesianGrid, { key: 'grid', stroke: GRID, vertical: false }),
    h(XAxis, {
      key: 'x',
      dataKey: 't',
      type: 'number',
      domain: shape.domain,
      ticks: shape.ticks,
      interval: 0,
      tickFormatter: shape.tickLabel,
      stroke: AXIS,
      tickLine: false,
    }),
    h(YAxis, {
      key: 'y',
      domain: [0, shape.valueTicks[shape.valueTicks.length - 1]!],
      ticks: shape.valueTicks,
      interval: 0,
      tickFormatter: valueLabel,
      width,
      stroke: AXIS,
      tickLine: false,
    }),
  ]
}

export function TrafficChart({ shape }: { shape: TrafficShape }): ReactElement {
  const single = shape.points.length === 1
  return h(
    LineChart,
    { ...shape.size, data: shape.points, margin: TIME_MARGIN },
    ...timeAxes(shape, shape.valueLabel, 56),
    h(Line, {
      dataKey: 'pv',
      stroke: COLORS.pv,
      strokeWidth: 1.75,
      dot: single,
      isAnimationActive: false,
    }),
    h(Line, {
      dataKey: 'uv',
      stroke: COLORS.uv,
      strokeWidth: 1.75,
      dot: single,
      isAnimationActive: false,
    }),
  )
}

export function MemoryChart({ shape }: { shape: MemoryShape }): ReactElement {
  return h(
    LineChart,
    { ...shape.size, data: shape.points, margin: TIME_MARGIN },
    ...timeAxes(shape, (n: number) => `${n} MB`, 64),
    h(ReferenceLine, {
      y: shape.budgetMb,
      stroke: COLORS.budget,
      strokeDasharray: '6 4',
      ifOverflow: 'extendDomain',
      label: {
        value: shape.budgetLabel,
        position: 'insideTopRight',
        fill: COLORS.budget,
        className: 'ref-label',
      },
    }),
    h(Line, {
      dataKey: 'rss',
      stroke: COLORS.rss,
      strokeWidth: 1.75,
      dot: shape.points.length === 1,
      isAnimationActive: false,
    }),
    h(Line, {
      dataKey: 'heap',
      stroke: COLORS.heap,
      strokeWidth: 1.5,
      dot: shape.points.length === 1,
      isAnimationActive: false,
    }),
  )
}

/** Horizontal bars with a category axis of labels (top IPs). */
export function HorizontalBars({ shape }: { shape: BarShape }): ReactElement {
  return h(
    BarChart,
    {
      ...shape.size,
      data: shape.bars,
      layout: 'vertical',
      margin: { ...MARGIN, right: 56 },
      barCategoryGap: 4,
    },
    h(CartesianGrid, { stroke: GRID, horizontal: false }),
    h(XAxis, {
      type: 'number',
      domain: [0, shape.valueTicks[shape.valueTicks.length - 1]!],
      ticks: shape.valueTicks,
      interval: 0,
      tickFormatter: shape.valueLabel,
      stroke: AXIS,
      tickLine: false,
    }),
    h(YAxis, {
      type: 'category',
      dataKey: 'label',
      width: shape.categoryWidth,
      interval: 0,
      stroke: AXIS,
      tickLine: false,
      className: 'mono-axis',
    }),
    h(
      Bar,
      { dataKey: 'value', isAnimationActive: false, maxBarSize: 16 },
      ...shape.bars.map((b, i) => h(Cell, { key: i, fill: b.color })),
      h(LabelList, {
        dataKey: 'value',
        position: 'right',
        formatter: (v: unknown) => shape.barLabel(Number(v)),
        className: 'bar-label',
      }),
    ),
  )
}

/** Vertical bars over a few categories (status codes). */
export function VerticalBars({ shape }: { shape: BarShape }): ReactElement {
  return h(
    BarChart,
    { ...shape.size, data: shape.bars, margin: { ...MARGIN, top: 20 } },
    h(CartesianGrid, { stroke: GRID, vertical: false }),
    h(XAxis, { dataKey: 'label', type: 'category', interval: 0, stroke: AXIS, tickLine: false }),
    h(YAxis, {
      domain: [0, shape.valueTicks[shape.valueTicks.length - 1]!],
      ticks: shape.valueTicks,
      interval: 0,
      tickFormatter: shape.valueLabel,
      width: 56,
      stroke: AXIS,
      tickLine: false,
    }),
    h(
      Bar,
      { dataKey: 'value', isAnimationActive: false, maxBarSize: 48 },
      ...shape.bars.map((b, i) => h(Cell, { key: i, fill: b.color })),
      h(LabelList, {
        dataKey: 'value',
        position: 'top',
        formatter: (v: unknown) => shape.barLabel(Number(v)),
        className: 'bar-label',
      }),
    ),
  )
}
