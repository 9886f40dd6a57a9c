// @vitest-environment jsdom
import { act } from 'react'
import { describe, expect, it } from 'vitest'
import type { PartialEvent, ProgressEvent } from '../../src/shared/types'
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

function baseFake() {
  const fake = fakeClient()
  fake.handle('getAppInfo', () => ({
    version: '0.1.0',
    front: 'browser',
    platform: 'linux',
    osLocale: 'en',
    dbPath: '/tmp/x.db',
    memoryBudgetBytes: 100 * 1024 * 1024,
    cpuCount: 2,
  }))
  fake.handle('listAnalyses', () => [summary({ id: 7, name: 'old.log' })])
  return fake
}

function progress(over: Partial<ProgressEvent> = {}): ProgressEvent {
  return {
    analysisId: 5,
    bytesDone: 500,
    bytesTotal: 1000,
    lines: 120,
    pv: 118,
    invalid: 2,
    elapsedMs: 400,
    mbPerSecond: 12.5,
    linesPerSecond: 300,
    etaMs: 400,
    rssBytes: 50 * 1048576,
    heapUsedBytes: 10 * 1048576,
    currentFile: 'access.log',
    ...over,
  }
}

function partial(over: Partial<PartialEvent> = {}): PartialEvent {
  return {
    analysisId: 5,
    pv: 118,
    uv: 17,
    invalid: 2,
    bodyBytes: 4096,
    topIps: [{ ip: '192.0.2.9', pv: 40 }],
    statuses: [{ status: 200, count: 118 }],
    series: {
      bucket: 'minute',
      points: [{ t: Date.UTC(2024, 0, 1), pv: 118, uv: 17, uvExact: false, bytes: 4096 }],
    },
    firstTime: Date.UTC(2024, 0, 1, 0, 0, 5),
    lastTime: Date.UTC(2024, 0, 1, 0, 0, 59),
    memory: [{ t: 100, rss: 40 * 1048576, heapUsed: 8 * 1048576 }],
    format: 'combined',
    ...over,
  }
}

