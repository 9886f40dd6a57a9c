// What the buttons do: start an analysis from chosen files, re-run one, open the sample.
// Errors never escape: they become notices in the user's language.
import { useMemo } from 'react'
import { ERROR_LOG, type FileSelection } from '../../../shared/types'
import { toErrorInfo } from '../api/errors'
import { useI18n, useServices, type AppServices, type I18n } from '../context'

export const AUTO_FORMAT = 'auto'

function formatArg(format: string | undefined): { format?: string } {
  return format && format !== AUTO_FORMAT ? { format } : {}
}

/** The home screen's format menu set to Custom, its text box focused (after it renders). */
function enterOwnFormat(s: AppServices): void {
  s.format.set('')
  s.navigate({ name: 'home' })
  requestAnimationFrame(() =>
    document.querySelector<HTMLInputElement>('.format-custom input')?.focus(),
  )
}

export function createActions(s: AppServices, i: I18n) {
  const fail = (e: unknown) => {
    const info = toErrorInfo(e)
    s.notices.push({
      tone: 'error',
      title: i.errInfo(info),
      // No preset format matched: the log may have a format of its own; or it is an error log,
      // and the access log is the file to open.
      ...(info.code === 'NOT_A_LOG' && info.params?.formats !== undefined
        ? { actions: [{ label: i.t('format.enterOwn'), run: () => enterOwnFormat(s) }] }
        : info.code === 'NOT_A_LOG' && info.params?.kind === ERROR_LOG
          ? { actions: [{ label: i.t('skipped.action'), run: () => s.openFiles() }] }
          : {}),
    })
  }

  /** `someRead`: other files go on (a re-run), whatever `sel.files` holds. */
  const reportSkipped = (sel: FileSelection, someRead = sel.files.length > 0) => {
    if (sel.skipped.length === 0) return
    s.notices.push({
      tone: someRead ? 'warning' : 'error',
      title: someRead ? i.t('skipped.title') : i.t('skipped.none'),
      lines: sel.skipped.map((k) =>
        i.errInfo({ ...k.error, params: { file: k.name, ...(k.error.params ?? {}) } }),
      ),
      ...(someRead
        ? {}
        : { actions: [{ label: i.t('skipped.action'), run: () => s.openFiles() }] }),
    })
  }

  const startFromSelection = async (
    sel: FileSelection,
    format?: string,
  ): Promise<number | null> => {
    reportSkipped(sel)
    if (sel.files.length === 0) return null
    const fileIds = sel.files.map((f) => f.id)
    const { analysisId } = await s.api.startAnalysis({ fileIds, ...formatArg(format) })
    s.navigate({ name: 'analysis', id: analysisId })
    return analysisId
  }

  return {
    /** Files (or a pending selection) → analysis. Resolves to the new id, or null. */
    async analyse(
      selection: Promise<FileSelection | null>,
      format?: string,
    ): Promise<number | null> {
      try {
        const sel = await selection
        return sel ? await startFromSelection(sel, format) : null
      } catch (e) {
        fail(e)
        return null
      }
    },
    /** The same files again, with another format when given. */
    async rerun(analysisId: number, format?: string): Promise<number | null> {
      try {
        const { analysisId: next, skipped } = await s.api.retryAnalysis({
          analysisId,
          ...formatArg(format),
        })
        // Files that are gone are said, as when they are chosen; the others run again.
        reportSkipped({ files: [], skipped }, true)
        s.navigate({ name: 'analysis', id: next })
        return next
      } catch (e) {
        fail(e)
        return null
      }
    },
    async cancel(analysisId: number): Promise<void> {
      try {
        await s.api.cancelAnalysis({ analysisId })
      } catch (e) {
        fail(e)
      }
    },
    fail,
  }
}

export type Actions = ReturnType<typeof createActions>

export function useActions(): Actions {
  const s = useServices()
  const i = useI18n()
  return useMemo(() => createActions(s, i), [s, i])
}
