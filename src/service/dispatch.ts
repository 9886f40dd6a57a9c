// One call from a front (Electron IPC or the browser bridge): validate the argument at the
// boundary, run the handler, and wrap the outcome in an Envelope. Never throws: failures travel
// as data with an error code the renderer can translate.
import { parseCallArgs, type CallHandlers, type CallName } from '../shared/contract'
import { ERROR_CODES, type Envelope, type ErrorCode, type ErrorInfo } from '../shared/types'

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
export function errorInfoOf(e: unknown): ErrorInfo {
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
