// @vitest-environment jsdom
import { act } from 'react'
import { describe, expect, it } from 'vitest'
import {
  byTestId,
  click,
  detail,
  fakeClient,
  flush,
  renderApp,
  summary,
  typeInto,
  type Rendered,
} from './helpers'

let r: Rendered | null = null

function fake() {
  const f = fakeClient()
  let list = [
    summary({ id: 7, name: 'old.log' }),
    summary({ id: 8, name: 'other.log', status: 'cancelled' }),
  ]
  f.handle('listAnalyses', () => list)
  f.handle('renameAnalysis', (a: { id: number; name: string }) => {
    list = list.map((x) => (x.id === a.id ? { ...x, name: a.name } : x))
    return list.find((x) => x.id === a.id)!
  })
  f.handle('deleteAnalysis', (a: { id: number }) => {
    list = list.filter((x) => x.id !== a.id)
    return null
  })
  f.handle('getAnalysis', (a: { id: number }) =>
    detail(
      {},
      list.find((x) => x.id === a.id),
    ),
  )
  f.handle('queryIps', () => ({ rows: [], total: 0 }))
  return f
}

const button = (root: ParentNode, label: string) =>
  Array.from(root.querySelectorAll('button')).find(
    (b) => b.getAttribute('aria-label') === label || b.textContent === label,
  )!

describe('history', () => {
  it('lists past analyses with status and figures', async () => {
    r = await renderApp(fake())
    const rows = r.container.querySelectorAll('[data-testid="history-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.textContent).toContain('old.log')
    expect(rows[0]!.textContent).toContain('1,000')
    expect(rows[1]!.textContent).toContain('Cancelled')
  })

  it('renames through a dialog (keyboard: Escape cancels)', async () => {
    const f = fake()
    r = await renderApp(f)
    await click(button(r.container, 'Rename old.log'))
    const dialog = document.querySelector('[role="dialog"]')!
    expect(dialog.textContent).toContain('Rename analysis')
    const input = dialog.querySelector('input')!
    expect(document.activeElement).toBe(input)
    await act(async () => {
      dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    })
    expect(document.querySelector('[role="dialog"]')).toBeNull()

    await click(button(r.container, 'Rename old.log'))
    await typeInto(document.querySelector('[role="dialog"] input')!, 'March traffic')
    await act(async () => {
      document.querySelector<HTMLFormElement>('[role="dialog"] form')!.requestSubmit()
    })
    await flush()
    expect(f.calls.find((c) => c.name === 'renameAnalysis')?.args).toEqual({
      id: 7,
      name: 'March traffic',
    })
    f.emit('analysesChanged', { reason: 'updated' })
    await flush()
    expect(byTestId(r.container, 'history').textContent).toContain('March traffic')
  })

  it('deletes after confirmation', async () => {
    const f = fake()
    r = await renderApp(f)
    await click(button(r.container, 'Delete other.log'))
    const dialog = document.querySelector('[role="dialog"]')!
    expect(dialog.textContent).toContain('Your log files are not touched')
    await click(button(dialog, 'Delete'))
    f.emit('analysesChanged', { reason: 'deleted' })
    await flush()
    expect(r.container.querySelectorAll('[data-testid="history-row"]')).toHaveLength(1)
  })

  it('opens an analysis from the list', async () => {
    r = await renderApp(fake())
    await click(button(r.container, 'Open old.log'))
    expect(window.location.hash).toBe('#/analysis/7')
    expect(byTestId(r.container, 'kpi-pv').dataset.value).toBe('1000')
  })
})

describe('history filter', () => {
  /** `count` analyses named "run N", newest first; the fake filters as the service does. */
  function many(count: number) {
    const f = fakeClient()
    const list = Array.from({ length: count }, (_, i) =>
      summary({ id: count - i, name: `run ${count - i}` }),
    )
    f.handle('listAnalyses', (a: { search?: string } | undefined) =>
      a?.search ? list.filter((x) => x.name.includes(a.search!)) : list,
    )
    return f
  }
  const rows = () => r!.container.querySelectorAll('[data-testid="history-row"]')

  it('appears for a long list and asks the back end for the analyses that match', async () => {
    const f = many(12)
    r = await renderApp(f)
    expect(rows()).toHaveLength(12)
    const box = byTestId(r.container, 'history-filter') as HTMLInputElement
    expect(box.getAttribute('aria-label')).toBe('Filter analyses by name or file')
    await typeInto(box, 'run 1')
    await flush(200)
    expect(f.calls.filter((c) => c.name === 'listAnalyses').at(-1)!.args).toEqual({
      search: 'run 1',
    })
    expect([...rows()].map((x) => x.querySelector('th')!.textContent)).toEqual([
      'run 12',
      'run 11',
      'run 10',
      'run 1',
    ])
    // Nothing matches: said so, and the box stays to change the text.
    await typeInto(box, 'zzz')
    await flush(200)
    expect(rows()).toHaveLength(0)
    const panel = r.container.querySelector('#history-title')!.closest('section')!
    expect(panel.textContent).toContain('No analysis has “zzz” in its name or its files’ names.')
    expect(panel.querySelector('[data-testid="history-filter"]')).not.toBeNull()
  })

  it('is not there for a short list', async () => {
    r = await renderApp(many(3))
    expect(rows()).toHaveLength(3)
    expect(r.container.querySelector('[data-testid="history-filter"]')).toBeNull()
  })

  it('says when only the most recent are listed', async () => {
    r = await renderApp(many(500))
    expect(byTestId(r.container, 'history-limit').textContent).toBe(
      'The 500 most recent are listed: filter to find an older one.',
    )
  })
})

describe('shell', () => {
  it('switches theme and remembers it', async () => {
    r = await renderApp(fake())
    await click(byTestId(r.container, 'theme-dark'))
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(JSON.parse(localStorage.getItem('loglens.settings.v1')!).theme).toBe('dark')
    await click(byTestId(r.container, 'theme-light'))
    expect(document.documentElement.dataset.theme).toBe('light')
  })

  it('shows the About box crediting 程序员晚枫', async () => {
    r = await renderApp(fake())
    await click(button(r.container, 'About'))
    expect(document.querySelector('[role="dialog"]')!.textContent).toContain('程序员晚枫')
  })

  it('keeps the dashboard free of the watermark', async () => {
    r = await renderApp(fake(), { hash: '#/analysis/7' })
    expect(r.container.textContent).not.toContain('程序员晚枫')
  })

  it('exports and offers the download link (browser front)', async () => {
    const f = fake()
    f.handle('exportReport', () => ({
      path: null,
      downloadUrl: '/t/x/download/1',
      fileName: 'report.html',
      bytes: 2048,
    }))
    r = await renderApp(f, { hash: '#/analysis/7' })
    await click(byTestId(r.container, 'export'))
    await click(byTestId(r.container, 'export-html'))
    expect(f.calls.find((c) => c.name === 'exportReport')?.args).toEqual({
      id: 7,
      kind: 'html',
      locale: 'en',
    })
    const link = r.container.querySelector<HTMLAnchorElement>('a[download="report.html"]')!
    expect(link.getAttribute('href')).toBe('/t/x/download/1')
  })

  it('says when an export fails, in words', async () => {
    const f = fake()
    f.handle('exportReport', () => {
      throw { code: 'EXPORT_FAILED', message: 'x' }
    })
    r = await renderApp(f, { hash: '#/analysis/7' })
    await click(byTestId(r.container, 'export'))
    await click(byTestId(r.container, 'export-pdf'))
    expect(r.container.textContent).toContain('The report could not be exported.')
  })
})
