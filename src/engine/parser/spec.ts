// Format strings to a list of elements (literal text and typed fields): nginx `log_format`
// (bare, quote-concatenated pieces, or the whole `log_format name '...' '...';` directive) and
// Apache `LogFormat` strings. No parsing of log lines here; see machine.ts for that.

import { parseApache } from './apache-format'
import type { Elem, FieldElem, FieldKind, SpecResult } from './elements'
import { nginxTokens, parseNginx } from './nginx-format'

export type { Elem, FieldElem, FieldKind, LitElem, SpecResult } from './elements'

const QUERY_VARS = new Set(['$is_args', '$args', '$query_string', '%q'])

// ---- wrappers: log_format directive, quoted pieces, LogFormat directive ----

/** Removes a `log_format name [escape=…]` / `LogFormat "…" nick` wrapper or quoted pieces. */
function unwrap(spec: string): { fmt: string; dialect?: 'nginx' | 'apache' } | string {
  const s = spec.trim()
  if (/^log_format\s/i.test(s)) {
    const r = nginxTokens(s.slice('log_format'.length))
    if (typeof r === 'string') return r
    if (r.rest.trim() !== '') return 'Only one log_format directive can be given at a time.'
    const toks = r.tokens
    if (toks.length < 2) return 'The log_format directive needs a name and a format string.'
    let k = 1
    while (k < toks.length && !toks[k]!.quoted && /^escape=/.test(toks[k]!.text)) k++
    const pieces = toks.slice(k).map((t) => t.text)
    if (pieces.length === 0) return 'The log_format directive has no format string.'
    return { fmt: pieces.join(''), dialect: 'nginx' }
  }
  if (/^LogFormat\s/i.test(s)) {
    const q = s.indexOf('"')
    if (q < 0) return 'The LogFormat directive needs its format in double quotes.'
    let j = q + 1
    let raw = ''
    for (; j < s.length && s[j] !== '"'; j++) {
      if (s[j] === '\\' && j + 1 < s.length) {
        raw += s[j]! + s[j + 1]!
        j++
      } else raw += s[j]
    }
    if (j >= s.length) return 'The LogFormat string is not closed with a double quote.'
    return { fmt: raw, dialect: 'apache' }
  }
  // nginx pieces without the directive: '…' '…' [;]
  if (s.startsWith("'") || (s.startsWith('"') && s.endsWith(';'))) {
    const r = nginxTokens(s)
    if (typeof r !== 'string' && r.rest.trim() === '' && r.tokens.every((t) => t.quoted)) {
      return { fmt: r.tokens.map((t) => t.text).join(''), dialect: 'nginx' }
    }
  }
  return { fmt: spec.replace(/^[\r\n]+|[\r\n]+$/g, '') }
}

function countNginxVars(s: string): number {
  return (s.match(/\$(\{|[A-Za-z_])/g) ?? []).length
}
function countApacheDirectives(s: string): number {
  return (s.match(/%[<>!0-9,]*(\{[^}]*\})?[<>]?[a-zA-Z]/g) ?? []).length
}

/** Parse a format string into elements, with clear errors. Presets are resolved by the caller. */
export function parseSpec(spec: string): SpecResult {
  if (spec.trim() === '') return { ok: false, error: 'The format is empty.' }
  const u = unwrap(spec)
  if (typeof u === 'string') return { ok: false, error: u }
  let dialect = u.dialect
  if (!dialect) {
    const nv = countNginxVars(u.fmt)
    const na = countApacheDirectives(u.fmt)
    if (nv === 0 && na === 0) {
      return {
        ok: false,
        error:
          'The format has no fields: use nginx variables such as $remote_addr, Apache directives such as %h, or a preset name (combined, common, vhost_combined, combined_extra).',
      }
    }
    dialect = nv >= na ? 'nginx' : 'apache'
  }
  const r = dialect === 'nginx' ? parseNginx(u.fmt) : parseApache(u.fmt)
  if (!r.ok) return r
  return normalise(r.elems, r.dialect)
}

/** Picks the client field, folds query fields into the uri, checks fields are separated. */
function normalise(input: Elem[], dialect: 'nginx' | 'apache'): SpecResult {
  const elems: Elem[] = []
  for (const e of input) {
    const prev = elems[elems.length - 1]
    if (e.t === 'field' && prev?.t === 'field') {
      if (prev.kind === 'uri' && QUERY_VARS.has(e.name.toLowerCase())) {
        prev.withQuery = true
        continue
      }
      return {
        ok: false,
        error: `The fields ${prev.name} and ${e.name} touch: put a separator (a space or other text) between them so each line can be split.`,
      }
    }
    elems.push(e)
  }
  // one field per meaning: the first wins, later ones are kept as opaque text
  let best: FieldElem | null = null
  for (const e of elems) {
    if (e.t === 'field' && e.kind === 'client') {
      if (!best || (e.clientRank ?? 0) < (best.clientRank ?? 0)) best = e
    }
  }
  if (!best) {
    return {
      ok: false,
      error:
        dialect === 'nginx'
          ? 'The format has no client address: it needs $remote_addr (or $http_x_forwarded_for / $http_x_real_ip).'
          : 'The format has no client address: it needs %h or %a.',
    }
  }
  const seen = new Set<FieldKind>()
  let hasTime = false
  for (const e of elems) {
    if (e.t !== 'field') continue
    if (e.kind === 'client' && e !== best) e.kind = 'opaque'
    let k = e.kind
    if (k === 'time_iso' || k === 'epoch') k = 'time_local'
    if (k !== 'opaque') {
      if (seen.has(k)) e.kind = 'opaque'
      seen.add(k)
    }
    if (e.kind === 'time_local' || e.kind === 'time_iso' || e.kind === 'epoch') hasTime = true
  }
  if (seen.has('bytes_body') && seen.has('bytes_sent')) {
    for (const e of elems) if (e.t === 'field' && e.kind === 'bytes_sent') e.kind = 'opaque'
  }
  if (seen.has('request')) {
    for (const e of elems) {
      if (e.t === 'field' && (e.kind === 'method' || e.kind === 'uri')) e.kind = 'opaque'
    }
  }
  if (!hasTime) {
    return {
      ok: false,
      error:
        dialect === 'nginx'
          ? 'The format has no time: it needs $time_local, $time_iso8601 or $msec.'
          : 'The format has no time: it needs %t (or %{sec}t).',
    }
  }
  return { ok: true, elems, dialect }
}

/** A canonical signature of an element list: two formats with equal signatures parse alike. */
export function signature(elems: Elem[]): string {
  return elems
    .map((e) =>
      e.t === 'lit'
        ? 'L' + JSON.stringify(e.text)
        : 'F' + e.kind + (e.perSec ?? '') + (e.withQuery ? 'q' : ''),
    )
    .join('|')
}
