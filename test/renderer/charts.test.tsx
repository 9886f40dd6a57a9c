// @vitest-environment jsdom
// The chart queue and frame: charts draw one per task, axes first, then the data; the tooltip
// only after a pointer visit; and recharts really draws the dashboard's charts.
import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import type { DrawOptions } from '../../src/renderer/src/charts/ChartFrame'
import { ChartFrame } from '../../src/renderer/src/charts/ChartFrame'
import { ChartWarmup } from '../../src/renderer/src/charts/ChartWarmup'
import { cancelChartJob, scheduleChartJob } from '../../src/renderer/src/charts/schedule'
import { shapeMemory, shapeTopIps, shapeTraffic } from '../../src/renderer/src/charts/shape'
import { MemoryChart } from '../../src/renderer/src/components/MemoryChart'
import { TopIpsChart } from '../../src/renderer/src/components/TopIpsChart'
import { TrafficChart } from '../../src/renderer/src/components/TrafficChart'
import { I18nContext, ServicesContext, type AppServices } from '../../src/renderer/src/context'
import { createFormatter } from '../../src/renderer/src/i18n/format'
import { makeTranslate } from '../../src/renderer/src/i18n/translate'
import { loadSettings } from '../../src/renderer/src/state/settings'
import { createStore } from '../../src/renderer/src/state/store'
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

// A ResizeObserver that reports one width for every observed box, soon after observe().
const WIDTH = 640
class ReportingResizeObserver {
  constructor(private readonly cb: ResizeObserverCallback) {}
  observe(el: Element): void {
    setTimeout(() =>
      this.cb(
        [{ target: el, contentRect: { width: WIDTH } } as unknown as ResizeObserverEntry],
        this as unknown as ResizeObserver,
      ),
    )
  }
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver = ReportingResizeObserver as unknown as typeof ResizeObserver

/** Lets timers and frames (the chart queue runs one job per frame) and React run until `done`. */
async function until(done: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out')
    await act(async () => {
      await new Promise((r) => setTimeout(r, 5))
    })
  }
}

let root: Root | null = null
let container: HTMLElement | null = null
afterEach(() => {
  if (root) act(() => root!.unmount())
  container?.remove()
  root = null
  container = null
})

async function render(node: React.ReactNode): Promise<HTMLElement> {
  container = document.createElement('div')
  document.body.appendChild(container)
  await act(async () => {
    root = createRoot(container!)
    root.render(node)
  })
  return container
}

describe('chart queue', () => {
  it('runs jobs in order, one per task, each at most once while queued', async () => {
    const ran: string[] = []
    // A timer set by a job fires before the next job: the next job is in a later task.
    const a = () => {
      ran.push('a')
      setTimeout(() => ran.push('next task'))
    }
    const b = () => ran.push('b')
    const c = () => ran.push('c')
    scheduleChartJob(a)
    scheduleChartJob(b)
    scheduleChartJob(a)
    scheduleChartJob(c)
    cancelChartJob(c)
    expect(ran).toEqual([])
    await until(() => ran.includes('b'))
    await new Promise((r) => setTimeout(r, 50))
    expect(ran).toEqual(['a', 'next task', 'b'])
  })
})

describe('chart frame', () => {
  it('draws the axes first, then the data, then the tooltip after a pointer visit', async () => {
    const seen: DrawOptions[] = []
    const draw = (o: DrawOptions) => {
      seen.push(o)
      return <svg data-full={String(o.full)} />
    }
    const el = await render(
      <ChartFrame height={100} label="a chart" testId="frame">
        {draw}
      </ChartFrame>,
    )
    const frame = el.querySelector<HTMLElement>('[data-testid="frame"]')!
    expect(frame.getAttribute('role')).toBe('img')
    expect(frame.getAttribute('aria-label')).toBe('a chart')
    expect(frame.querySelector('svg')).toBeNull() // nothing drawn within the dashboard's own task
    await until(() => seen.length >= 2)
    expect(seen.map((o) => [o.width, o.full, o.hover])).toEqual([
      [WIDTH, false, false],
      [WIDTH, true, false],
    ])
    await act(async () => {
      frame.dispatchEvent(new Event('pointerover', { bubbles: true }))
    })
    expect(seen.at(-1)).toMatchObject({ full: true, hover: true })
  })
})

describe('start-up warm-up', () => {
  it('draws hidden charts stage by stage when idle, then removes them', async () => {
    const g = globalThis as Record<string, unknown>
    g.requestIdleCallback = (fn: () => void) => setTimeout(fn, 0)
    g.cancelIdleCallback = (id: number) => clearTimeout(id)
    const errors: unknown[] = []
    const onError = (e: ErrorEvent) => errors.push(e.error)
    window.addEventListener('error', onError)
    try {
      const el = await render(<ChartWarmup />)
      let sawBars = false
      await until(() => {
        sawBars ||= el.querySelector('.chart-warmup .recharts-bar-rectangle') !== null
        return sawBars && el.querySelector('.chart-warmup') === null
      })
      expect(errors).toEqual([])
    } finally {
      window.removeEventListener('error', onError)
      delete g.requestIdleCallback
      delete g.cancelIdleCallback
    }
  })
})