describe('home', () => {
  it('shows the drop zone, actions and the history', async () => {
    const fake = baseFake()
    r = await renderApp(fake)
    const zone = byTestId(r.container, 'dropzone')
    expect(zone.textContent).toContain('Drop access logs here')
    expect(byTestId(r.container, 'open-sample').textContent).toContain('Try with a sample log')
    expect(byTestId(r.container, 'history').textContent).toContain('old.log')
  })

  it('keeps the file count of a long history row apart from the part that may be cut', async () => {
    const fake = baseFake()
    const files = ['a-very-long-rotated-access-log-name.log.5.gz', 'b.log', 'c.log'].map(
      (name) => ({
        name,
        size: 10,
      }),
    )
    fake.handle('listAnalyses', () => [
      summary({ id: 8, name: 'a-very-long-rotated-access-log-name.log.5.gz +2', files }),
    ])
    r = await renderApp(fake)
    const row = byTestId(r.container, 'history-row')
    const name = row.querySelector('th button')!
    expect(name.textContent).toBe('a-very-long-rotated-access-log-name.log.5.gz +2')
    expect(name.querySelector('.cut')!.textContent).toBe(
      'a-very-long-rotated-access-log-name.log.5.gz',
    )
    expect(name.querySelector('.cut-tail')!.textContent).toBe(' +2')
    const cell = row.querySelector('.history-files')!
    expect(cell.textContent).toBe('a-very-long-rotated-access-log-name.log.5.gz + 2 more')
    expect(cell.querySelector('.cut-tail')!.textContent).toBe(' + 2 more')
  })

  it('marks a finished analysis that counted no line, not as a green "Complete"', async () => {
    const fake = baseFake()
    fake.handle('listAnalyses', () => [
      summary({ id: 8, name: 'wrong-format.log', pv: 0, uv: 0, invalid: 50, linesRead: 50 }),
      summary({ id: 7, name: 'old.log' }),
    ])
    r = await renderApp(fake)
    const badges = [...r.container.querySelectorAll('[data-testid="history-row"] .badge')]
    expect(badges.map((b) => [b.textContent, b.className])).toEqual([
      ['No valid lines', 'badge badge-none'],
      ['Complete', 'badge badge-complete'],
    ])
    // Still a finished analysis to anything that asks.
    expect(badges[0]!.getAttribute('data-status')).toBe('complete')
  })

  it('shows skipped files with a translated reason and keeps running', async () => {
    const fake = baseFake()
    fake.addFilesResult = {
      files: [],
      skipped: [
        {
          name: 'photo.png',
          error: { code: 'NOT_A_LOG', message: 'x', params: { file: 'photo.png' } },
        },
      ],
    }
    r = await renderApp(fake)
    const dt = { types: ['Files'], files: [], items: [] } as unknown as DataTransfer
    const zone = byTestId(r.container, 'dropzone')
    const ev = new Event('drop', { bubbles: true, cancelable: true })
    Object.defineProperty(ev, 'dataTransfer', { value: dt })
    zone.dispatchEvent(ev)
    await flush()
    await flush()
    expect(r.container.textContent).toContain('photo.png does not look like a web access log.')
    expect(fake.calls.some((c) => c.name === 'startAnalysis')).toBe(false)
    expect(byTestId(r.container, 'dropzone')).toBeTruthy()
  })

  /** Drop a file whose analysis the back end refuses as NOT_A_LOG: the notice shown. */
  async function dropRefused(file: string, params: Record<string, string>): Promise<Element> {
    const fake = baseFake()
    fake.addFilesResult = {
      files: [{ id: 'f1', name: file, size: 10, compressed: false, source: 'path' }],
      skipped: [],
    }
    fake.handle('startAnalysis', () => {
      throw { code: 'NOT_A_LOG', message: 'x', params: { file, ...params } }
    })
    r = await renderApp(fake)
    const dt = { types: ['Files'], files: [], items: [] } as unknown as DataTransfer
    const ev = new Event('drop', { bubbles: true, cancelable: true })
    Object.defineProperty(ev, 'dataTransfer', { value: dt })
    byTestId(r.container, 'dropzone').dispatchEvent(ev)
    await flush()
    await flush()
    return r.container.querySelector('.notice-error')!
  }

  it('offers to enter a format of its own when no preset reads the log', async () => {
    const notice = await dropRefused('honeypot.log', { formats: 'combined, common' })
    expect(notice.textContent).toContain(
      'Formats tried: combined, common. If your server writes a log format of its own, choose “Custom log_format…” under Log format and paste it there.',
    )
    expect(r!.container.querySelector('[data-testid="format-custom"]')).toBeNull()
    const enter = [...notice.querySelectorAll('button')].find(
      (b) => b.textContent === 'Enter its format',
    )!
    await click(enter)
    // The focus moves once the menu's text box is drawn (the next animation frame).
    await flush(50)
    const input = byTestId(r!.container, 'format-custom') as HTMLInputElement
    expect(document.activeElement).toBe(input)
    expect((byTestId(r!.container, 'format-select') as HTMLSelectElement).value).toBe('__custom__')
    expect(r!.container.querySelector('.notice-error')).toBeNull()
  })

  it('offers to choose other files when an error log was chosen', async () => {
    const notice = await dropRefused('error.log', { kind: 'error log', server: 'nginx' })
    expect(notice.textContent).toContain('error.log looks like a web server error log')
    const buttons = [...notice.querySelectorAll('button')].map((b) => b.textContent)
    expect(buttons).toContain('Choose other files')
    expect(buttons).not.toContain('Enter its format')
  })

  it('shows the analysis main asks for (Open Recent, files from the command line)', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () => detail({}, { id: 7, name: 'old.log' }))
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake)
    expect(window.location.hash).toBe('')
    await act(async () => fake.emit('menu', { command: 'openAnalysis', analysisId: 7 }))
    await flush()
    expect(window.location.hash).toBe('#/analysis/7')
    expect(
      fake.calls.some((c) => c.name === 'getAnalysis' && (c.args as { id: number }).id === 7),
    ).toBe(true)
  })

  it('switches language and remembers it', async () => {
    const fake = baseFake()
    r = await renderApp(fake)
    await typeInto(byTestId(r.container, 'language') as HTMLSelectElement, 'zh-CN')
    expect(byTestId(r.container, 'dropzone').textContent).toContain('拖入日志文件')
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(JSON.parse(localStorage.getItem('loglens.settings.v1')!).locale).toBe('zh-CN')
  })

  it('follows the OS locale from AppInfo in Electron', async () => {
    const fake = baseFake()
    ;(fake.client as { front: string }).front = 'electron'
    fake.handle('getAppInfo', () => ({
      version: '0.1.0',
      front: 'browser',
      platform: 'linux',
      osLocale: 'zh-CN',
      dbPath: '',
      memoryBudgetBytes: 1,
      cpuCount: 2,
    }))
    r = await renderApp(fake)
    expect(byTestId(r.container, 'dropzone').textContent).toContain('拖入日志文件')
  })
})

