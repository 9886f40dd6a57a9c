// A small SVG line/area chart: horizontal grid, axis labels, reference lines, a hover cursor
// with a tooltip. Hand-written because a general chart library re-renders in several synchronous
// passes (hundreds of ms per chart on a 2-core machine); this draws in one pass with a handful of
// elements, whatever the number of points (the data is downsampled beforehand).
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react'

export interface LineSeries {
  key: string
  color: string
  /** One value per x; null leaves a gap. */
  values: (number | null)[]
  dashed?: boolean
  /** Fill the area under this line (the first such series only). */
  area?: boolean
  width?: number
}

export interface RefLine {
  y: number
  color: string
  label?: string
}

export interface LineChartProps {
  x: number[]
  series: LineSeries[]
  height: number
  xTicks: number[]
  yTicks: number[]
  formatX(v: number): string
  formatY(v: number): string
  refLines?: RefLine[]
  /** Tooltip body for the point at this index. */
  tooltip(index: number): ReactNode
  testId?: string
  gradientId: string
}

const M = { top: 10, right: 14, bottom: 26, left: 58 }

/** Nearest index in a sorted array. */
export function nearestIndex(xs: number[], v: number): number {
  let lo = 0
  let hi = xs.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (xs[mid]! < v) lo = mid
    else hi = mid
  }
  return Math.abs(xs[lo]! - v) <= Math.abs(xs[hi]! - v) ? lo : hi
}

/** "M x y L x y …" with a new M after each gap; numbers rounded to 0.1 px. */
export function linePath(px: number[], py: (number | null)[]): string {
  let d = ''
  let pen = false
  for (let i = 0; i < px.length; i++) {
    const y = py[i]
    if (y === null || y === undefined) {
      pen = false
      continue
    }
    d += (pen ? 'L' : 'M') + Math.round(px[i]! * 10) / 10 + ' ' + Math.round(y * 10) / 10
    pen = true
  }
  return d
}

export function useWidth(fallback = 640): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = () => setWidth(Math.round(el.getBoundingClientRect().width) || fallback)
    measure()
    if (typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [fallback])
  return [ref, width]
}

export function LineChart(p: LineChartProps) {
  const [ref, width] = useWidth()
  const [hover, setHover] = useState<number | null>(null)
  const n = p.x.length
  const x0 = p.xTicks.length ? Math.min(p.x[0] ?? 0, p.xTicks[0]!) : (p.x[0] ?? 0)
  const x1 = Math.max(p.x[n - 1] ?? 1, p.xTicks[p.xTicks.length - 1] ?? 1)
  const y1 = p.yTicks[p.yTicks.length - 1] ?? 1
  const iw = Math.max(10, width - M.left - M.right)
  const ih = Math.max(10, p.height - M.top - M.bottom)
  const sx = (v: number) => M.left + (x1 === x0 ? iw / 2 : ((v - x0) / (x1 - x0)) * iw)
  const sy = (v: number) => M.top + ih - (y1 === 0 ? 0 : (v / y1) * ih)
  const px = p.x.map(sx)

  const onMove = (e: React.PointerEvent<SVGRectElement>) => {
    if (n === 0) return
    const box = e.currentTarget.getBoundingClientRect()
    const v = x0 + ((e.clientX - box.left) / Math.max(1, box.width)) * (x1 - x0)
    setHover(nearestIndex(p.x, v))
  }

  const areaSeries = p.series.find((s) => s.area)
  let areaD = ''
  if (areaSeries && n > 0) {
    const line = linePath(
      px,
      areaSeries.values.map((v) => (v === null ? null : sy(v))),
    )
    if (line) areaD = `${line}L${px[n - 1]!.toFixed(1)} ${sy(0)}L${px[0]!.toFixed(1)} ${sy(0)}Z`
  }

  const hx = hover !== null ? px[hover]! : 0
  return (
    <div className="svg-chart" ref={ref} style={{ height: p.height }} data-testid={p.testId}>
      {width > 0 ? (
        <svg width={width} height={p.height} aria-hidden="true">
          <defs>
            <linearGradient id={p.gradientId} x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor={areaSeries?.color} stopOpacity={0.26} />
              <stop offset="100%" stopColor={areaSeries?.color} stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <g className="grid">
            {p.yTicks.map((t) => (
              <line key={t} x1={M.left} x2={M.left + iw} y1={sy(t)} y2={sy(t)} />
            ))}
          </g>
          <g className="axis-y">
            {p.yTicks.map((t) => (
              <text key={t} x={M.left - 8} y={sy(t)} dy="0.32em" textAnchor="end">
                {p.formatY(t)}
              </text>
            ))}
          </g>
          <g className="axis-x">
            {p.xTicks.map((t, i) => (
              <text
                key={t}
                x={sx(t)}
                y={M.top + ih + 18}
                textAnchor={i === 0 ? 'start' : i === p.xTicks.length - 1 ? 'end' : 'middle'}
              >
                {p.formatX(t)}
              </text>
            ))}
          </g>
          {areaD ? <path d={areaD} fill={`url(#${p.gradientId})`} stroke="none" /> : null}
          {p.series.map((s) => (
            <path
              key={s.key}
              d={linePath(
                px,
                s.values.map((v) => (v === null ? null : sy(v))),
              )}
              fill="none"
              stroke={s.color}
              strokeWidth={s.width ?? 2}
              strokeDasharray={s.dashed ? '4 3' : undefined}
              strokeLinejoin="round"
              strokeLinecap="round"
            />
          ))}
          {(p.refLines ?? []).map((r) => (
            <g key={r.y} className="ref-line">
              <line
                x1={M.left}
                x2={M.left + iw}
                y1={sy(r.y)}
                y2={sy(r.y)}
                stroke={r.color}
                strokeDasharray="5 4"
                strokeWidth={1.5}
              />
              {r.label ? (
                <text
                  x={M.left + iw - 4}
                  y={sy(r.y) - 6}
                  textAnchor="end"
                  style={{ fill: r.color }}
                >
                  {r.label}
                </text>
              ) : null}
            </g>
          ))}
          {hover !== null ? (
            <g className="cursor">
              <line x1={hx} x2={hx} y1={M.top} y2={M.top + ih} />
              {p.series.map((s) => {
                const v = s.values[hover]
                return v === null || v === undefined ? null : (
                  <circle key={s.key} cx={hx} cy={sy(v)} r={3.5} fill={s.color} />
                )
              })}
            </g>
          ) : null}
          <rect
            x={M.left}
            y={M.top}
            width={iw}
            height={ih}
            fill="transparent"
            onPointerMove={onMove}
            onPointerLeave={() => setHover(null)}
          />
        </svg>
      ) : null}
      {hover !== null ? (
        <div
          className="chart-tooltip-float"
          style={{
            left: hx,
            transform: hx > width * 0.6 ? 'translateX(calc(-100% - 12px))' : 'translateX(12px)',
          }}
        >
          {p.tooltip(hover)}
        </div>
      ) : null}
    </div>
  )
}
