// What a format string compiles to: literal text and typed fields, in line order.

export type FieldKind =
  | 'client'
  | 'time_local'
  | 'time_iso'
  | 'epoch'
  | 'request'
  | 'method'
  | 'uri'
  | 'status'
  | 'bytes_body'
  | 'bytes_sent'
  | 'referer'
  | 'agent'
  | 'opaque'
  /** Anything after a space to the end of the line (combined_extra); only presets use it. */
  | 'rest'

export interface FieldElem {
  t: 'field'
  kind: FieldKind
  /** As written in the format, e.g. `$remote_addr` or `%h`. */
  name: string
  /** For client candidates: lower wins ($remote_addr before $http_x_forwarded_for). */
  clientRank?: number
  /** For `epoch`: units per second (1 = seconds, 1000 = milliseconds, 1e6 = microseconds). */
  perSec?: number
  /** For `uri`: an adjacent query-string field ($args, %q) was folded into it. */
  withQuery?: boolean
}
export interface LitElem {
  t: 'lit'
  text: string
}
export type Elem = FieldElem | LitElem

export type SpecResult =
  | { ok: true; elems: Elem[]; dialect: 'nginx' | 'apache' }
  | {
      ok: false
      error: string
    }
