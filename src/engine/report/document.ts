// The report page as React elements: header, partial-results banner, KPIs, charts, tables,
// invalid lines, footer. Everything from the log (paths, agents, referrers, sample lines, file
// names) is a text child, so React escapes it; nothing from the log becomes a link, an attribute
// that loads anything, or markup.
import { createElement as h, Fragment, type ReactElement, type ReactNode } from 'react'
import { WATERMARK_TEXT } from '../../shared/types'
import { ChartLegend, HorizontalBars, MemoryChart, TrafficChart, VerticalBars } from './charts'
import type {
  BarShape,
  ChartId,
  Figure,
  MemoryShape,
  ReportModel,
  TableShape,
  TrafficShape,
} from './model'

type AnyFigure = Figure<TrafficShape> | Figure<MemoryShape> | Figure<BarShape>

function drawChart(f: AnyFigure): ReactElement | null {
  if (!f.shape) return null
  switch (f.id) {
    case 'traffic':
      return h(TrafficChart, { shape: f.shape as TrafficShape })
    case 'memory':
      return h(MemoryChart, { shape: f.shape as MemoryShape })
    case 'top-ips':
      return h(HorizontalBars, { shape: f.shape as BarShape })
    case 'statuses':
      return h(VerticalBars, { shape: f.shape as BarShape })
  }
}

function FigureBlock({
  figure,
  emptyText,
  standalone,
}: {
  figure: AnyFigure
  emptyText: string
  /** A chart exported on its own (PNG): its title, and the watermark in its bottom-right corner. */
  standalone: boolean
}): ReactElement {
  const chart = drawChart(figure)
  return h(
    'figure',
    { className: 'figure', 'data-chart': figure.id },
    h(
      'figcaption',
      null,
      standalone ? h('h3', null, figure.title) : null,
      h('p', { className: 'sub' }, figure.sub),
    ),
    chart && figure.shape
      ? h(
          Fragment,
          null,
          h(ChartLegend, { items: figure.shape.legend }),
          h('div', { className: 'plot' }, chart),
        )
      : h('p', { className: 'empty' }, emptyText),
    figure.note ? h('p', { className: 'note' }, figure.note) : null,
    standalone
      ? h('div', { className: 'wm-row' }, h('span', { className: 'wm' }, WATERMARK_TEXT))
      : null,
  )
}

function Table({ table, caption }: { table: TableShape; caption?: string }): ReactElement {
  return h(
    'table',
    null,
    caption ? h('caption', null, caption) : null,
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ...table.head.map((c, i) =>
          h('th', { key: i, scope: 'col', className: c.numeric ? 'num' : undefined }, c.label),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      ...table.rows.map((r, i) =>
        h(
          'tr',
          { key: i },
          ...r.cells.map((c, j) =>
            h(
              'td',
              {
                key: j,
                className:
                  [c.numeric ? 'num' : '', c.mono ? 'mono' : '', c.ip || c.whole ? 'whole' : '']
                    .join(' ')
                    .trim() || undefined,
              },
              c.ip ? breakableIp(c.text) : c.text,
              c.tag ? h('span', { className: 'tag' }, c.tag) : null,
            ),
          ),
        ),
      ),
    ),
  )
}

/**
 * A client address as text that breaks only after an IPv6 colon (<wbr> adds no character: a
 * copied address is unchanged). An IPv4 address or a hostname stays whole unless it cannot fit.
 */
function breakableIp(ip: string): ReactNode {
  if (!ip.includes(':')) return ip
  const parts = ip.split(':')
  return parts.map((p, i) =>
    h(Fragment, { key: i }, p, i < parts.length - 1 ? h(Fragment, null, ':', h('wbr')) : null),
  )
}

function Section({
  id,
  title,
  sub,
  children,
}: {
  id: string
  title: string
  sub?: string
  children?: ReactNode
}): ReactElement {
  return h(
    'section',
    { className: `section section-${id}`, 'aria-labelledby': `h-${id}` },
    h('h2', { id: `h-${id}` }, title),
    sub ? h('p', { className: 'sub' }, sub) : null,
    children,
  )
}

function Header({ m }: { m: ReportModel }): ReactElement {
  return h(
    'header',
    { className: 'doc-head' },
    h(
      'div',
      { className: 'brand' },
      h('span', { className: 'logo', 'aria-hidden': true }),
      h('span', null, 'LogLens'),
      h('span', { className: 'brand-sep' }, '·'),
      h('span', null, m.docTitle),
    ),
    h('h1', null, m.name),
    h(
      'dl',
      { className: 'meta' },
      ...m.meta.map((x, i) =>
        h(Fragment, { key: i }, h('dt', null, x.label), h('dd', null, x.value)),
      ),
    ),
    h('p', { className: 'generated' }, m.generated),
  )
}

