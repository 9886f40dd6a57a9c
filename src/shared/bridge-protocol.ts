// Wire protocol of the browser bridge (`loglens serve`): the renderer in a local browser talks
// to the same service the Electron main process hosts. Every URL lives under /t/<token>/ so the
// random token travels with every request, including the page's own assets.
//
//   GET  /t/<token>/                       the built renderer (index.html, assets/…)
//   WS   /t/<token>/ws                      calls and events (messages below, JSON)
//   POST /t/<token>/upload?name=<file name> one dropped file's bytes, streamed; answers
//                                           Envelope<FileSelection> as JSON
//   GET  /t/<token>/download/<id>           an export made by exportReport (one-time)
import type { CallName, EventName, EventPayloads } from './contract'
import type { Envelope } from './types'

export type BridgeClientMessage = { type: 'call'; id: number; name: CallName; args?: unknown }

export type BridgeServerMessage =
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { [E in EventName]: { type: 'event'; name: E; payload: EventPayloads[E] } }[EventName]

export const BRIDGE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/

/** `/t/<token>/…` → the token, or null. */
export function tokenFromPath(pathname: string): string | null {
  const m = /^\/t\/([^/]+)\//.exec(pathname)
  return m && BRIDGE_TOKEN_PATTERN.test(m[1]!) ? m[1]! : null
}
