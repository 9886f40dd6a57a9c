// The aggregator's RSS and JS heap over the analysis, against the memory budget.
import { memo, useMemo } from 'react'
import { ChartTooltipBox, Legend } from '../charts/ChartTooltip'
import { niceTicks } from '../charts/hooks'
import { LineChart } from '../charts/LineChart'
import type { MemoryShape } from '../charts/shape'
import { useI18n } from '../context'
import { Empty, Panel } from './Panel'

const MB = 1024 * 1024

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
  const axes = useMemo(() => {
    const top = Math.max(budget, peak) * 1.1
    // Whole-MB steps read better than the bytes the data is in.
    const step = top > 400 * MB ? 100 * MB : top > 160 * MB ? 50 * MB : 25 * MB
    const yTicks: number[] = []
    for (let v = 0; v < top + step; v += step) {
      yTicks.push(v)
      if (v >= top) break
    }
    const x = shape.rows.map((r) => r.t)
    return {
      x,
      xTicks: niceTicks(Math.max(1, shape.duration), 5),
      yTicks,
      rss: shape.rows.map((r) => r.rss),
      heap: shape.rows.map((r) => r.heap),
    }
  }, [shape, budget, peak])
  const fmtT = (v: number) => (shape.duration < 60_000 ? fmt.duration(v) : fmt.clock(v))

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
        <div
          className="chart"
          role="img"
          aria-label={t('chart.memory.aria', {
            duration: fmt.duration(shape.duration),
            peak: fmt.bytes(peak),
            budget: budgetText,
          })}
        >
          <LineChart
            testId="chart-memory"
            gradientId="memory-fill"
            height={220}
            x={axes.x}
            xTicks={axes.xTicks}
            yTicks={axes.yTicks}
            formatX={fmtT}
            formatY={(v) => `${fmt.int(v / MB)} MB`}
            refLines={[
              {
                y: budget,
                color: 'var(--c-budget)',
                label: t('chart.memory.budget', { budget: budgetText }),
              },
            ]}
            series={[
              { key: 'rss', color: 'var(--c-rss)', values: axes.rss, area: true },
              { key: 'heap', color: 'var(--c-heap)', values: axes.heap },
            ]}
            tooltip={(i) => {
              const row = shape.rows[i]!
              return (
                <ChartTooltipBox
                  title={fmtT(row.t)}
                  rows={[
                    { color: 'var(--c-rss)', label: t('series.rss'), value: fmt.bytes(row.rss) },
                    { color: 'var(--c-heap)', label: t('series.heap'), value: fmt.bytes(row.heap) },
                  ]}
                />
              )
            }}
          />
        </div>
      )}
    </Panel>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const MemoryChart = memo(MemoryChartView)
