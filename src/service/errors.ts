import { ERROR_CODES, type ErrorCode, type ErrorInfo } from '../shared/types'

/** An error meant for the user: carries its ErrorInfo across every boundary. */
export class ServiceError extends Error {
  readonly info: ErrorInfo

  constructor(code: ErrorCode, message: string, params?: ErrorInfo['params']) {
    super(message)
    this.info = params ? { code, message, params } : { code, message }
  }

  static from(info: ErrorInfo): ServiceError {
    return new ServiceError(info.code, info.message, info.params)
  }
}

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