describe('an analysis from drop to done', () => {
  it('shows live figures, then the stored view', async () => {
    const fake = baseFake()
    fake.addFilesResult = {
      files: [{ id: 'f1', name: 'access.log', size: 1000, compressed: false, source: 'upload' }],
      skipped: [],
    }
    let stored = detail({}, { id: 5, status: 'running', pv: 0, uv: 0 })
    fake.handle('startAnalysis', () => ({ analysisId: 5 }))
    fake.handle('getAnalysis', () => stored)
    fake.handle('queryIps', () => ({ rows: stored.topIps, total: 2 }))
    r = await renderApp(fake)
    const ev = new Event('drop', { bubbles: true, cancelable: true })
    Object.defineProperty(ev, 'dataTransfer', { value: { types: ['Files'], files: [], items: [] } })
    byTestId(r.container, 'dropzone').dispatchEvent(ev)
    await flush()
    await flush()
    expect(fake.calls.find((c) => c.name === 'startAnalysis')?.args).toEqual({ fileIds: ['f1'] })
    expect(window.location.hash).toBe('#/analysis/5')

    fake.emit('progress', progress())
    fake.emit('partial', partial())
    await flush()
    expect(byTestId(r.container, 'progress').getAttribute('aria-valuenow')).toBe('50')
    expect(byTestId(r.container, 'kpi-pv').dataset.value).toBe('118')
    expect(byTestId(r.container, 'kpi-uv').textContent).toContain('≈')
    expect(byTestId(r.container, 'chart-top-ips').dataset.topIp).toBe('192.0.2.9')
    // Everything read, clients counted range by range (more than the aggregator's table holds).
    fake.emit('progress', progress({ bytesDone: 1000, ranges: { done: 3, total: 22 } }))
    await flush()
    expect(r.container.querySelector('.progress-sub')!.textContent).toMatch(
      /^All .+ read · counting clients by key range: 3 of 22 done$/,
    )
    expect(r.container.querySelector('#progress-title')!.textContent).toBe('Counting clients')
    // A live estimate in the millions takes the smaller face (whole at 1280 px), full text as title.
    const uvValue = () => byTestId(r!.container, 'kpi-uv').querySelector('.kpi-value')!
    expect(uvValue().classList.contains('kpi-value-long')).toBe(false)
    fake.emit('partial', partial({ uv: 1_999_773 }))
    await flush()
    expect(uvValue().textContent).toBe('≈ 1,999,773')
    expect(uvValue().classList.contains('kpi-value-long')).toBe(true)
    expect(uvValue().getAttribute('title')).toBe('≈ 1,999,773')
    // Then the clients' rows are written: said so, with no time left to guess.
    fake.emit(
      'progress',
      progress({ bytesDone: 1000, etaMs: null, saving: { clients: 1_999_773 } }),
    )
    await flush()
    expect(r.container.querySelector('#progress-title')!.textContent).toBe('Saving results')
    expect(r.container.querySelector('.progress-sub')!.textContent).toMatch(
      /^All .+ read and counted · writing 1,999,773 clients to the database$/,
    )
    expect(byTestId(r.container, 'progress-eta').textContent).toContain('—')

    stored = detail({}, { id: 5, status: 'complete' })
    fake.emit('job', { analysisId: 5, state: 'complete', error: null })
    await flush()
    await flush()
    expect(r.container.querySelector('[data-testid="cancel"]')).toBeNull()
    expect(byTestId(r.container, 'progress').getAttribute('aria-valuenow')).toBe('100')
    expect(byTestId(r.container, 'kpi-pv').dataset.value).toBe('1000')
    expect(byTestId(r.container, 'kpi-uv').dataset.value).toBe('42')
    expect(byTestId(r.container, 'kpi-invalid').dataset.value).toBe('3')
    expect(
      byTestId(r.container, 'ip-table').querySelectorAll('[data-testid="ip-row"]').length,
    ).toBe(2)
  })

  /**
   * The analysis view of a run whose first detail says `first`; the detail fetched after the
   * job ends waits for the test (endsShowingTheRun).
   */
  async function heldRun(first: 'queued' | 'running') {
    const fake = baseFake()
    let finalDetail: (v: unknown) => void = () => undefined
    let calls = 0
    fake.handle('getAnalysis', () => {
      calls++
      if (calls === 1) return detail({}, { id: 5, status: first, pv: 0, uv: 0 })
      return new Promise((resolve) => (finalDetail = resolve)) as never
    })
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/5' })
    const status = () => byTestId(r!.container, 'analysis').dataset.status
    return {
      fake,
      status,
      /** The job ends: the run shows until its final figures come, then "complete". */
      endsShowingTheRun: async () => {
        fake.emit('job', { analysisId: 5, state: 'complete', error: null })
        await flush()
        // Ended, but the stored figures are not here yet: no "complete" with a PV of 0, and not
        // the "queued" of a first detail fetched before the run began.
        expect(status()).toBe('running')
        await act(async () => finalDetail(detail({}, { id: 5, status: 'complete' })))
        await flush()
        expect(status()).toBe('complete')
      },
    }
  }

  it('says complete only once the final figures are on screen', async () => {
    // The first fetch sees the run.
    const run = await heldRun('running')
    expect(run.status()).toBe('running')
    await run.endsShowingTheRun()
    expect(byTestId(r!.container, 'kpi-pv').dataset.value).toBe('1000')
  })

  it('shows a run that began after the page opened as running until its final figures come', async () => {
    // The page opened while the analysis waited for its process.
    const run = await heldRun('queued')
    expect(run.status()).toBe('queued')
    run.fake.emit('job', { analysisId: 5, state: 'running', error: null })
    run.fake.emit('progress', progress())
    await flush()
    expect(run.status()).toBe('running')
    await run.endsShowingTheRun()
  })

  it('counts page views and invalid lines from progress between partial results', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () => detail({}, { id: 5, status: 'running', pv: 0, invalid: 0 }))
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/5' })
    const pv = () => byTestId(r!.container, 'kpi-pv').dataset.value
    const invalid = () => byTestId(r!.container, 'kpi-invalid').dataset.value
    // Progress comes every 250 ms, partial results every second: PV follows the fresher.
    fake.emit('partial', partial({ pv: 118, invalid: 2 }))
    fake.emit('progress', progress({ pv: 250_000, invalid: 31 }))
    await flush()
    expect([pv(), invalid()]).toEqual(['250000', '31'])
    // A partial newer than the last progress.
    fake.emit('partial', partial({ pv: 260_000, invalid: 33 }))
    await flush()
    expect([pv(), invalid()]).toEqual(['260000', '33'])
  })

  it('says UV and bandwidth are being counted until the first partial results come', async () => {
    const fake = baseFake()
    // A run's stored row holds the format asked for ('auto'), not yet one detected.
    fake.handle('getAnalysis', () =>
      detail({}, { id: 5, status: 'running', pv: 0, uv: 0, format: 'auto', formatDetected: false }),
    )
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/5' })
    const kpi = (id: string) => byTestId(r!.container, `kpi-${id}`)
    const formatCard = () => [
      kpi('format').querySelector('.kpi-value')!.textContent,
      kpi('format').querySelector('.kpi-sub')?.textContent ?? null,
    ]
    await flush()
    expect(formatCard()).toEqual(['—', null])
    // Progress (PV) comes first: a UV or bandwidth of 0 beside it would be wrong.
    fake.emit('progress', progress({ pv: 193_919 }))
    await flush()
    expect(kpi('pv').dataset.value).toBe('193919')
    for (const id of ['uv', 'bandwidth']) {
      expect(kpi(id).querySelector('.kpi-value')!.textContent).toBe('—')
      expect(kpi(id).querySelector('.kpi-sub')!.textContent).toBe('counting…')
      expect(kpi(id).dataset.value).toBeUndefined()
    }
    const hour = {
      bucket: 'hour' as const,
      points: [{ t: Date.UTC(2024, 0, 1), pv: 118, uv: 17, uvExact: false, bytes: 2048 }],
    }
    fake.emit('partial', partial({ uv: 4_321, bodyBytes: 2048, series: hour }))
    await flush()
    expect(kpi('uv').dataset.value).toBe('4321')
    expect(kpi('uv').querySelector('.kpi-value')!.textContent).toBe('≈ 4,321')
    expect(kpi('bandwidth').dataset.value).toBe('2048')
    // The format the job reads with comes with the partial results; detected or not is said
    // once the analysis is done.
    expect(formatCard()).toEqual(['combined', null])
    // The time range so far is the lines' own, not the buckets' starts (one hour's bucket
    // would make it 0 s long).
    const range = kpi('range')
    expect([...range.querySelectorAll('.kpi-range > span')].map((e) => e.textContent)).toEqual([
      '01/01/2024, 08:00:05',
      '01/01/2024, 08:00:59',
    ])
    expect(range.querySelector('.kpi-sub')!.textContent).toBe('54 s · UTC+08:00')
  })

  it('cancels', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () => detail({}, { id: 5, status: 'running' }))
    fake.handle('cancelAnalysis', () => null)
    r = await renderApp(fake, { hash: '#/analysis/5' })
    fake.emit('progress', progress())
    await flush()
    await click(byTestId(r.container, 'cancel'))
    expect(fake.calls.find((c) => c.name === 'cancelAnalysis')?.args).toEqual({ analysisId: 5 })
  })
})

