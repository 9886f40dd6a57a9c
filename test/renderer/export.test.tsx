// @vitest-environment jsdom
// The Export menu: every format and every part the report engine exports (charts as PNG, tables
// as CSV), the `chart` argument it passes, its keyboard use and its words in both languages.
import { act } from 'react'
import { describe, expect, it } from 'vitest'
import { CHART_IDS, CSV_TABLES } from '../../src/shared/export-parts'
import {
  byTestId,
  click,
  detail,
  fakeClient,
  flush,
  renderApp,
  summary,
  type Rendered,
} from './helpers'

let r: Rendered | null = null

function fake() {
  const f = fakeClient()
  f.handle('listAnalyses', () => [summary({ id: 7, name: 'old.log' })])
  f.handle('getAnalysis', () => detail({}, { id: 7, name: 'old.log' }))
  f.handle('queryIps', () => ({ rows: [], total: 0 }))
  f.handle('exportReport', (a: { kind: string; chart?: string }) => ({
    path: null,
    downloadUrl: '/t/x/download/1',
    fileName: `old.log-${a.chart ?? 'view'}.${a.kind}`,
    bytes: 4096,
  }))
  return f
}

const exportCalls = (f: ReturnType<typeof fake>) =>
  f.calls.filter((c) => c.name === 'exportReport').map((c) => c.args)

const menuItems = (root: ParentNode) =>
  Array.from(root.querySelectorAll<HTMLElement>('[role="menu"] [role="menuitem"]'))

/** A key press on the focused element, the way React sees it (bubbling keydown). */
async function press(key: string, opts: KeyboardEventInit = {}): Promise<void> {
  const target = (document.activeElement ?? document.body) as HTMLElement
  await act(async () => {
    target.dispatchEvent(
      new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...opts }),
    )
  })
  await flush()
}

async function openMenu(root: ParentNode): Promise<HTMLElement> {
  await click(byTestId(root, 'export'))
  return root.querySelector<HTMLElement>('[role="menu"]')!
}