function Partial({ m }: { m: ReportModel }): ReactElement | null {
  if (!m.partial) return null
  return h(
    'div',
    { className: 'partial', role: 'note' },
    h('strong', null, m.partial.title),
    h('p', null, m.partial.text),
    ...m.partial.reasons.map((r, i) => h('p', { key: i }, r)),
  )
}

function Kpis({ m }: { m: ReportModel }): ReactElement {
  return h(
    'div',
    { className: 'kpis' },
    ...m.kpis.map((k) =>
      h(
        'div',
        { className: 'kpi', key: k.id, 'data-kpi': k.id },
        h('div', { className: 'kpi-label' }, k.label),
        h('div', { className: 'kpi-value' }, k.value),
        k.sub ? h('div', { className: 'kpi-sub' }, k.sub) : null,
      ),
    ),
  )
}

function TopLists({ m }: { m: ReportModel }): ReactElement[] {
  return m.topLists.map((l) =>
    h(
      Section,
      { key: l.kind, id: `top-${l.kind}`, title: l.title, sub: l.sub },
      l.table.rows.length > 0
        ? h(Table, { table: l.table })
        : h('p', { className: 'empty' }, m.t('empty')),
      l.approx ? h('p', { className: 'note' }, m.t('top.approx')) : null,
    ),
  )
}

function Invalid({ m }: { m: ReportModel }): ReactElement {
  const inv = m.invalid
  return h(
    Section,
    { id: 'invalid', title: m.t('section.invalid') },
    inv
      ? h(
          Fragment,
          null,
          h(Table, { table: inv.table }),
          inv.samples.length > 0
            ? h(
                'div',
                { className: 'samples' },
                h('p', { className: 'sub' }, m.t('invalid.samples')),
                ...inv.samples.map((s, i) =>
                  h(
                    'div',
                    { key: i, className: 'sample-group' },
                    h('div', { className: 'sample-reason' }, s.reason),
                    ...s.lines.map((l, j) =>
                      h(
                        Fragment,
                        { key: j },
                        l.file
                          ? h(
                              'div',
                              { className: 'sample-file' },
                              m.t('invalid.sampleFile', { file: l.file }),
                            )
                          : null,
                        h('pre', { className: 'sample' }, l.text),
                      ),
                    ),
                  ),
                ),
              )
            : null,
        )
      : h('p', { className: 'empty' }, m.t('invalid.none')),
  )
}

function Footer({ m }: { m: ReportModel }): ReactElement {
  return h(
    'footer',
    { className: 'doc-foot' },
    h(
      'div',
      { className: 'foot-text' },
      h('span', null, m.madeWith),
      h('span', null, m.generated),
      h('span', null, m.t('doc.offline')),
    ),
    h('span', { className: 'wm' }, WATERMARK_TEXT),
  )
}

const figureOf = (m: ReportModel, id: ChartId): AnyFigure =>
  id === 'traffic'
    ? m.traffic
    : id === 'memory'
      ? m.memory
      : id === 'top-ips'
        ? m.topIps
        : m.statuses

export function ReportPage({
  model: m,
  chart,
}: {
  model: ReportModel
  chart?: ChartId
}): ReactElement {
  const empty = m.t('chart.empty')
  const fig = (f: AnyFigure, standalone = false): ReactElement =>
    h(FigureBlock, { figure: f, emptyText: empty, standalone })

  if (m.variant === 'chart') {
    return h(
      'main',
      { className: 'page variant-chart' },
      fig(figureOf(m, chart ?? 'traffic'), true),
    )
  }

  const overview = h(Section, { id: 'overview', title: m.t('section.overview') }, h(Kpis, { m }))
  const topIps = h(
    Section,
    { id: 'top-ips', title: m.topIps.title },
    fig(m.topIps),
    m.topIpTable.rows.length > 0 ? h(Table, { table: m.topIpTable }) : null,
  )
  const statuses = h(
    Section,
    { id: 'statuses', title: m.statuses.title },
    fig(m.statuses),
    m.statusTable.rows.length > 0 && m.variant === 'document'
      ? h(Table, { table: m.statusTable })
      : null,
  )
  const charts = h(
    Fragment,
    null,
    h(Section, { id: 'traffic', title: m.traffic.title }, fig(m.traffic)),
    h(Section, { id: 'memory', title: m.memory.title }, fig(m.memory)),
  )

  return h(
    'main',
    { className: `page variant-${m.variant}` },
    h(Header, { m }),
    h(Partial, { m }),
    overview,
    h(
      'div',
      { className: 'grid' },
      charts,
      topIps,
      statuses,
      ...TopLists({ m }),
      h(Invalid, { m }),
    ),
    h(Footer, { m }),
  )
}
