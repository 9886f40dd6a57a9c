// The renderer's whole view of the Electron back end: one function per call of the contract, one
// subscription per event, and pathsForFiles for drag-and-drop. Nothing else (no ipcRenderer, no
// generic invoke). Built from injected parts so it is unit-tested without Electron.
import type { CallName, EventName, EventPayloads, PreloadApi, RawApi } from '../shared/contract'
import { callChannel, eventChannel } from './channels'

/** The parts of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export function createPreloadApi(
  ipc: IpcRendererLike,
  getPathForFile: (file: File) => string,
): PreloadApi {
  // Calls with no argument send none, so main's argument check sees exactly what the renderer gave.
  const call = <N extends CallName>(name: N): RawApi[N] => {
    const channel = callChannel(name)
    const fn = (args?: unknown): Promise<unknown> =>
      args === undefined ? ipc.invoke(channel) : ipc.invoke(channel, args)
    return fn as RawApi[N]
  }

  // Renderer callbacks get the payload only, never the IPC event (it carries the sender).
  const subscribe = <E extends EventName>(name: E): RawApi['on'][E] => {
    const channel = eventChannel(name)
    const on = (listener: (payload: EventPayloads[E]) => void): (() => void) => {
      const wrapped = (_event: unknown, payload: unknown): void =>
        listener(payload as EventPayloads[E])
      ipc.on(channel, wrapped)
      return () => {
        ipc.removeListener(channel, wrapped)
      }
    }
    return on as RawApi['on'][E]
  }

  return {
    getAppInfo: call('getAppInfo'),
    listAnalyses: call('listAnalyses'),
    getAnalysis: call('getAnalysis'),
    queryIps: call('queryIps'),
    renameAnalysis: call('renameAnalysis'),
    deleteAnalysis: call('deleteAnalysis'),
    startAnalysis: call('startAnalysis'),
    cancelAnalysis: call('cancelAnalysis'),
    retryAnalysis: call('retryAnalysis'),
    registerDroppedPaths: call('registerDroppedPaths'),
    openFileDialog: call('openFileDialog'),
    openSample: call('openSample'),
    exportReport: call('exportReport'),
    on: {
      progress: subscribe('progress'),
      partial: subscribe('partial'),
      job: subscribe('job'),
      analysesChanged: subscribe('analysesChanged'),
      menu: subscribe('menu'),
    },
    // One entry per file, in order; '' for a file that does not live on disk (e.g. dragged out
    // of a web page), so the renderer can name the ones it could not open.
    pathsForFiles: (files) => Array.from(files, (f) => getPathForFile(f) || ''),
  } satisfies PreloadApi
}
