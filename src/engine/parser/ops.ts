// Op codes of the format machine and the result codes it returns.

import { INVALID_REASONS } from '../../shared/types'
import type { InvalidReason } from '../../shared/types'
import type { FieldKind } from './elements'

/** 1 + the reason's index in INVALID_REASONS (0 is VALID). */
function code(r: InvalidReason): number {
  const i = INVALID_REASONS.indexOf(r)
  if (i < 0) throw new Error(`invalid-line reason ${r} is not in INVALID_REASONS`)
  return 1 + i
}
export const R_NOT_LOG = code('not_a_log_line')
export const R_CLIENT = code('bad_client')
export const R_TIME = code('bad_time')
export const R_REQUEST = code('bad_request')
export const R_STATUS = code('bad_status')
export const R_BYTES = code('bad_bytes')
export const R_TRUNCATED = code('truncated')
export const R_UNEXPECTED = code('unexpected_text')

export const OP_LIT = 0
export const OP_CLIENT = 1
export const OP_TIME_LOCAL = 2
export const OP_TIME_ISO = 3
export const OP_EPOCH = 4
export const OP_REQUEST = 5
export const OP_METHOD = 6
export const OP_URI = 7
export const OP_STATUS = 8
export const OP_BYTES_BODY = 9
export const OP_BYTES_SENT = 10
export const OP_REFERER = 11
export const OP_AGENT = 12
export const OP_OPAQUE = 13
export const OP_REST = 14

export const OP_OF: Record<FieldKind, number> = {
  client: OP_CLIENT,
  time_local: OP_TIME_LOCAL,
  time_iso: OP_TIME_ISO,
  epoch: OP_EPOCH,
  request: OP_REQUEST,
  method: OP_METHOD,
  uri: OP_URI,
  status: OP_STATUS,
  bytes_body: OP_BYTES_BODY,
  bytes_sent: OP_BYTES_SENT,
  referer: OP_REFERER,
  agent: OP_AGENT,
  opaque: OP_OPAQUE,
  rest: OP_REST,
}
export const REASON_OF: Record<FieldKind, number> = {
  client: R_CLIENT,
  time_local: R_TIME,
  time_iso: R_TIME,
  epoch: R_TIME,
  request: R_REQUEST,
  method: R_REQUEST,
  uri: R_REQUEST,
  status: R_STATUS,
  bytes_body: R_BYTES,
  bytes_sent: R_BYTES,
  referer: R_UNEXPECTED,
  agent: R_UNEXPECTED,
  opaque: R_UNEXPECTED,
  rest: R_UNEXPECTED,
}
