// The long-lived, non-React parts of the app, created once at start-up (main.tsx) or by a test.
import type { ApiClient } from './api/client'
import { createLiveStore, type LiveStore } from './state/live'
import { createNotices, type Notices } from './state/notices'
import { createSettingsStore, type Settings } from './state/settings'
import { createStore, type Store } from './state/store'
import { AUTO_FORMAT } from './state/actions'

export interface Core {
  client: ApiClient
  settings: Store<Settings>
  live: LiveStore
  notices: Notices
  /** The log format chosen on the home screen (used for files opened or dropped anywhere). */
  format: Store<string>
  /** "Open…" was asked for (button, menu, a banner): FileOpener listens. */
  openRequests: Store<number>
}

export function createCore(client: ApiClient): Core {
  return {
    client,
    settings: createSettingsStore(),
    live: createLiveStore(client.api),
    notices: createNotices(),
    format: createStore(AUTO_FORMAT),
    openRequests: createStore(0),
  }
}