describe('export menu', () => {
  it('offers the whole report and every chart and table, grouped, with their names', async () => {
    r = await renderApp(fake(), { hash: '#/analysis/7' })
    const menu = await openMenu(r.container)
    expect(byTestId(r.container, 'export').getAttribute('aria-expanded')).toBe('true')
    expect(menu.getAttribute('aria-labelledby')).toBe(byTestId(r.container, 'export').id)

    const ids = menuItems(r.container).map((b) => b.dataset.testid)
    expect(ids).toEqual([
      'export-html',
      'export-pdf',
      'export-png',
      ...CHART_IDS.map((c) => `export-png-${c}`),
      'export-csv',
      ...CSV_TABLES.filter((x) => x !== 'ips').map((x) => `export-csv-${x}`),
      'export-json',
    ])
    expect(byTestId(menu, 'export-png').textContent).toBe('PNG — whole analysis view')
    expect(byTestId(menu, 'export-png-traffic').textContent).toBe('PNG — PV & UV over time')
    expect(byTestId(menu, 'export-png-top-ips').textContent).toBe('PNG — top IPs')
    expect(byTestId(menu, 'export-csv').textContent).toBe('CSV — all IPs')
    expect(byTestId(menu, 'export-csv-paths').textContent).toBe('CSV — top paths')

    const groups = Array.from(menu.querySelectorAll('[role="group"]')).map(
      (g) => document.getElementById(g.getAttribute('aria-labelledby')!)!.textContent,
    )
    expect(groups).toEqual(['Report', 'Images · 2× resolution', 'Tables · CSV for Excel', 'Data'])
    expect(menu.querySelectorAll('[role="separator"]').length).toBeGreaterThan(0)
    // No label left untranslated.
    for (const b of menuItems(menu)) expect(b.textContent).not.toMatch(/\{|export\./)
  })

  it('exports one chart as PNG and one table as CSV, passing the part as `chart`', async () => {
    const f = fake()
    r = await renderApp(f, { hash: '#/analysis/7' })
    await openMenu(r.container)
    await click(byTestId(r.container, 'export-png-traffic'))
    expect(r.container.querySelector('[role="menu"]')).toBeNull()
    await openMenu(r.container)
    await click(byTestId(r.container, 'export-csv-paths'))
    await openMenu(r.container)
    await click(byTestId(r.container, 'export-png'))
    await openMenu(r.container)
    await click(byTestId(r.container, 'export-csv'))
    expect(exportCalls(f)).toEqual([
      { id: 7, kind: 'png', locale: 'en', chart: 'traffic' },
      { id: 7, kind: 'csv', locale: 'en', chart: 'paths' },
      { id: 7, kind: 'png', locale: 'en' },
      { id: 7, kind: 'csv', locale: 'en' },
    ])
    const link = r.container.querySelector<HTMLAnchorElement>('a[download="old.log-traffic.png"]')
    expect(link?.getAttribute('href')).toBe('/t/x/download/1')
  })

  it('every chart and table of the menu reaches exportReport', async () => {
    const f = fake()
    r = await renderApp(f, { hash: '#/analysis/7' })
    for (const c of CHART_IDS) {
      await openMenu(r.container)
      await click(byTestId(r.container, `export-png-${c}`))
    }
    for (const t of CSV_TABLES.filter((x) => x !== 'ips')) {
      await openMenu(r.container)
      await click(byTestId(r.container, `export-csv-${t}`))
    }
    expect(exportCalls(f).map((a) => (a as { chart?: string }).chart)).toEqual([
      ...CHART_IDS,
      ...CSV_TABLES.filter((x) => x !== 'ips'),
    ])
  })

  it('works from the keyboard: arrows, Home, End, Enter, Escape, Tab', async () => {
    const f = fake()
    r = await renderApp(f, { hash: '#/analysis/7' })
    const button = byTestId(r.container, 'export')
    act(() => button.focus())

    // Down opens the menu on its first item; Up from the first wraps to the last.
    await press('ArrowDown')
    const items = menuItems(r.container)
    expect(document.activeElement).toBe(items[0])
    await press('ArrowDown')
    expect(document.activeElement).toBe(items[1])
    await press('ArrowUp')
    await press('ArrowUp')
    expect(document.activeElement).toBe(items[items.length - 1])
    await press('Home')
    expect(document.activeElement).toBe(items[0])
    await press('End')
    expect(document.activeElement?.getAttribute('data-testid')).toBe('export-json')
    // Items are reached with the arrows, not with Tab (roving focus).
    for (const it of items) expect(it.tabIndex).toBe(-1)

    // Escape closes and gives focus back to the button.
    await press('Escape')
    expect(r.container.querySelector('[role="menu"]')).toBeNull()
    expect(document.activeElement).toBe(button)
    expect(button.getAttribute('aria-expanded')).toBe('false')

    // Up opens on the last item; Tab closes (focus moves on from the button).
    await press('ArrowUp')
    expect(document.activeElement?.getAttribute('data-testid')).toBe('export-json')
    await press('Tab')
    expect(r.container.querySelector('[role="menu"]')).toBeNull()
    expect(document.activeElement).toBe(button)

    // Walk down to the first chart PNG and choose it (a button's Enter is a click).
    await press('ArrowDown')
    await press('ArrowDown')
    await press('ArrowDown')
    await press('ArrowDown')
    expect(document.activeElement?.getAttribute('data-testid')).toBe(`export-png-${CHART_IDS[0]}`)
    await click(document.activeElement!)
    expect(exportCalls(f)).toEqual([{ id: 7, kind: 'png', locale: 'en', chart: CHART_IDS[0] }])
    expect(r.container.querySelector('[role="menu"]')).toBeNull()
    expect(document.activeElement).toBe(button)
  })

  it("each chart's own button exports it as PNG", async () => {
    const f = fake()
    r = await renderApp(f, { hash: '#/analysis/7' })
    for (const c of CHART_IDS) await click(byTestId(r.container, `chart-export-${c}`))
    expect(exportCalls(f)).toEqual(
      CHART_IDS.map((c) => ({ id: 7, kind: 'png', locale: 'en', chart: c })),
    )
    expect(byTestId(r.container, 'chart-export-traffic').getAttribute('aria-label')).toBe(
      'Export PNG — PV & UV over time',
    )
  })

  it('offers no export while the analysis runs', async () => {
    const f = fake()
    f.handle('getAnalysis', () => detail({}, { id: 7, name: 'old.log', status: 'running' }))
    r = await renderApp(f, { hash: '#/analysis/7' })
    expect((byTestId(r.container, 'export') as HTMLButtonElement).disabled).toBe(true)
    expect(r.container.querySelector('[data-testid^="chart-export-"]')).toBeNull()
  })

  it('an empty chart has no export button (nothing to draw)', async () => {
    const f = fake()
    const d = detail({}, { id: 7, name: 'old.log', pv: 0, uv: 0 })
    f.handle('getAnalysis', () => ({
      ...d,
      series: { bucket: 'minute' as const, points: [] },
      statuses: [],
      topIps: [],
    }))
    r = await renderApp(f, { hash: '#/analysis/7' })
    for (const c of ['traffic', 'statuses', 'top-ips'])
      expect(r.container.querySelector(`[data-testid="chart-export-${c}"]`), c).toBeNull()
    // The memory curve is still there: its button stays.
    expect(byTestId(r.container, 'chart-export-memory')).toBeTruthy()
  })

  it('closes on a click outside', async () => {
    r = await renderApp(fake(), { hash: '#/analysis/7' })
    await openMenu(r.container)
    await act(async () => {
      document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    })
    expect(r.container.querySelector('[role="menu"]')).toBeNull()
  })

  it('speaks Chinese', async () => {
    localStorage.setItem('loglens.settings.v1', JSON.stringify({ locale: 'zh-CN' }))
    r = await renderApp(fake(), { hash: '#/analysis/7' })
    const menu = await openMenu(r.container)
    expect(byTestId(menu, 'export-png-memory').textContent).toBe('PNG：聚合进程内存')
    expect(byTestId(menu, 'export-csv-invalid').textContent).toBe('CSV：无效行')
  })
})
