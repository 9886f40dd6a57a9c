// Main's side of the contract: one ipcMain handler per call, typed from src/shared/contract.ts.
// Every call is checked (sender, argument count, argument schema) before the service sees it, and
// every outcome travels back as an Envelope: a failure reaches the renderer as data with an error
// code, never as "Error invoking remote method".
import type { WebFrameMain } from 'electron'
import {
  EVENT_NAMES,
  callArgs,
  callChannel,
  eventChannel,
  parseCallArgs,
  type CallHandlers,
  type CallName,
  type EventName,
  type EventPayloads,
} from '../shared/contract'
import { ERROR_CODES, type Envelope, type ErrorCode, type ErrorInfo } from '../shared/types'

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

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)
}

function isErrorInfo(v: unknown): v is ErrorInfo {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return isErrorCode(o.code) && typeof o.message === 'string'
}

/**
 * Whatever a handler threw, as an ErrorInfo. Errors that already carry one (`.info`, `.error`,
 * or a known `.code`) keep it; anything else is INTERNAL with its message for the log.
 */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (isErrorInfo(e))
    return { code: e.code, message: e.message, ...(e.params && { params: e.params }) }
  if (typeof e === 'object' && e !== null) {
    const o = e as Record<string, unknown>
    if (isErrorInfo(o.info)) return o.info
    if (isErrorInfo(o.error)) return o.error
    if (isErrorCode(o.code)) {
      const params = o.params as ErrorInfo['params'] | undefined
      return {
        code: o.code,
        message: typeof o.message === 'string' ? o.message : o.code,
        ...(params && { params }),
      }
    }
    if (typeof o.message === 'string') return { code: 'INTERNAL', message: o.message }
  }
  return { code: 'INTERNAL', message: String(e) }
}

/** Run one call: validate the argument, call the handler, wrap the outcome. Never throws. */
export async function dispatchCall<N extends CallName>(
  handlers: CallHandlers,
  name: N,
  args: unknown[],
): Promise<Envelope<unknown>> {
  if (args.length > 1)
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `${name} takes at most one argument` },
    }
  const parsed = parseCallArgs(name, args[0])
  if (!parsed.ok)
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `${name}: ${parsed.message}` },
    }
  try {
    const handler = handlers[name] as (a: unknown) => unknown
    const value = await handler(parsed.value)
    return { ok: true, value: value === undefined ? null : value }
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) }
  }
}

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
