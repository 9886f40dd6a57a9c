// Export: calls exportReport and shows where the file went (or offers the download link).
import { useEffect, useRef, useState } from 'react'
import type { ExportKind } from '../../../shared/contract'
import { EXPORT_KIND_LIST } from '../api/names'
import { useI18n, useServices } from '../context'
import { Icon } from './Icon'

export function ExportMenu({ id, disabled }: { id: number; disabled?: boolean }) {
  const { t, err, locale, fmt } = useI18n()
  const { api, notices } = useServices()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const box = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [open])

  const run = async (kind: ExportKind) => {
    setOpen(false)
    setBusy(true)
    try {
      const r = await api.exportReport({ id, kind, locale })
      if (r.downloadUrl) {
        notices.push({
          tone: 'success',
          title: t('export.ready', { file: r.fileName, size: fmt.bytes(r.bytes) }),
          href: { url: r.downloadUrl, label: t('export.download'), fileName: r.fileName },
        })
      } else if (r.path) {
        notices.push({
          tone: 'success',
          title: t('export.saved', { file: r.fileName, path: r.path }),
        })
      }
    } catch (e) {
      notices.push({ tone: 'error', title: err(e) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <div
      className="menu"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation()
          setOpen(false)
          box.current?.querySelector<HTMLButtonElement>('button')?.focus()
        }
      }}
    >
      <button
        type="button"
        className="btn"
        aria-haspopup="true"
        aria-expanded={open}
        disabled={disabled || busy}
        onClick={() => setOpen((o) => !o)}
        data-testid="export"
      >
        <Icon name="download" />
        {busy ? t('export.working') : t('analysis.export')}
        <Icon name="chevronDown" size={14} />
      </button>
      {open ? (
        <ul className="menu-list">
          {EXPORT_KIND_LIST.map((k, i) => (
            <li key={k}>
              <button
                type="button"
                autoFocus={i === 0}
                onClick={() => void run(k)}
                data-testid={`export-${k}`}
              >
                {t(`export.${k}`)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
