import type { ErrorCode, ErrorInfo } from '../shared/types'

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
