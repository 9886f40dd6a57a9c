// Dismissible messages shown under the top bar (skipped files, export results, errors of
// actions that have no panel of their own). Announced politely to screen readers.
import { createStore, type Store } from './store'

export interface NoticeAction {
  label: string
  run(): void
}

export interface Notice {
  id: number
  tone: 'error' | 'warning' | 'info' | 'success'
  title: string
  lines?: string[]
  actions?: NoticeAction[]
  /** A link to download (browser exports). */
  href?: { url: string; label: string; fileName: string }
}

export interface Notices {
  store: Store<Notice[]>
  push(n: Omit<Notice, 'id'>): number
  dismiss(id: number): void
  clear(): void
}

export function createNotices(): Notices {
  const store = createStore<Notice[]>([])
  let next = 1
  return {
    store,
    push(n) {
      const id = next++
      // Keep the list short: the newest four are enough context.
      store.set((list) => [...list.slice(-3), { ...n, id }])
      return id
    },
    dismiss(id) {
      store.set((list) => list.filter((n) => n.id !== id))
    },
    clear() {
      store.set([])
    },
  }
}
