// Main's side of the contract: one ipcMain handler per call, typed from src/shared/contract.ts.
// Every call is checked (sender here; argument count and schema in dispatchCall, shared with the
// browser bridge) before the service sees it, and every outcome travels back as an Envelope: a
// failure reaches the renderer as data with an error code, never as "Error invoking remote method".
import type { WebFrameMain } from 'electron'
import { dispatchCall } from '../service/dispatch'
import {
  EVENT_NAMES,
  callArgs,
  callChannel,
  eventChannel,
  type CallHandlers,
  type CallName,
  type EventName,
  type EventPayloads,
} from '../shared/contract'
import type { Envelope } from '../shared/types'

/** The parts of an IPC invoke event we look at. */
export interface InvokeEventLike {
  senderFrame: Pick<WebFrameMain, 'url' | 'parent'> | null
}

/** The parts of ipcMain we use (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface IpcOptions {
  isTrustedSender(frame: InvokeEventLike['senderFrame']): boolean
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
}

export const CALL_NAMES = Object.keys(callArgs) as CallName[]

/** Register one handler per call. Returns a function that removes them all. */
export function registerIpcHandlers(
  ipc: IpcMainLike,
  handlers: CallHandlers,
  opts: IpcOptions,
): () => void {
  const log = opts.log ?? (() => {})
  for (const name of CALL_NAMES) {
    ipc.handle(callChannel(name), async (event, ...args) => {
      if (!opts.isTrustedSender(event.senderFrame)) {
        log('warn', `IPC ${name} refused: untrusted sender ${event.senderFrame?.url ?? '(none)'}`)
        return {
          ok: false,
          error: { code: 'INVALID_INPUT', message: 'Call refused: not the LogLens window' },
        } satisfies Envelope<never>
      }
      const envelope = await dispatchCall(handlers, name, args)
      if (!envelope.ok && envelope.error.code === 'INTERNAL')
        log('error', `IPC ${name} failed: ${envelope.error.message}`)
      return envelope
    })
  }
  return () => {
    for (const name of CALL_NAMES) ipc.removeHandler(callChannel(name))
  }
}

/** Where events go: the live windows' web contents. */
export interface EventTarget {
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

export type Subscribe = <E extends EventName>(
  event: E,
  listener: (payload: EventPayloads[E]) => void,
) => () => void

/** Forward every service event to every live window. Returns an unsubscribe function. */
export function forwardEvents(subscribe: Subscribe, targets: () => EventTarget[]): () => void {
  const offs = EVENT_NAMES.filter((e) => e !== 'menu').map((name) =>
    subscribe(name, (payload) => sendEvent(targets(), name, payload)),
  )
  return () => offs.forEach((off) => off())
}

export function sendEvent<E extends EventName>(
  targets: EventTarget[],
  name: E,
  payload: EventPayloads[E],
): void {
  for (const t of targets) if (!t.isDestroyed()) t.send(eventChannel(name), payload)
}
