// Errors as the renderer sees them: every failed call becomes a LogLensError carrying the
// back end's ErrorInfo (code + params), so the UI can show a translated sentence.
import { ERROR_CODES, type ErrorCode, type ErrorInfo } from '../../../shared/types'

/** Codes the renderer adds for its own failures (the back end cannot report these). */
export type RendererErrorCode = ErrorCode | 'DISCONNECTED' | 'UPLOAD_FAILED'

export interface RendererErrorInfo {
  code: RendererErrorCode
  message: string
  params?: Record<string, string | number>
}

export class LogLensError extends Error {
  readonly code: RendererErrorCode
  readonly params: Record<string, string | number>

  constructor(info: RendererErrorInfo) {
    super(info.message)
    this.name = 'LogLensError'
    this.code = info.code
    this.params = info.params ?? {}
  }

  get info(): RendererErrorInfo {
    return { code: this.code, message: this.message, params: this.params }
  }
}

function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x)
}

/** Anything thrown or returned as an error → ErrorInfo-like data the UI can translate. */
export function toErrorInfo(err: unknown): RendererErrorInfo {
  if (err instanceof LogLensError) return err.info
  if (err && typeof err === 'object' && 'code' in err) {
    const e = err as Partial<ErrorInfo>
    if (isErrorCode(e.code)) {
      return { code: e.code, message: String(e.message ?? e.code), params: e.params ?? {} }
    }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message, params: {} }
}

export function disconnectedError(): LogLensError {
  return new LogLensError({
    code: 'DISCONNECTED',
    message: 'The LogLens back end is not reachable',
  })
}
