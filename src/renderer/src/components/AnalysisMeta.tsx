// The line under an analysis's title: its file (or "8 files · 847 KB", a button that opens the
// list of them, each with its size and whether it was left out) and when it was made. The list
// is its own component, placed below the whole head (the head's actions keep their place).
import { analysisErrors, type AnalysisSummary, type ErrorInfo } from '../../../shared/types'
import { useI18n } from '../context'
import { Icon } from './Icon'

export function AnalysisMeta(props: {
  summary: AnalysisSummary
  /** The file list's state and element id (several files only). */
  listOpen: boolean
  listId: string
  onToggleList(): void
}) {
  const { t, fmt } = useI18n()
  const s = props.summary
  const files = s.files
  const date = fmt.dateTime(s.createdAt)
  if (files.length <= 1) {
    return (
      <p className="analysis-meta" title={files[0]?.path ?? files[0]?.name}>
        {files.length === 1
          ? `${t('analysis.file', { file: files[0]!.name, size: fmt.bytes(s.totalBytes) })} · `
          : null}
        {date}
      </p>
    )
  }
  return (
    <p className="analysis-meta">
      <button
        type="button"
        className="link analysis-files-toggle"
        aria-expanded={props.listOpen}
        aria-controls={props.listId}
        onClick={props.onToggleList}
        data-testid="files-toggle"
      >
        {t('analysis.files', { count: files.length, size: fmt.bytes(s.totalBytes) })}
        <Icon name={props.listOpen ? 'chevronUp' : 'chevronDown'} size={14} />
      </button>
      {' · '}
      {date}
    </p>
  )
}

export function AnalysisFileList({ summary: s, id }: { summary: AnalysisSummary; id: string }) {
  const { t, fmt, errInfo } = useI18n()
  // What went wrong with a file, by its name (a file left out, a file gone mid-run…).
  const problems = new Map<string, ErrorInfo>()
  for (const e of analysisErrors(s)) {
    const file = e.params?.file
    if (typeof file === 'string' && !problems.has(file)) problems.set(file, e)
  }
  return (
    <ul id={id} className="analysis-file-list" data-testid="file-list">
      {s.files.map((f, i) => {
        const problem = problems.get(f.name)
        return (
          <li key={i} title={f.path ?? f.name}>
            <span className="analysis-file-name">{f.name}</span>
            <span className="num">{fmt.bytes(f.size)}</span>
            {problem ? (
              <span className="analysis-file-problem" title={errInfo(problem)}>
                {t(
                  problem.code === 'NOT_A_LOG'
                    ? 'analysis.fileLeftOut'
                    : 'analysis.fileNotReadInFull',
                )}
              </span>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}
