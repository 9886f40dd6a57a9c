// The home screen's drop target: files or folders dropped here start an analysis.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useI18n, useServices, useStore } from '../context'
import { Icon } from './Icon'
import { Bar } from './ProgressPanel'

export function DropZone(props: {
  onDrop(dt: DataTransfer): void
  onOpen(): void
  onSample(): void
  busy: boolean
  /** Options shown under the buttons (the log format). */
  children?: ReactNode
}) {
  const { t, fmt } = useI18n()
  const { client } = useServices()
  const uploads = useStore(client.uploads)
  const blocked = props.busy || uploads !== null
  const sentText = uploads
    ? t('drop.uploadBytes', {
        sent: fmt.bytes(uploads.bytesDone),
        size: fmt.bytes(uploads.bytesTotal),
      })
    : ''
  const [over, setOver] = useState(false)
  const depth = useRef(0)
  // Cancel upload goes away with the upload: the keyboard's focus moves on to Open… (enabled again).
  const openButton = useRef<HTMLButtonElement>(null)
  const refocus = useRef(false)
  useEffect(() => {
    if (uploads === null && refocus.current) {
      refocus.current = false
      openButton.current?.focus()
    }
  }, [uploads])

  const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files')

  return (
    <section
      className={'dropzone' + (over ? ' is-over' : '') + (blocked ? ' is-busy' : '')}
      data-testid="dropzone"
      aria-labelledby="dropzone-title"
      aria-describedby="dropzone-hint"
      aria-busy={blocked}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return
        e.preventDefault()
        depth.current++
        setOver(true)
      }}
      onDragOver={(e) => {
        e.preventDefault()
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1)
        if (depth.current === 0) setOver(false)
      }}
      onDrop={(e) => {
        e.preventDefault()
        e.stopPropagation()
        depth.current = 0
        setOver(false)
        if (!blocked && e.dataTransfer) props.onDrop(e.dataTransfer)
      }}
      onClick={(e) => {
        // Mouse convenience: a click on the empty area opens the file picker. Keyboard users have
        // the Open… button (the zone itself is not a button: it contains buttons).
        if (e.target === e.currentTarget && !blocked) props.onOpen()
      }}
    >
      <div className="dropzone-icon" aria-hidden="true">
        <Icon name="upload" size={28} />
      </div>
      <h2 className="dropzone-title" id="dropzone-title">
        {over ? t('drop.release') : t('drop.title')}
      </h2>
      <p className="dropzone-hint" id="dropzone-hint">
        {t('drop.hint')}
      </p>
      <div className="dropzone-actions">
        <button
          type="button"
          className="btn btn-primary btn-lg"
          ref={openButton}
          onClick={props.onOpen}
          disabled={blocked}
          data-testid="open-files"
        >
          <Icon name="folder" />
          {t('drop.open')}
        </button>
        <button
          type="button"
          className="btn btn-lg"
          onClick={props.onSample}
          disabled={blocked}
          data-testid="open-sample"
        >
          <Icon name="sparkle" />
          {t('drop.sample')}
        </button>
      </div>
      <p className="dropzone-status" role="status" aria-live="polite">
        {uploads
          ? t('drop.uploading', {
              file: uploads.current,
              done: uploads.done + 1,
              total: uploads.total,
            })
          : props.busy
            ? t('drop.registering')
            : ''}
      </p>
      {uploads ? (
        <div className="upload-progress" data-testid="upload">
          <Bar
            ratio={uploads.bytesTotal > 0 ? uploads.bytesDone / uploads.bytesTotal : 0}
            label={t('drop.uploadLabel')}
            testId="upload-progress"
            valueText={sentText}
          />
          <span className="upload-bytes" data-testid="upload-bytes">
            {sentText}
          </span>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => {
              refocus.current = true
              client.cancelUploads()
            }}
            data-testid="cancel-upload"
          >
            {t('drop.cancelUpload')}
          </button>
        </div>
      ) : null}
      {props.children ? <div className="dropzone-footer">{props.children}</div> : null}
    </section>
  )
}
