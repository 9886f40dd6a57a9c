// The busiest client IPs as horizontal bars.
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts'
import { AXIS_TICK, ChartTooltipBox, GRID_STROKE } from '../charts/ChartTooltip'
import type { BarRow } from '../charts/shape'
import { useI18n } from '../context'
import { Empty, Panel } from './Panel'

export function TopIpsChart(props: { rows: BarRow[]; live: boolean }) {
  const { t, fmt } = useI18n()
  const { rows } = props
  const height = Math.max(120, rows.length * 26 + 24)
  return (
    <Panel
      id="top-ips"
      className="span-6"
      title={t('chart.topIps')}
      subtitle={t('chart.topIps.sub')}
    >
      {rows.length === 0 ? (
        <Empty tone={props.live ? 'wait' : 'muted'}>
          {props.live ? t('analysis.liveNote') : t('common.noData')}
        </Empty>
      ) : (
        <div
          className="chart"
          role="img"
          data-testid="chart-top-ips"
          data-top-ip={rows[0]!.key}
          aria-label={t('chart.topIps.aria', {
            count: rows.length,
            ip: rows[0]!.key,
            requests: rows[0]!.value,
          })}
        >
          <BarChart
            data={rows}
            layout="vertical"
            responsive
            style={{ width: '100%', height }}
            margin={{ top: 0, right: 16, bottom: 0, left: 0 }}
            barCategoryGap={5}
            accessibilityLayer={false}
          >
            <CartesianGrid stroke={GRID_STROKE} horizontal={false} />
            <XAxis
              type="number"
              tickFormatter={(v: number) => fmt.compact(v)}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
            />
            <YAxis
              type="category"
              dataKey="key"
              width={148}
              tick={{ ...AXIS_TICK, fill: 'var(--text-2)', fontFamily: 'var(--font-mono)' }}
              tickLine={false}
              axisLine={false}
              interval={0}
              tickFormatter={(v: string) => (v.length > 22 ? v.slice(0, 21) + '…' : v)}
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ fill: 'var(--hover)' }}
              content={({ active, payload }) => {
                const row = active ? (payload?.[0]?.payload as BarRow | undefined) : undefined
                if (!row) return null
                return (
                  <ChartTooltipBox
                    title={<span className="mono">{row.key}</span>}
                    rows={[
                      {
                        color: 'var(--c-pv)',
                        label: t('series.requests'),
                        value: fmt.int(row.value),
                      },
                    ]}
                  />
                )
              }}
            />
            <Bar
              dataKey="value"
              fill="var(--c-pv)"
              radius={[0, 4, 4, 0]}
              isAnimationActive={false}
              maxBarSize={18}
            />
          </BarChart>
        </div>
      )}
    </Panel>
  )
}