function Providers({ locale, children }: { locale: 'en' | 'zh-CN'; children: React.ReactNode }) {
  const fmt = createFormatter(locale)
  const t = makeTranslate(locale, fmt.int)
  const services = { settings: createStore(loadSettings()) } as unknown as AppServices
  return (
    <ServicesContext.Provider value={services}>
      <I18nContext.Provider value={{ locale, t, fmt, err: String, errInfo: String }}>
        {children}
      </I18nContext.Provider>
    </ServicesContext.Provider>
  )
}

describe('dashboard charts', () => {
  it('are drawn by recharts: areas, lines, the budget line and the bars', async () => {
    const t0 = Date.UTC(2024, 2, 10)
    const traffic = shapeTraffic({
      bucket: 'minute',
      points: Array.from({ length: 120 }, (_, i) => ({
        t: t0 + i * 60_000,
        pv: 50 + (i % 7),
        uv: 20 + (i % 5),
        uvExact: i < 60,
        bytes: 0,
      })),
    })
    const memory = shapeMemory(
      Array.from({ length: 40 }, (_, i) => ({ t: i * 250, rss: 40e6 + i * 1e5, heapUsed: 9e6 })),
    )
    const ips = shapeTopIps([
      { ip: '192.0.2.9', pv: 90 },
      { ip: '2001:db8::1', pv: 40 },
    ])
    const el = await render(
      <Providers locale="en">
        <TrafficChart shape={traffic} tzOffset={480} live={false} />
        <MemoryChart shape={memory} budget={100 * 1024 * 1024} live={false} />
        <TopIpsChart rows={ips} live={false} />
      </Providers>,
    )
    await until(() => el.querySelectorAll('.recharts-bar-rectangle').length > 0)
    await until(() => el.querySelectorAll('.recharts-area-curve').length === 2)
    const traffic$ = el.querySelector('[data-testid="chart-traffic"]')!
    expect(traffic$.querySelector('.recharts-surface')).not.toBeNull()
    expect(traffic$.querySelectorAll('.recharts-area-curve').length).toBe(1)
    // Exact UV solid, estimated UV dashed.
    const lines = [...traffic$.querySelectorAll('.recharts-line-curve')]
    expect(lines.map((l) => l.getAttribute('stroke-dasharray'))).toEqual([null, '4 3'])
    expect(traffic$.getAttribute('aria-label')).toContain('Peak')

    const memory$ = el.querySelector('[data-testid="chart-memory"]')!
    expect(memory$.querySelector('.recharts-reference-line')).not.toBeNull()
    expect(memory$.textContent).toContain('Budget 100 MB')

    const ips$ = el.querySelector<HTMLElement>('[data-testid="chart-top-ips"]')!
    expect(ips$.dataset.topIp).toBe('192.0.2.9')
    expect(ips$.querySelectorAll('.recharts-bar-rectangle path').length).toBeGreaterThanOrEqual(2)
    expect(ips$.textContent).toContain('2001:db8::1')
    // No animation anywhere: every drawn path is final at once.
    expect(el.querySelectorAll('animate, animateTransform').length).toBe(0)
  })

  it('count the requests of a one-line log in whole numbers', async () => {
    const traffic = shapeTraffic({
      bucket: 'minute',
      points: [{ t: Date.UTC(2015, 4, 17, 10, 5), pv: 1, uv: 1, uvExact: true, bytes: 0 }],
    })
    const el = await render(
      <Providers locale="en">
        <TrafficChart shape={traffic} tzOffset={0} live={false} />
      </Providers>,
    )
    // The time tick and at least two value ticks.
    await until(() => el.querySelectorAll('[data-testid="chart-traffic"] text').length >= 3)
    const yTicks = [...el.querySelectorAll('[data-testid="chart-traffic"] text')]
      .map((x) => x.textContent ?? '')
      .filter((x) => /^[\d.]+$/.test(x))
    expect(yTicks).toEqual(['0', '1'])
    await act(async () => root!.unmount())
    root = null
    container!.remove()
  })

  it("label a small log's run, under a second, in milliseconds", async () => {
    const memory = shapeMemory([
      { t: 18, rss: 54e6, heapUsed: 5e6 },
      { t: 55, rss: 60e6, heapUsed: 5e6 },
    ])
    for (const [locale, unit] of [
      ['en', 'ms'],
      ['zh-CN', '毫秒'],
    ] as const) {
      const el = await render(
        <Providers locale={locale}>
          <MemoryChart shape={memory} budget={100 * 1024 * 1024} live={false} />
        </Providers>,
      )
      await until(() => el.querySelectorAll('.recharts-area-curve').length === 1)
      const ticks = [...el.querySelectorAll('[data-testid="chart-memory"] text')]
        .map((x) => x.textContent)
        .filter((x) => x?.includes(unit))
      expect(ticks).toEqual([`0 ${unit}`, `20 ${unit}`, `40 ${unit}`])
      await act(async () => root!.unmount())
      root = null
      container!.remove()
    }
  })
})
