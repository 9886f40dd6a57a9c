// Home: drop zone, Open…, the sample, the log format, and the history of past analyses.
import { useState } from 'react'
import { DropZone } from '../components/DropZone'
import { FormatPicker } from '../components/FormatPicker'
import { HistoryList } from '../components/HistoryList'
import { useI18n, useServices } from '../context'
import { useActions } from '../state/actions'

export function HomeView(props: { format: string; onFormat(f: string): void }) {
  const { t } = useI18n()
  const { client, api, openFiles } = useServices()
  const actions = useActions()
  const [busy, setBusy] = useState(false)

  const run = (selection: Parameters<typeof actions.analyse>[0]) => {
    setBusy(true)
    void actions.analyse(selection, props.format).finally(() => setBusy(false))
  }

  return (
    <div className="home">
      <div className="home-hero">
        <h1 className="home-title">{t('home.title')}</h1>
        <p className="home-sub">{t('home.subtitle')}</p>
      </div>
      <DropZone
        busy={busy}
        onDrop={(dt) => run(client.addDropped(dt))}
        onOpen={openFiles}
        onSample={() => run(api.openSample())}
      >
        <FormatPicker value={props.format} onChange={props.onFormat} compact />
      </DropZone>
      <HistoryList />
    </div>
  )
}