describe('the stored view', () => {
  it('top lists show 20 rows, and all of them on request', async () => {
    const fake = baseFake()
    const paths = Array.from({ length: 35 }, (_, i) => ({
      key: `/p/${i}`,
      count: 100 - i,
      error: 0,
    }))
    const d = detail({}, { id: 3 })
    fake.handle('getAnalysis', () => ({ ...d, top: { ...d.top, path: paths } }))
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    const rows = () => byTestId(r!.container, 'top-path').querySelectorAll('li').length
    expect(rows()).toBe(20)
    const more = byTestId(r.container, 'top-more')
    expect(more.textContent).toContain('Show all 35')
    await click(more)
    expect(rows()).toBe(35)
    expect(more.getAttribute('aria-expanded')).toBe('true')
    await click(more)
    expect(rows()).toBe(20)
  })

  it('renders log text as text, never markup', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () => detail({}, { id: 3 }))
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    expect(r.container.querySelector('script')).toBeNull()
    expect(byTestId(r.container, 'top-path').textContent).toContain('<script>alert(1)</script>')
    expect(r.container.querySelector('img')).toBeNull()
    expect(byTestId(r.container, 'invalid-panel').textContent).toContain(
      '<img src=x onerror=alert(1)>',
    )
  })

  it('names the file of each invalid-line sample when the analysis read several', async () => {
    const fake = baseFake()
    const invalid = [
      {
        reason: 'bad_time' as const,
        count: 2,
        samples: ['first bad line', 'second bad line'],
        sampleFiles: ['access.log', 'access.log.2.gz'],
      },
    ]
    const two = [
      { name: 'access.log', size: 100 },
      { name: 'access.log.2.gz', size: 50 },
    ]
    fake.handle('getAnalysis', (a: { id: number }) =>
      detail({ invalid }, { id: a.id, files: a.id === 3 ? two : [two[0]!] }),
    )
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    const items = () =>
      [...byTestId(r!.container, 'invalid-panel').querySelectorAll('.samples li')].map(
        (li) => li.textContent,
      )
    expect(items()).toEqual([
      'from access.logfirst bad line',
      'from access.log.2.gzsecond bad line',
    ])
    r.unmount()
    // One file: nothing to tell apart.
    r = await renderApp(fake, { hash: '#/analysis/4' })
    expect(items()).toEqual(['first bad line', 'second bad line'])
  })

  it('searches and sorts the IP table through queryIps', async () => {
    const fake = baseFake()
    const d = detail({}, { id: 3 })
    fake.handle('getAnalysis', () => d)
    fake.handle('queryIps', () => ({ rows: d.topIps.slice(0, 1), total: 1 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    await typeInto(byTestId(r.container, 'ip-search') as HTMLInputElement, '10.0.')
    await flush(250)
    const last = fake.calls.filter((c) => c.name === 'queryIps').pop()!
    expect(last.args).toMatchObject({
      id: 3,
      search: '10.0.',
      sort: 'pv',
      dir: 'desc',
      offset: 0,
      limit: 50,
    })
    await click(byTestId(r.container, 'ip-sort-bytes'))
    expect(fake.calls.filter((c) => c.name === 'queryIps').pop()!.args).toMatchObject({
      sort: 'bytes',
      dir: 'desc',
    })
  })

  it('lets an IPv6 address break after its colons, and copies as written', async () => {
    const fake = baseFake()
    const d = detail({}, { id: 3 })
    const v6 = '2001:db8:85a3:1234:5678:8a2e:370:7334'
    const rows = [d.topIps[0]!, { ...d.topIps[0]!, ip: v6 }]
    fake.handle('getAnalysis', () => d)
    fake.handle('queryIps', () => ({ rows, total: 2 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    const cells = [...byTestId(r.container, 'ip-table').querySelectorAll('.ip-cell')]
    expect(cells.map((c) => c.textContent)).toEqual([rows[0]!.ip, v6])
    expect(cells[0]!.querySelectorAll('wbr').length).toBe(0)
    expect(cells[1]!.querySelectorAll('wbr').length).toBe(7)
  })

  it('says how many requests are dated before 1991 and not drawn', async () => {
    const fake = baseFake()
    const base = detail({}, { id: 3 })
    const drawn = base.series.points.reduce((n, p) => n + p.pv, 0)
    let stored = detail({}, { id: 3, pv: drawn + 2 })
    fake.handle('getAnalysis', () => stored)
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    expect(byTestId(r.container, 'traffic-undated').textContent).toBe(
      'Requests dated before 1991 (a server clock that was not set): 2. They are counted, but not drawn.',
    )
    r.unmount()
    // Every request drawn: no note.
    stored = detail({}, { id: 3, pv: drawn })
    r = await renderApp(fake, { hash: '#/analysis/3' })
    expect(r.container.querySelector('[data-testid="traffic-undated"]')).toBeNull()
    r.unmount()
    // None drawn: the chart's place says why.
    stored = { ...detail({}, { id: 3, pv: 50 }), series: { bucket: 'minute', points: [] } }
    r = await renderApp(fake, { hash: '#/analysis/3' })
    expect(r.container.querySelector('[aria-labelledby="traffic-title"]')!.textContent).toContain(
      'Every request is dated before 1991',
    )
  })

  it('explains zero valid lines and offers the suggested format', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () =>
      detail(
        {
          formatSuggestion: 'common',
          topIps: [],
          invalid: [{ reason: 'not_a_log_line', count: 50, samples: [] }],
        },
        { id: 4, pv: 0, uv: 0, invalid: 50 },
      ),
    )
    fake.handle('retryAnalysis', () => ({ analysisId: 9, skipped: [] }))
    r = await renderApp(fake, { hash: '#/analysis/4' })
    const outcome = byTestId(r.container, 'outcome')
    expect(outcome.textContent).toContain('No line matched the log format')
    await click(byTestId(r.container, 'rerun-suggested'))
    expect(fake.calls.find((c) => c.name === 'retryAnalysis')?.args).toEqual({
      analysisId: 4,
      format: 'common',
    })
    expect(window.location.hash).toBe('#/analysis/9')
  })

  it('shows a database error with a way forward', async () => {
    const fake = baseFake()
    let fail = true
    fake.handle('getAnalysis', () => {
      if (fail) throw { code: 'DB_LOCKED', message: 'locked' }
      return detail({}, { id: 3 })
    })
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    expect(r.container.textContent).toContain('The LogLens database is in use by another program')
    fail = false
    const retry = Array.from(r.container.querySelectorAll('button')).find((b) =>
      b.textContent?.includes('Try again'),
    )!
    await click(retry)
    expect(byTestId(r.container, 'kpi-pv').dataset.value).toBe('1000')
  })

  it('shows a failed analysis with its translated error', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () =>
      detail(
        {},
        {
          id: 3,
          status: 'failed',
          pv: 0,
          error: { code: 'GZIP_CORRUPT', message: 'x', params: { file: 'a.gz' } },
          // Failed before any line was read: the row still holds the format asked for.
          format: 'auto',
          formatDetected: false,
        },
      ),
    )
    r = await renderApp(fake, { hash: '#/analysis/3' })
    await typeInto(byTestId(r.container, 'language') as HTMLSelectElement, 'zh-CN')
    expect(byTestId(r.container, 'outcome').textContent).toContain('“a.gz”是损坏的 .gz 压缩包')
    // Not "auto · 手动指定": no format was found, and auto-detection was not the user's choice.
    const format = byTestId(r.container, 'kpi-format')
    expect(format.querySelector('.kpi-value')!.textContent).toBe('—')
    expect(format.querySelector('.kpi-sub')).toBeNull()
  })
})

