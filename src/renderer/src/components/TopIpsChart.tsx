// The busiest client IPs as horizontal bars, their request counts in a column at the right.
import { memo, useCallback, useMemo } from 'react'
import { Bar, BarChart, LabelList, Tooltip, XAxis, YAxis } from 'recharts'
import { ChartFrame, type DrawOptions } from '../charts/ChartFrame'
import { rowTooltip, type TooltipContent } from '../charts/ChartTooltip'
import type { BarRow } from '../charts/shape'
import { useI18n } from '../context'
import { Empty, Panel } from './Panel'

const ROW = 24
/** Width of one character of the monospaced key labels (11.5 px), and the gap after the column. */
const CHAR_PX = 7
const KEY_GAP = 14
const VALUE_WIDTH = 64
const MARGIN = { top: 0, right: VALUE_WIDTH, bottom: 0, left: 0 }
const MAX_KEY = 22
const NO_TICKS: number[] = []
const X_DOMAIN = [0, 'dataMax'] as const
const BAR_CURSOR = { fill: 'var(--hover)' }
const BAR_TRACK = { fill: 'var(--surface-2)', radius: 4 }

const shortKey = (v: string) => (v.length > MAX_KEY ? v.slice(0, MAX_KEY - 1) + '…' : v)

/** Client addresses left-aligned in their column, like a table's first column. */
function KeyTick(p: { y?: number | string; payload?: { value: unknown } }) {
  return (
    <text x={0} y={p.y} dy="0.32em" textAnchor="start" className="chart-tick mono">
      {shortKey(String(p.payload?.value ?? ''))}
    </text>
  )
}

interface ValueLabelProps {
  y?: number | string
  height?: number | string
  value?: unknown
}

interface Parts {
  tooltip: TooltipContent
  count(n: number): string
}

/** Draws only: rows and formatters arrive ready. */
function TopIpsBars(p: { rows: BarRow[]; height: number; parts: Parts } & DrawOptions) {
  const { rows, width, height, parts } = p
  // The key column is as wide as its longest address: short IPv4 lists get longer bars.
  const keyWidth = useMemo(
    () => Math.max(...rows.map((r) => shortKey(r.key).length)) * CHAR_PX + KEY_GAP,
    [rows],
  )
  // Counts right-aligned in one column, whatever the bar's length.
  const valueLabel = useMemo(
    () =>
      function ValueLabel(l: ValueLabelProps) {
        return (
          <text
            x={width - 2}
            y={Number(l.y ?? 0) + Number(l.height ?? 0) / 2}
            dy="0.32em"
            textAnchor="end"
            className="chart-bar-value"
          >
            {parts.count(Number(l.value ?? 0))}
          </text>
        )
      },
    [width, parts],
  )

  return (
    <BarChart
      width={width}
      height={height}
      data={rows}
      layout="vertical"
      margin={MARGIN}
      barCategoryGap={5}
      accessibilityLayer={false}
    >
      <defs>
        <linearGradient id="top-ips-fill" x1="0" y1="0" x2="1" y2="0">
          <stop offset="0%" stopColor="var(--c-pv)" />
          <stop offset="100%" className="bar-end-stop" />
        </linearGradient>
      </defs>
      <XAxis type="number" hide domain={X_DOMAIN} niceTicks="none" ticks={NO_TICKS} />
      <YAxis
        type="category"
        dataKey="key"
        width={keyWidth}
        interval={0}
        tick={KeyTick}
        tickLine={false}
        axisLine={false}
      />
      {p.full ? (
        <Bar
          dataKey="value"
          fill="url(#top-ips-fill)"
          radius={4}
          maxBarSize={16}
          background={BAR_TRACK}
          isAnimationActive={false}
          zIndex={0}
        >
          <LabelList dataKey="value" content={valueLabel} />
        </Bar>
      ) : null}
      {p.hover ? (
        <Tooltip content={parts.tooltip} cursor={BAR_CURSOR} isAnimationActive={false} />
      ) : null}
    </BarChart>
  )
}

function TopIpsChartView(props: { rows: BarRow[]; live: boolean }) {
  const { t, fmt } = useI18n()
  const { rows } = props
  const height = Math.max(ROW * 2, rows.length * ROW)
  const parts = useMemo<Parts>(
    () => ({
      count: (n) => fmt.int(n),
      tooltip: rowTooltip<BarRow>(
        (row) => <span className="mono">{row.key}</span>,
        (row) => [{ color: 'var(--c-pv)', label: t('series.requests'), value: fmt.int(row.value) }],
      ),
    }),
    [fmt, t],
  )
  const draw = useCallback(
    (o: DrawOptions) => <TopIpsBars rows={rows} height={height} parts={parts} {...o} />,
    [rows, height, parts],
  )
  return (
    <Panel
      id="top-ips"
      exportChart={rows.length > 0 ? 'top-ips' : undefined}
      className="span-6"
      title={t('chart.topIps')}
      subtitle={t('chart.topIps.sub')}
    >
      {rows.length === 0 ? (
        <Empty tone={props.live ? 'wait' : 'muted'}>
          {props.live ? t('analysis.liveNote') : t('common.noData')}
        </Empty>
      ) : (
        <ChartFrame
          height={height}
          testId="chart-top-ips"
          data={{ 'data-top-ip': rows[0]!.key }}
          label={t('chart.topIps.aria', {
            count: rows.length,
            ip: rows[0]!.key,
            requests: rows[0]!.value,
          })}
        >
          {draw}
        </ChartFrame>
      )}
    </Panel>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const TopIpsChart = memo(TopIpsChartView)
