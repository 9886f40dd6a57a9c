// Export: a menu button offering every format and every part the report engine can export (the
// whole report, the whole view or one chart as PNG, any table as CSV, JSON). Keyboard: Down/Up
// (or Enter/Space) open it; in it, arrows, Home and End move, Escape closes and returns to the
// button, Tab closes and moves on.
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { ExportKind } from '../../../shared/contract'
import { CHART_IDS, CSV_TABLES } from '../../../shared/export-parts'
import { useI18n } from '../context'
import type { Exporter, ExportPart } from '../state/useExport'
import { Icon } from './Icon'

interface Item {
  kind: ExportKind
  part?: ExportPart
  testId: string
}

interface Group {
  id: 'report' | 'png' | 'csv' | 'data'
  items: Item[]
}

const item = (kind: ExportKind, part?: ExportPart): Item => ({
  kind,
  ...(part ? { part } : {}),
  testId: part ? `export-${kind}-${part}` : `export-${kind}`,
})

/** Two columns (report and images; tables and data), in reading order. */
const COLUMNS: Group[][] = [
  [
    { id: 'report', items: [item('html'), item('pdf')] },
    { id: 'png', items: [item('png'), ...CHART_IDS.map((c) => item('png', c))] },
  ],
  [
    {
      id: 'csv',
      items: [item('csv'), ...CSV_TABLES.filter((x) => x !== 'ips').map((x) => item('csv', x))],
    },
    { id: 'data', items: [item('json')] },
  ],
]

const itemsOf = (menu: HTMLElement | null): HTMLElement[] =>
  menu ? Array.from(menu.querySelectorAll<HTMLElement>('[role="menuitem"]')) : []

export function ExportMenu({ exporter }: { exporter: Exporter }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  /** Which item takes focus when the menu opens: the first, or the last (opened with Up). */
  const focusOnOpen = useRef<'first' | 'last'>('first')
  const uid = useId()
  const menuId = `${uid}-menu`
  const buttonId = `${uid}-button`

  const label = (it: Item): string => {
    if (it.kind === 'png') return t('export.png', { part: t(`export.part.${it.part ?? 'view'}`) })
    if (it.kind === 'csv') return t('export.csv', { part: t(`export.part.${it.part ?? 'ips'}`) })
    return t(`export.${it.kind}`)
  }

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [open])

  // Once open: keep the menu inside the window (it hangs from the button's right edge; when the
  // button sits near the left edge it hangs from the left instead, and a short window scrolls it),
  // then focus the first (or last) item.
  useLayoutEffect(() => {
    const el = menu.current
    if (!open || !el) return
    const r = el.getBoundingClientRect()
    if (r.left < 8) el.classList.add('menu-list-start')
    const room = window.innerHeight - r.top - 12
    if (room > 0 && r.height > room) el.style.maxHeight = `${Math.max(room, 240)}px`
    const items = itemsOf(el)
    ;(focusOnOpen.current === 'last' ? items[items.length - 1] : items[0])?.focus()
  }, [open])

  const close = (refocus: boolean) => {
    setOpen(false)
    if (refocus) button.current?.focus()
  }

  const choose = (it: Item) => {
    close(true)
    void exporter.run(it.kind, it.part)
  }

  // While an export runs the button stays focusable (focus returns to it) but does nothing.
  const busy = exporter.busy

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (busy || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return
    e.preventDefault()
    focusOnOpen.current = e.key === 'ArrowUp' ? 'last' : 'first'
    if (open) {
      const items = itemsOf(menu.current)
      ;(e.key === 'ArrowUp' ? items[items.length - 1] : items[0])?.focus()
    } else setOpen(true)
  }

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = itemsOf(menu.current)
    const at = items.indexOf(document.activeElement as HTMLElement)
    const move = (i: number) => {
      e.preventDefault()
      items[(i + items.length) % items.length]?.focus()
    }
    switch (e.key) {
      case 'ArrowDown':
        return move(at + 1)
      case 'ArrowUp':
        return move(at < 0 ? items.length - 1 : at - 1)
      case 'Home':
        return move(0)
      case 'End':
        return move(items.length - 1)
      case 'Escape':
        e.preventDefault()
        e.stopPropagation()
        return close(true)
      case 'Tab':
        // Focus goes back to the button, and the Tab itself then moves on from there.
        return close(true)
    }
  }

  return (
    <div className="menu" ref={box}>
      <button
        type="button"
        className="btn"
        id={buttonId}
        ref={button}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={exporter.disabled}
        aria-disabled={busy || undefined}
        onClick={() => {
          if (busy) return
          focusOnOpen.current = 'first'
          setOpen((o) => !o)
        }}
        onKeyDown={onButtonKey}
        data-testid="export"
      >
        <Icon name="download" />
        {busy ? t('export.working') : t('analysis.export')}
        <Icon name="chevronDown" size={14} />
      </button>
      {open ? (
        <div
          className="menu-list export-menu"
          role="menu"
          id={menuId}
          aria-labelledby={buttonId}
          ref={menu}
          onKeyDown={onMenuKey}
          data-testid="export-menu"
        >
          {COLUMNS.map((groups, c) => (
            <div key={c} role="none" className="export-menu-col">
              {groups.map((g, i) => (
                <div key={g.id} role="none" className="export-menu-section">
                  {i > 0 ? <div role="separator" className="menu-sep" /> : null}
                  <div role="group" aria-labelledby={`${uid}-${g.id}`}>
                    <div role="presentation" className="menu-heading" id={`${uid}-${g.id}`}>
                      {t(`export.group.${g.id}`)}
                    </div>
                    {g.items.map((it) => (
                      <button
                        key={it.testId}
                        type="button"
                        role="menuitem"
                        tabIndex={-1}
                        onClick={() => choose(it)}
                        data-testid={it.testId}
                      >
                        {label(it)}
                      </button>
                    ))}
                  </div>
                </div>
              ))}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  )
}
