// The aggregator's RSS and JS heap over the analysis, against the memory budget.
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts'
import { AXIS_TICK, ChartTooltipBox, GRID_STROKE, Legend } from '../charts/ChartTooltip'
import type { MemoryRow, MemoryShape } from '../charts/shape'
import { useI18n } from '../context'
import { Empty, Panel } from './Panel'

const MB = 1024 * 1024

export function MemoryChart(props: { shape: MemoryShape; budget: number; live: boolean }) {
  const { t, fmt } = useI18n()
  const { shape, budget } = props
  const budgetText = fmt.bytes(budget)
  const top = Math.max(budget, shape.peakRss) * 1.12
  // Whole-MB ticks read better than the bytes the data is in.
  const step = top > 400 * MB ? 100 * MB : top > 160 * MB ? 50 * MB : 25 * MB
  const yTicks: number[] = []
  for (let v = 0; v <= top; v += step) yTicks.push(v)
  const over = shape.peakRss > budget

  return (
    <Panel
      id="memory"
      className="span-6"
      title={t('chart.memory')}
      subtitle={t('chart.memory.sub', { budget: budgetText })}
      actions={
        <Legend
          items={[
            {
              color: 'var(--c-rss)',
              label: t('series.rss'),
              value: shape.peakRss
                ? t('chart.memory.peak', { value: fmt.bytes(shape.peakRss) })
                : '',
            },
            { color: 'var(--c-heap)', label: t('series.heap'), value: '' },
            {
              color: 'var(--c-budget)',
              label: t('chart.memory.budget', { budget: budgetText }),
              value: '',
              dashed: true,
            },
          ]}
        />
      }
    >
      {shape.rows.length === 0 ? (
        <Empty tone={props.live ? 'wait' : 'muted'}>
          {props.live ? t('analysis.liveNote') : t('common.noData')}
        </Empty>
      ) : (
        <div
          className={'chart' + (over ? ' chart-over' : '')}
          role="img"
          data-testid="chart-memory"
          aria-label={t('chart.memory.aria', {
            duration: fmt.duration(shape.duration),
            peak: fmt.bytes(shape.peakRss),
            budget: budgetText,
          })}
        >
          <LineChart
            data={shape.rows}
            responsive
            style={{ width: '100%', height: 220 }}
            margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid stroke={GRID_STROKE} vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              domain={[0, 'dataMax']}
              tickFormatter={(v: number) => fmt.clock(v)}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={{ stroke: GRID_STROKE }}
              minTickGap={24}
            />
            <YAxis
              domain={[0, top]}
              ticks={yTicks}
              tickFormatter={(v: number) => `${fmt.int(v / MB)} MB`}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              width={60}
            />
            <ReferenceLine
              y={budget}
              stroke="var(--c-budget)"
              strokeDasharray="5 4"
              strokeWidth={1.5}
              ifOverflow="extendDomain"
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: 'var(--border-strong)' }}
              content={({ active, payload }) => {
                const row = active ? (payload?.[0]?.payload as MemoryRow | undefined) : undefined
                if (!row) return null
                return (
                  <ChartTooltipBox
                    title={fmt.clock(row.t)}
                    rows={[
                      { color: 'var(--c-rss)', label: t('series.rss'), value: fmt.bytes(row.rss) },
                      {
                        color: 'var(--c-heap)',
                        label: t('series.heap'),
                        value: fmt.bytes(row.heap),
                      },
                    ]}
                  />
                )
              }}
            />
            <Line
              type="monotone"
              dataKey="rss"
              stroke="var(--c-rss)"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="heap"
              stroke="var(--c-heap)"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </div>
      )}
    </Panel>
  )
}
