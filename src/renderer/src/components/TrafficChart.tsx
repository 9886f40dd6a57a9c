// PV and UV per time bucket. Estimated per-bucket UV is dashed and marked ≈.
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts'
import { AXIS_TICK, ChartTooltipBox, GRID_STROKE, Legend } from '../charts/ChartTooltip'
import { evenTicks } from '../charts/hooks'
import type { TrafficRow, TrafficShape } from '../charts/shape'
import { useI18n, useTimeZone } from '../context'
import { Empty, Panel } from './Panel'

export function TrafficChart(props: {
  shape: TrafficShape
  tzOffset: number | null
  live: boolean
}) {
  const { t, fmt } = useI18n()
  const tz = useTimeZone(props.tzOffset)
  const { shape } = props
  const bucketText = t(`chart.traffic.bucket.${shape.bucket}`)
  const fmtX = (v: number) => fmt.logTime(v, shape.bucket, tz)
  const ticks = evenTicks(shape.rows.map((r) => r.t))
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
        <div className="chart" role="img" aria-label={aria} data-testid="chart-traffic">
          <ComposedChart
            data={shape.rows}
            responsive
            style={{ width: '100%', height: 260 }}
            margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <defs>
              <linearGradient id="pvFill" x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor="var(--c-pv)" stopOpacity={0.28} />
                <stop offset="100%" stopColor="var(--c-pv)" stopOpacity={0.02} />
              </linearGradient>
            </defs>
            <CartesianGrid stroke={GRID_STROKE} vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              ticks={ticks}
              tickFormatter={fmtX}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={{ stroke: GRID_STROKE }}
              minTickGap={24}
            />
            <YAxis
              tickFormatter={(v: number) => fmt.compact(v)}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              width={52}
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: 'var(--border-strong)' }}
              content={({ active, payload }) => {
                const row = active ? (payload?.[0]?.payload as TrafficRow | undefined) : undefined
                if (!row) return null
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
            <Area
              type="monotone"
              dataKey="pv"
              stroke="var(--c-pv)"
              strokeWidth={2}
              fill="url(#pvFill)"
              isAnimationActive={false}
              dot={false}
              activeDot={{ r: 3 }}
            />
            <Line
              type="monotone"
              dataKey="uv"
              stroke="var(--c-uv)"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
            <Line
              type="monotone"
              dataKey="uvEst"
              stroke="var(--c-uv)"
              strokeWidth={2}
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          </ComposedChart>
        </div>
      )}
    </Panel>
  )
}
