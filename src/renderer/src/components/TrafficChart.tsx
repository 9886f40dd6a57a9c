// PV and UV per time bucket. Estimated per-bucket UV is dashed and marked ≈.
import { memo, useMemo } from 'react'
import { ChartTooltipBox, Legend } from '../charts/ChartTooltip'
import { evenTicks, niceTicks } from '../charts/hooks'
import { LineChart } from '../charts/LineChart'
import type { TrafficShape } from '../charts/shape'
import { useI18n, useTimeZone } from '../context'
import { Empty, Panel } from './Panel'

function TrafficChartView(props: { shape: TrafficShape; tzOffset: number | null; live: boolean }) {
  const { t, fmt } = useI18n()
  const tz = useTimeZone(props.tzOffset)
  const { shape } = props
  const bucketText = t(`chart.traffic.bucket.${shape.bucket}`)
  const fmtX = (v: number) => fmt.logTime(v, shape.bucket, tz)
  const axes = useMemo(() => {
    const x = shape.rows.map((r) => r.t)
    let max = 1
    for (const r of shape.rows) max = Math.max(max, r.pv, r.uv ?? 0, r.uvEst ?? 0)
    return {
      x,
      xTicks: evenTicks(x),
      yTicks: niceTicks(max),
      pv: shape.rows.map((r) => r.pv),
      uv: shape.rows.map((r) => r.uv),
      uvEst: shape.rows.map((r) => r.uvEst),
    }
  }, [shape])

  const aria =
    shape.peak && shape.from !== null && shape.to !== null
      ? t('chart.traffic.aria', {
          bucket: bucketText,
          from: fmt.logTime(shape.from, 'full', tz),
          to: fmt.logTime(shape.to, 'full', tz),
          peak: shape.peak.pv,
          peakTime: fmt.logTime(shape.peak.t, shape.bucket, tz),
        })
      : t('common.noData')

  return (
    <Panel
      id="traffic"
      className="span-8"
      title={t('chart.traffic')}
      subtitle={`${bucketText} · ${fmt.zoneLabel(tz)}${shape.hasEstimate ? ' · ' + t('chart.traffic.estimate') : ''}`}
      actions={
        <Legend
          items={[
            { color: 'var(--c-pv)', label: t('series.pv'), value: '' },
            { color: 'var(--c-uv)', label: t('series.uv'), value: '' },
            ...(shape.hasEstimate
              ? [{ color: 'var(--c-uv)', label: t('series.uvEstimate'), value: '', dashed: true }]
              : []),
          ]}
        />
      }
    >
      {shape.rows.length === 0 ? (
        <Empty tone={props.live ? 'wait' : 'muted'}>
          {props.live ? t('analysis.liveNote') : t('common.noData')}
        </Empty>
      ) : (
        <div className="chart" role="img" aria-label={aria}>
          <LineChart
            testId="chart-traffic"
            gradientId="traffic-fill"
            height={260}
            x={axes.x}
            xTicks={axes.xTicks}
            yTicks={axes.yTicks}
            formatX={fmtX}
            formatY={(v) => fmt.compact(v)}
            series={[
              { key: 'pv', color: 'var(--c-pv)', values: axes.pv, area: true },
              { key: 'uv', color: 'var(--c-uv)', values: axes.uv },
              { key: 'uvEst', color: 'var(--c-uv)', values: axes.uvEst, dashed: true },
            ]}
            tooltip={(i) => {
              const row = shape.rows[i]!
              return (
                <ChartTooltipBox
                  title={fmtX(row.t)}
                  rows={[
                    { color: 'var(--c-pv)', label: t('series.pv'), value: fmt.int(row.pv) },
                    row.uv !== null
                      ? { color: 'var(--c-uv)', label: t('series.uv'), value: fmt.int(row.uv) }
                      : {
                          color: 'var(--c-uv)',
                          label: t('series.uv'),
                          value: '≈ ' + fmt.int(row.uvEst ?? 0),
                          dashed: true,
                        },
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
export const TrafficChart = memo(TrafficChartView)
