// The box a chart draws in: a fixed height, its width observed, its accessible summary. The
// chart inside renders only through the chart queue (schedule.ts): after the dashboard has
// painted, then once per change of content or width, each chart in a task of its own. A chart's
// first drawing comes in two steps (axes, then the data), halving its longest task.
import { memo, useEffect, useRef, useState, type ReactNode } from 'react'
import { flushSync } from 'react-dom'
import { observeWidth } from './observeWidth'
import { cancelChartJob, scheduleChartJob } from './schedule'

export interface DrawOptions {
  width: number
  /** False for the very first drawing: axes and grid only. */
  full: boolean
  /** The pointer has visited: mount the tooltip (not mounted before: cheaper mounts). */
  hover: boolean
}

type Draw = (o: DrawOptions) => ReactNode

/** Re-renders only for a new drawing, width or step. */
const ChartSlot = memo(function ChartSlot(p: { draw: Draw } & DrawOptions) {
  return p.draw(p)
})

interface Frame {
  draw: Draw
  width: number
  full: boolean
  hover: boolean
}

export function ChartFrame(props: {
  height: number
  label: string
  testId: string
  /** Extra data attributes the tests read (e.g. data-top-ip). */
  data?: Record<`data-${string}`, string>
  /** Draws the chart; a new function means new content. */
  children: Draw
}) {
  const box = useRef<HTMLDivElement>(null)
  const [shown, setShown] = useState<Frame | null>(null)
  // What the next job draws; `full` turns true once the axes-only step is on screen.
  const next = useRef<Frame>({ draw: props.children, width: 0, full: false, hover: false })
  const [job] = useState(() => {
    const run = () => {
      const f = next.current
      if (f.width <= 0) return
      flushSync(() => setShown({ ...f }))
      if (!f.full) {
        f.full = true
        scheduleChartJob(run)
      }
    }
    return run
  })

  useEffect(() => {
    next.current.draw = props.children
    scheduleChartJob(job)
  }, [props.children, job])

  useEffect(() => {
    const stop = observeWidth(box.current!, (width) => {
      if (width === next.current.width) return
      next.current.width = width
      scheduleChartJob(job)
    })
    return () => {
      stop()
      cancelChartJob(job)
    }
  }, [job])

  const onPointerEnter = () => {
    if (next.current.hover) return
    next.current.hover = true
    if (!next.current.full) return // the data step, already queued, brings the tooltip
    cancelChartJob(job)
    job()
  }

  return (
    <div
      className="chart"
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      {...props.data}
      ref={box}
      style={{ height: props.height }}
      onPointerEnter={onPointerEnter}
    >
      {shown ? <ChartSlot {...shown} /> : null}
    </div>
  )
}
