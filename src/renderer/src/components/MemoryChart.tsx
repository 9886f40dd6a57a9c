// The aggregator's RSS and JS heap over the analysis, against the memory budget.
import { memo, useCallback, useMemo } from 'react'
import { Area, ComposedChart, Line, ReferenceLine, Tooltip } from 'recharts'
import { ChartFrame, type DrawOptions } from '../charts/ChartFrame'
import { Legend, rowTooltip, type TooltipContent } from '../charts/ChartTooltip'
import { durationTicks } from '../charts/hooks'
import {
  CHART_MARGIN,
  LINE_CURSOR,
  areaFill,
  plainTick,
  SERIES,
  refLineLabel,
  timeAxes,
  type TimeAxes,
} from '../charts/parts'
import type { MemoryRow, MemoryShape } from '../charts/shape'
import { useI18n } from '../context'
import { Empty, Panel } from './Panel'

const MB = 1024 * 1024
const HEIGHT = 220

interface Parts {
  xTick: ReturnType<typeof plainTick>
  yTick: ReturnType<typeof plainTick>
  budgetLabel: ReturnType<typeof refLineLabel>
  tooltip: TooltipContent
}

/** Draws only: samples, ticks and formatters arrive ready. */
function MemoryPlot(
  p: { shape: MemoryShape; budget: number; axes: TimeAxes; parts: Parts } & DrawOptions,
) {
  const { axes, parts } = p
  return (
    <ComposedChart
      width={p.width}
      height={HEIGHT}
      data={p.shape.rows}
      margin={CHART_MARGIN}
      accessibilityLayer={false}
    >
      {areaFill('memory-fill', 'var(--c-rss)')}
      {timeAxes(axes, parts.xTick, parts.yTick)}
      <ReferenceLine
        y={p.budget}
        stroke="var(--c-budget)"
        strokeDasharray="5 4"
        strokeWidth={1.5}
        label={parts.budgetLabel}
        zIndex={0}
      />
      {p.full ? (
        <>
          <Area {...SERIES} dataKey="rss" stroke="var(--c-rss)" fill="url(#memory-fill)" />
          <Line {...SERIES} dataKey="heap" stroke="var(--c-heap)" />
        </>
      ) : null}
      {p.hover ? (
        <Tooltip content={parts.tooltip} cursor={LINE_CURSOR} isAnimationActive={false} />
      ) : null}
    </ComposedChart>
  )
}

function MemoryChartView(props: {
  shape: MemoryShape
  budget: number
  live: boolean
  /** The stored peak once finished (samples may miss the very top). */
  peak?: number
}) {
  const { t, fmt } = useI18n()
  const { shape, budget } = props
  const budgetText = fmt.bytes(budget)
  const peak = Math.max(props.peak ?? 0, shape.peakRss)
  const short = shape.duration < 60_000

  const axes = useMemo<TimeAxes>(() => {
    const top = Math.max(budget, peak) * 1.1
    // Whole-MB steps read better than the bytes the data is in.
    const step = top > 400 * MB ? 100 * MB : top > 160 * MB ? 50 * MB : 25 * MB
    const yTicks: number[] = []
    for (let v = 0; v < top + step; v += step) {
      yTicks.push(v)
      if (v >= top) break
    }
    // Round times within the run; the curve fills the width, from the start to the last sample.
    const end = Math.max(1, shape.duration)
    return {
      xTicks: durationTicks(end),
      yTicks,
      xDomain: [0, end],
      yDomain: [0, yTicks[yTicks.length - 1]!],
    }
  }, [shape.duration, budget, peak])

  const parts = useMemo<Parts>(() => {
    // A run under a second (a small log) in milliseconds: "0.0 s" at every tick says nothing.
    const fmtT = (v: number) =>
      axes.xDomain[1] < 1000 ? fmt.millis(v) : short ? fmt.duration(v) : fmt.clock(v)
    return {
      xTick: plainTick(fmtT, { axis: 'x', edges: axes.xDomain }),
      yTick: plainTick((v: number) => `${fmt.int(v / MB)} MB`, { axis: 'y' }),
      budgetLabel: refLineLabel(
        t('chart.memory.budget', { budget: budgetText }),
        'chart-ref-label',
      ),
      tooltip: rowTooltip<MemoryRow>(
        (row) => fmtT(row.t),
        (row) => [
          { color: 'var(--c-rss)', label: t('series.rss'), value: fmt.bytes(row.rss) },
          { color: 'var(--c-heap)', label: t('series.heap'), value: fmt.bytes(row.heap) },
        ],
      ),
    }
  }, [fmt, t, short, budgetText, axes.xDomain])

  const draw = useCallback(
    (o: DrawOptions) => (
      <MemoryPlot shape={shape} budget={budget} axes={axes} parts={parts} {...o} />
    ),
    [shape, budget, axes, parts],
  )

  return (
    <Panel
      id="memory"
      exportChart={shape.rows.length > 0 ? 'memory' : undefined}
      className="span-6"
      title={t('chart.memory')}
      subtitle={t('chart.memory.sub', { budget: budgetText })}
      actions={
        <Legend
          items={[
            {
              color: 'var(--c-rss)',
              label: t('series.rss'),
              value: peak ? t('chart.memory.peak', { value: fmt.bytes(peak) }) : '',
            },
            { color: 'var(--c-heap)', label: t('series.heap'), value: '' },
          ]}
        />
      }
    >
      {shape.rows.length === 0 ? (
        <Empty tone={props.live ? 'wait' : 'muted'}>
          {props.live ? t('analysis.liveNote') : t('common.noData')}
        </Empty>
      ) : (
        <ChartFrame
          height={HEIGHT}
          testId="chart-memory"
          label={t('chart.memory.aria', {
            duration: fmt.duration(shape.duration),
            peak: fmt.bytes(peak),
            budget: budgetText,
          })}
        >
          {draw}
        </ChartFrame>
      )}
    </Panel>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const MemoryChart = memo(MemoryChartView)
