// Draws small, invisible charts of every kind the dashboard uses, a piece at a time while the app is
// idle at start-up, then removes them. The first recharts chart of a session runs the library's
// code for the first time (parsing, compiling, cold caches): several times the cost of later
// charts. Paid here in small idle slices, it is not paid in one long task when the first
// analysis arrives.
import { Component, useEffect, useState, type ReactNode } from 'react'
import { flushSync } from 'react-dom'
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  LabelList,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { fixedAxis, NO_GRID_LINES, plainTick, refLineLabel } from './parts'
import { MAX_POINTS } from './shape'
import { cancelChartJob, scheduleChartJob } from './schedule'

// As many points as a real chart draws, so that the per-point code is compiled and optimised too.
const ROWS = Array.from({ length: MAX_POINTS }, (_, i) => ({
  t: i,
  a: (i * 7919) % 97,
  b: i % 5 === 0 ? null : (i * 104729) % 89,
}))
const FEW_ROWS = ROWS.slice(0, 24)
const BARS = Array.from({ length: 10 }, (_, i) => ({ key: `10.0.0.${i}`, value: 100 - i * 9 }))
const TICKS = [0, 100, 200]
const DOMAIN = [0, MAX_POINTS] as [number, number]
const tick = plainTick((v: number) => String(v), { axis: 'x' })
const keyTick = plainTick((v: string) => v, { axis: 'y' })
const label = refLineLabel('', 'chart-ref-label')
const value = () => null
const tooltip = () => null
const X_DOMAIN = [0, 'dataMax'] as const
const NO_TICKS: number[] = []
const BAR_TRACK = {}
/** Stages drawn one after another, each adding one kind of part (one small task each). */
const STAGES = 11

function WarmupCharts({ stage }: { stage: number }) {
  return (
    <>
      <ComposedChart
        width={600}
        height={80}
        // A few points first: the per-point code gets compiled on a small, cheap drawing.
        data={stage >= 8 ? ROWS : FEW_ROWS}
        accessibilityLayer={false}
      >
        {stage >= 4 ? (
          <CartesianGrid vertical={false} verticalCoordinatesGenerator={NO_GRID_LINES} zIndex={0} />
        ) : null}
        {stage >= 2 ? <XAxis dataKey="t" {...fixedAxis(DOMAIN, TICKS)} tick={tick} /> : null}
        {stage >= 3 ? <YAxis {...fixedAxis(DOMAIN, TICKS)} tick={tick} /> : null}
        {stage >= 5 ? (
          <Area type="monotone" dataKey="a" dot={false} isAnimationActive={false} zIndex={0} />
        ) : null}
        {stage >= 6 ? (
          <Line type="monotone" dataKey="b" dot={false} isAnimationActive={false} zIndex={0} />
        ) : null}
        {stage >= 7 ? <ReferenceLine y={50} label={label} zIndex={0} /> : null}
        {stage >= 9 ? <Tooltip content={tooltip} isAnimationActive={false} /> : null}
      </ComposedChart>
      {stage >= 10 ? (
        <BarChart width={160} height={80} data={BARS} layout="vertical" accessibilityLayer={false}>
          <XAxis type="number" hide domain={X_DOMAIN} niceTicks="none" ticks={NO_TICKS} />
          <YAxis type="category" dataKey="key" interval={0} tick={keyTick} />
          {stage >= 11 ? (
            <Bar dataKey="value" background={BAR_TRACK} isAnimationActive={false} zIndex={0}>
              <LabelList dataKey="value" content={value} />
            </Bar>
          ) : null}
        </BarChart>
      ) : null}
    </>
  )
}

/** The warm-up is optional work: should it ever fail, it is simply dropped, never the app. */
class DropOnError extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }
  static getDerivedStateFromError() {
    return { failed: true }
  }
  override render() {
    return this.state.failed ? null : this.props.children
  }
}

export function ChartWarmup() {
  // 0: waiting for idle time; 1…STAGES: drawn so far; STAGES + 1: done, removed.
  const [stage, setStage] = useState(0)
  useEffect(() => {
    if (stage > STAGES) return
    // Each stage renders and settles within its own task, like the dashboard's charts.
    const next = () => {
      flushSync(() => setStage((s) => s + 1))
    }
    if (stage > 0) {
      scheduleChartJob(next)
      return () => cancelChartJob(next)
    }
    if (typeof requestIdleCallback !== 'function') return
    const id = requestIdleCallback(next, { timeout: 3000 })
    return () => cancelIdleCallback(id)
  }, [stage])
  if (stage === 0 || stage > STAGES) return null
  return (
    <div className="chart-warmup" aria-hidden="true">
      <DropOnError>
        <WarmupCharts stage={stage} />
      </DropOnError>
    </div>
  )
}
