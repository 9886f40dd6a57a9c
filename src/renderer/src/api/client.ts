// The one module the UI talks to: detects the front (Electron preload or `loglens serve`),
// unwraps envelopes (errors become LogLensError) and turns chosen or dropped files into a
// FileSelection.
import type { Api, CallName, PreloadApi, RawApi } from '../../../shared/contract'
import { tokenFromPath } from '../../../shared/bridge-protocol'
import type { ErrorInfo, FileSelection } from '../../../shared/types'
import { createStore, type Store } from '../state/store'
import { createBridgeClient, type ConnectionState } from './bridge'
import { collectDropped } from './dropped'
import { CALL_NAMES } from './names'
import { LogLensError, toErrorInfo } from './errors'

export interface UploadProgress {
  /** Files uploaded so far, of `total`; `current` is the one on its way. */
  done: number
  total: number
  current: string
  /** Bytes sent so far, of every chosen file's `bytesTotal`. */
  bytesDone: number
  bytesTotal: number
}

export interface ApiClient {
  api: Api
  front: 'electron' | 'browser'
  connection: Store<ConnectionState>
  /** Files being uploaded (browser front), null when idle. */
  uploads: Store<UploadProgress | null>
  /** Stop the uploads under way: the files chosen are then not analysed (none of them). */
  cancelUploads(): void
  onReconnect(listener: () => void): () => void
  /** Register chosen files with the back end (Electron: by path; browser: upload). */
  addFiles(files: File[]): Promise<FileSelection>
  /** Call synchronously from a drop handler: folders are expanded. */
  addDropped(dt: DataTransfer): Promise<FileSelection>
}

export function unwrap(raw: RawApi): Api {
  const api = { on: raw.on } as Record<string, unknown>
  for (const name of CALL_NAMES) {
    api[name] = async (...args: unknown[]) => {
      const fn = raw[name] as (...a: unknown[]) => ReturnType<RawApi[CallName]>
      let env
      try {
        env = await fn(...args)
      } catch (err) {
        throw new LogLensError(toErrorInfo(err))
      }
      if (env.ok) return env.value
      throw new LogLensError(env.error)
    }
  }
  return api as Api
}

export function mergeSelections(parts: FileSelection[]): FileSelection {
  return {
    files: parts.flatMap((p) => p.files),
    skipped: parts.flatMap((p) => p.skipped),
  }
}

function skippedFor(name: string, error: ErrorInfo): FileSelection {
  return { files: [], skipped: [{ name, error }] }
}

export function createElectronClient(preload: PreloadApi): ApiClient {
  const api = unwrap(preload)
  const addFiles = async (files: File[]): Promise<FileSelection> => {
    const paths = preload.pathsForFiles(files)
    const usable = paths.filter((p) => p)
    const missing = files
      .filter((_, i) => !paths[i])
      .map((f) => ({
        name: f.name,
        error: { code: 'UNREADABLE' as const, message: 'No path', params: { file: f.name } },
      }))
    if (usable.length === 0) return { files: [], skipped: missing }
    const sel = await api.registerDroppedPaths({ paths: usable })
    return { files: sel.files, skipped: [...missing, ...sel.skipped] }
  }
  return {
    api,
    front: 'electron',
    connection: createStore<ConnectionState>('open'),
    uploads: createStore<UploadProgress | null>(null),
    cancelUploads: () => undefined,
    onReconnect: () => () => {},
    addFiles,
    // Electron resolves folders itself: the dropped folder arrives as one File with a path.
    addDropped: (dt) => addFiles(Array.from(dt.files)),
  }
}

export function createBrowserClient(loc: Location = window.location): ApiClient {
  const token = tokenFromPath(loc.pathname)
  const httpBase = token ? `/t/${token}/` : '/'
  const wsProto = loc.protocol === 'https:' ? 'wss:' : 'ws:'
  const bridge = createBridgeClient({ wsUrl: `${wsProto}//${loc.host}${httpBase}ws`, httpBase })
  const uploads = createStore<UploadProgress | null>(null)
  let abort: AbortController | null = null

  const addFiles = async (files: File[]): Promise<FileSelection> => {
    const parts: FileSelection[] = []
    const bytesTotal = files.reduce((s, f) => s + f.size, 0)
    const ctl = new AbortController()
    abort = ctl
    let sent = 0
    try {
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!
        const progress = (bytes: number): void =>
          uploads.set({
            done: i,
            total: files.length,
            current: f.name,
            bytesDone: sent + Math.min(bytes, f.size),
            bytesTotal,
          })
        progress(0)
        const env = await bridge.upload(f, f.name, { onProgress: progress, signal: ctl.signal })
        sent += f.size
        if (ctl.signal.aborted) return { files: [], skipped: [] }
        if (env.ok) parts.push(env.value)
        else if ((env.error.code as string) === 'DISCONNECTED') throw new LogLensError(env.error)
        else parts.push(skippedFor(f.name, env.error))
      }
    } finally {
      if (abort === ctl) abort = null
      uploads.set(null)
    }
    return mergeSelections(parts)
  }

  return {
    api: unwrap(bridge.raw),
    front: 'browser',
    connection: bridge.connection,
    uploads,
    cancelUploads: () => abort?.abort(),
    onReconnect: bridge.onReconnect,
    addFiles,
    addDropped: (dt) => collectDropped(dt).then(addFiles),
  }
}

/** Electron exposes window.loglens through the preload; anything else is the browser front. */
export function createApiClient(): ApiClient {
  const preload = window.loglens
  if (preload && typeof preload.getAppInfo === 'function') return createElectronClient(preload)
  return createBrowserClient()
}
