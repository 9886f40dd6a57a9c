// Opening files: the hidden <input type=file> (browser) or the native dialog (Electron), and
// files dropped anywhere on the window outside the drop zone (never let the browser open them).
import { useEffect, useRef } from 'react'
import { useServices } from '../context'
import { useActions } from '../state/actions'

export function FileOpener() {
  const { client, api, format, openRequests } = useServices()
  const actions = useActions()
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    let seen = openRequests.get()
    return openRequests.subscribe(() => {
      if (openRequests.get() === seen) return
      seen = openRequests.get()
      if (client.front === 'electron') void actions.analyse(api.openFileDialog(), format.get())
      else input.current?.click()
    })
  }, [actions, api, client, format, openRequests])

  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault()
    const drop = (e: DragEvent) => {
      e.preventDefault()
      if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files'))
        void actions.analyse(client.addDropped(e.dataTransfer), format.get())
    }
    window.addEventListener('dragover', over)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragover', over)
      window.removeEventListener('drop', drop)
    }
  }, [actions, client, format])

  return (
    <input
      ref={input}
      type="file"
      multiple
      hidden
      data-testid="file-input"
      onChange={(e) => {
        const files = Array.from(e.target.files ?? [])
        e.target.value = ''
        if (files.length) void actions.analyse(client.addFiles(files), format.get())
      }}
    />
  )
}