describe('cancelled and incomplete runs', () => {
  it('says what happened and offers a retry and another file', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () =>
      detail({}, { id: 3, status: 'cancelled', bytesRead: 500_000, totalBytes: 1_000_000 }),
    )
    fake.handle('retryAnalysis', () => ({ analysisId: 4, skipped: [] }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    const outcome = byTestId(r.container, 'outcome')
    expect(outcome.textContent).toContain('Analysis cancelled. The results read so far are shown.')
    expect(outcome.textContent).toContain('Open another file')
    expect(byTestId(r.container, 'progress').getAttribute('aria-valuenow')).toBe('50')
    await click(byTestId(r.container, 'retry'))
    expect(fake.calls.find((c) => c.name === 'retryAnalysis')?.args).toEqual({ analysisId: 3 })
  })

  it('runs again on the files still there and says which are gone', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', ({ id }) =>
      detail({}, { id, status: id === 3 ? 'cancelled' : 'complete' }),
    )
    fake.handle('retryAnalysis', () => ({
      analysisId: 4,
      skipped: [
        {
          name: 'access.log.1',
          error: { code: 'NOT_FOUND', message: 'x', params: { file: 'access.log.1' } },
        },
      ],
    }))
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    await click(byTestId(r.container, 'retry'))
    await flush()
    expect(window.location.hash).toBe('#/analysis/4')
    expect(r.container.textContent).toContain('Some files were left out')
    expect(r.container.textContent).toContain(
      'access.log.1 was not found. It may have been moved or deleted.',
    )
  })

  it('explains an incomplete run with the translated cause', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () =>
      detail(
        {},
        {
          id: 3,
          status: 'incomplete',
          error: { code: 'AGGREGATOR_CRASHED', message: 'x' },
        },
      ),
    )
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    expect(byTestId(r.container, 'outcome').textContent).toContain(
      'The analysis process stopped unexpectedly.',
    )
  })

  it('says a file was left out, not that reading stopped, when the rest was read in full', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () =>
      detail(
        {},
        {
          id: 3,
          status: 'incomplete',
          format: 'common + combined + vhost_combined',
          bytesRead: 314_691,
          totalBytes: 314_691,
          error: { code: 'NOT_A_LOG', message: 'x', params: { file: 'notes.txt' } },
        },
      ),
    )
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    const outcome = byTestId(r.container, 'outcome').textContent
    expect(outcome).toContain(
      'A file was left out of the analysis. The results of the others are kept.',
    )
    expect(outcome).toContain('notes.txt does not look like a web access log.')
    expect(outcome).not.toContain('stopped early')
    // The same files again would leave it out again: no retry, another file instead.
    expect(r.container.querySelector('[data-testid="retry"]')).toBeNull()
    expect(outcome).toContain('Open another file')
    const run = r.container.querySelector('#run-title')!.textContent
    expect(run).toMatch(/^Read .* of /)
    const format = byTestId(r.container, 'kpi-format')
    expect(format.textContent).toContain('common +2')
    expect(format.querySelector('[title]')?.getAttribute('title')).toBe(
      'common + combined + vhost_combined',
    )
  })

  it('lists the files of an analysis of several, from the keyboard, marking those left out', async () => {
    const fake = baseFake()
    fake.handle('getAnalysis', () =>
      detail(
        {},
        {
          id: 3,
          status: 'incomplete',
          files: [
            { name: 'access.log', size: 2048, path: '/var/log/nginx/access.log' },
            { name: 'notes.txt', size: 100 },
            { name: 'access.log.1', size: 4096 },
          ],
          totalBytes: 6144,
          error: { code: 'NOT_A_LOG', message: 'x', params: { file: 'notes.txt' } },
          errors: [
            { code: 'NOT_A_LOG', message: 'x', params: { file: 'notes.txt' } },
            { code: 'NOT_FOUND', message: 'y', params: { file: 'access.log.1' } },
          ],
        },
      ),
    )
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    const toggle = byTestId(r.container, 'files-toggle') as HTMLButtonElement
    expect(toggle.textContent).toBe('3 files · 6.00 KB')
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(r.container.querySelector('[data-testid="file-list"]')).toBeNull()
    await click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    const list = byTestId(r.container, 'file-list')
    expect(toggle.getAttribute('aria-controls')).toBe(list.id)
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'access.log2.00 KB',
      'notes.txt100 Bleft out',
      'access.log.14.00 KBnot read in full',
    ])
    expect(list.querySelector('li')!.getAttribute('title')).toBe('/var/log/nginx/access.log')
    await click(toggle)
    expect(r.container.querySelector('[data-testid="file-list"]')).toBeNull()
  })

  it('names every file left out, and offers a retry only when one could be read again', async () => {
    const fake = baseFake()
    const leftOut = (file: string) => ({
      code: 'NOT_A_LOG' as const,
      message: 'x',
      params: { file, leftOut: 'yes' },
    })
    const gone = { code: 'NOT_FOUND' as const, message: 'y', params: { file: 'b.log' } }
    fake.handle('getAnalysis', (a: { id: number }) =>
      detail(
        {},
        {
          id: a.id,
          status: 'incomplete',
          error: leftOut('notes.txt'),
          errors:
            a.id === 3 ? [leftOut('notes.txt'), leftOut('pic.png')] : [leftOut('notes.txt'), gone],
        },
      ),
    )
    fake.handle('queryIps', () => ({ rows: [], total: 0 }))
    r = await renderApp(fake, { hash: '#/analysis/3' })
    const lines = () =>
      [...byTestId(r!.container, 'outcome').querySelectorAll('p')].map((p) => p.textContent)
    expect(lines()[0]).toBe(
      '2 files were left out of the analysis. The results of the others are kept.',
    )
    expect(lines().filter((l) => /does not look like a web access log/.test(l ?? ''))).toEqual([
      expect.stringMatching(/^notes\.txt does not look .*It was left out of the analysis\.$/),
      expect.stringMatching(/^pic\.png does not look .*It was left out of the analysis\.$/),
    ])
    expect(r.container.querySelector('[data-testid="retry"]')).toBeNull()
    r.unmount()
    // A file gone mid-run beside one left out: reading stopped early, and may work again.
    r = await renderApp(fake, { hash: '#/analysis/4' })
    expect(lines()[0]).toContain('stopped early')
    expect(lines().some((l) => l?.includes('b.log'))).toBe(true)
    expect(r.container.querySelector('[data-testid="retry"]')).not.toBeNull()
  })
})
