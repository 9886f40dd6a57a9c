// One call from a front (Electron IPC or the browser bridge): validate the argument at the
// boundary, run the handler, and wrap the outcome in an Envelope. Never throws: failures travel
// as data with an error code the renderer can translate.
import { parseCallArgs, type CallHandlers, type CallName } from '../shared/contract'
import type { Envelope } from '../shared/types'
import { errorInfoOf } from './errors'

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
    return { ok: false, error: { code: 'INVALID_INPUT', message: `${name}: ${parsed.message}` } }
  try {
    const handler = handlers[name] as (a: unknown) => unknown
    const value = await handler(parsed.value)
    return { ok: true, value: value === undefined ? null : value }
  } catch (e) {
    return { ok: false, error: errorInfoOf(e) }
  }
}
