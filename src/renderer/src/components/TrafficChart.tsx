// PV and UV per time bucket. Estimated per-bucket UV is dashed and marked ≈.
import { memo, useCallback, useMemo } from 'react'
import { Area, ComposedChart, Line, Tooltip } from 'recharts'
import { ChartFrame, type DrawOptions } from '../charts/ChartFrame'
import { Legend, rowTooltip, type TooltipContent } from '../charts/ChartTooltip'
import { calendarTicks, niceTicks } from '../charts/hooks'
import {
  CHART_MARGIN,
  LINE_CURSOR,
  areaFill,
  plainTick,
  SERIES,
  timeAxes,
  type TimeAxes,
} from '../charts/parts'
import type { TrafficRow, TrafficShape } from '../charts/shape'
import { useI18n, useTimeZone } from '../context'
import { Empty, Panel } from './Panel'

const HEIGHT = 260

interface Parts {
  xTick: ReturnType<typeof plainTick>
  yTick: ReturnType<typeof plainTick>
  tooltip: TooltipContent
}

/** Draws only: data, ticks and formatters arrive ready. */
function TrafficPlot(p: { shape: TrafficShape; axes: TimeAxes; parts: Parts } & DrawOptions) {
  const { shape, axes, parts } = p
  return (
    <ComposedChart
      width={p.width}
      height={HEIGHT}
      data={shape.rows}
      margin={CHART_MARGIN}
      accessibilityLayer={false}
    >
      {areaFill('traffic-fill', 'var(--c-pv)')}
      {timeAxes(axes, parts.xTick, parts.yTick)}
      {p.full ? (
        <>
          <Area {...SERIES} dataKey="pv" stroke="var(--c-pv)" fill="url(#traffic-fill)" />
          {shape.hasExact ? <Line {...SERIES} dataKey="uv" stroke="var(--c-uv)" /> : null}
          {shape.hasEstimate ? (
            <Line {...SERIES} dataKey="uvEst" stroke="var(--c-uv)" strokeDasharray="4 3" />
          ) : null}
        </>
      ) : null}
      {p.hover ? (
        <Tooltip content={parts.tooltip} cursor={LINE_CURSOR} isAnimationActive={false} />
      ) : null}
    </ComposedChart>
  )
}

function TrafficChartView(props: {
  shape: TrafficShape
  tzOffset: number | null
  live: boolean
  /** Requests counted but not drawn: dated before 1991 (undatedRequests). */
  undated?: number
}) {
  const { t, fmt } = useI18n()
  const tz = useTimeZone(props.tzOffset)
  const { shape } = props
  const undated = props.undated ?? 0
  const bucketText = t(`chart.traffic.bucket.${shape.bucket}`)

  // Explicit ticks and domains: recharts neither computes nor measures them on each update.
  // Time ticks fall on round clock times of the zone the axis is read in, or on the first of
  // months for a span of months (calendarTicks).
  const axes = useMemo<TimeAxes & { xMonths: boolean }>(() => {
    let max = 1
    for (const r of shape.rows) max = Math.max(max, r.pv, r.uv ?? 0, r.uvEst ?? 0)
    const from = shape.rows[0]?.t ?? 0
    const to = shape.rows[shape.rows.length - 1]?.t ?? from
    const offsetAt =
      tz.mode === 'log' && tz.offsetMinutes !== null
        ? () => tz.offsetMinutes!
        : (t: number) => -new Date(t).getTimezoneOffset()
    const yTicks = niceTicks(max, 4, true)
    const x = calendarTicks(from, to, offsetAt)
    return {
      xTicks: x.ticks,
      xMonths: x.months,
      yTicks,
      xDomain: [from, to],
      yDomain: [0, yTicks[yTicks.length - 1] ?? 1],
    }
  }, [shape, tz])

  const parts = useMemo<Parts>(() => {
    const fmtX = (v: number) => fmt.logTime(v, shape.bucket, tz)
    // Ticks on the 1st of months are labelled as months; the tooltip keeps the bucket's time.
    const tickX = axes.xMonths ? (v: number) => fmt.logTime(v, 'month', tz) : fmtX
    return {
      xTick: plainTick(tickX, { axis: 'x', edges: axes.xDomain }),
      yTick: plainTick((v: number) => fmt.compact(v), { axis: 'y' }),
      tooltip: rowTooltip<TrafficRow>(
        (row) => fmtX(row.t),
        (row) => [
          { color: 'var(--c-pv)', label: t('series.pv'), value: fmt.int(row.pv) },
          row.uv !== null
            ? { color: 'var(--c-uv)', label: t('series.uv'), value: fmt.int(row.uv) }
            : {
                color: 'var(--c-uv)',
                label: t('series.uv'),
                value: '≈ ' + fmt.int(row.uvEst ?? 0),
                dashed: true,
              },
        ],
      ),
    }
  }, [fmt, t, shape.bucket, tz, axes.xDomain, axes.xMonths])

  const draw = useCallback(
    (o: DrawOptions) => <TrafficPlot shape={shape} axes={axes} parts={parts} {...o} />,
    [shape, axes, parts],
  )

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
      exportChart={shape.rows.length > 0 ? 'traffic' : undefined}
      className="span-8"
      title={t('chart.traffic')}
      subtitle={`${bucketText} · ${fmt.zoneLabel(tz)}${shape.hasEstimate ? ' · ' + t('chart.traffic.estimate') : ''}`}
      actions={
        <Legend
          items={[
            { color: 'var(--c-pv)', label: t('series.pv'), value: '' },
            ...(shape.hasExact || !shape.hasEstimate
              ? [{ color: 'var(--c-uv)', label: t('series.uv'), value: '' }]
              : []),
            ...(shape.hasEstimate
              ? [{ color: 'var(--c-uv)', label: t('series.uvEstimate'), value: '', dashed: true }]
              : []),
          ]}
        />
      }
    >
      {shape.rows.length === 0 ? (
        <Empty tone={props.live ? 'wait' : 'muted'}>
          {props.live
            ? t('analysis.liveNote')
            : undated > 0
              ? t('chart.traffic.allUndated')
              : t('common.noData')}
        </Empty>
      ) : (
        <ChartFrame height={HEIGHT} label={aria} testId="chart-traffic">
          {draw}
        </ChartFrame>
      )}
      {shape.rows.length > 0 && undated > 0 ? (
        <p className="panel-note" data-testid="traffic-undated">
          {t('chart.traffic.undated', { count: undated })}
        </p>
      ) : null}
    </Panel>
  )
}

/** Re-renders only when its own data changes (live updates arrive several times a second). */
export const TrafficChart = memo(TrafficChartView)
