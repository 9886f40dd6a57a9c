// Format strings to a list of elements (literal text and typed fields): nginx `log_format`
// (bare, quote-concatenated pieces, or the whole `log_format name '...' '...';` directive) and
// Apache `LogFormat` strings. No parsing of log lines here; see machine.ts for that.

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

// ---- nginx ----

const NGINX_VARS: Record<string, { kind: FieldKind; rank?: number; perSec?: number }> = {
  remote_addr: { kind: 'client', rank: 0 },
  realip_remote_addr: { kind: 'client', rank: 1 },
  http_x_real_ip: { kind: 'client', rank: 2 },
  http_x_forwarded_for: { kind: 'client', rank: 3 },
  time_local: { kind: 'time_local' },
  time_iso8601: { kind: 'time_iso' },
  msec: { kind: 'epoch', perSec: 1 },
  request: { kind: 'request' },
  request_method: { kind: 'method' },
  request_uri: { kind: 'uri' },
  uri: { kind: 'uri' },
  document_uri: { kind: 'uri' },
  status: { kind: 'status' },
  body_bytes_sent: { kind: 'bytes_body' },
  bytes_sent: { kind: 'bytes_sent' },
  http_referer: { kind: 'referer' },
  http_user_agent: { kind: 'agent' },
}

const QUERY_VARS = new Set(['$is_args', '$args', '$query_string', '%q'])

function isNameChar(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c)
}

function parseNginx(fmt: string): SpecResult {
  const elems: Elem[] = []
  let lit = ''
  for (let i = 0; i < fmt.length;) {
    const c = fmt[i]!
    if (c !== '$') {
      lit += c
      i++
      continue
    }
    let name: string
    let j = i + 1
    if (fmt[j] === '{') {
      const close = fmt.indexOf('}', j)
      if (close < 0) {
        return {
          ok: false,
          error: `The variable starting at position ${i + 1} has no closing "}".`,
        }
      }
      name = fmt.slice(j + 1, close)
      j = close + 1
      if (!/^[A-Za-z0-9_]+$/.test(name)) {
        return { ok: false, error: `"\${${name}}" is not a valid nginx variable name.` }
      }
    } else {
      while (j < fmt.length && isNameChar(fmt[j]!)) j++
      name = fmt.slice(i + 1, j)
      if (name === '') {
        return {
          ok: false,
          error: `The "$" at position ${i + 1} is not followed by a variable name (write it as \${name} or remove it).`,
        }
      }
    }
    if (lit) elems.push({ t: 'lit', text: lit })
    lit = ''
    const known = NGINX_VARS[name.toLowerCase()]
    const f: FieldElem = { t: 'field', kind: known?.kind ?? 'opaque', name: '$' + name }
    if (known?.rank !== undefined) f.clientRank = known.rank
    if (known?.perSec !== undefined) f.perSec = known.perSec
    elems.push(f)
    i = j
  }
  if (lit) elems.push({ t: 'lit', text: lit })
  return { ok: true, elems, dialect: 'nginx' }
}

// ---- Apache ----

function apacheHeader(name: string): { kind: FieldKind; rank?: number } {
  switch (name.toLowerCase()) {
    case 'referer':
    case 'referrer':
      return { kind: 'referer' }
    case 'user-agent':
      return { kind: 'agent' }
    case 'x-forwarded-for':
      return { kind: 'client', rank: 3 }
    case 'x-real-ip':
      return { kind: 'client', rank: 2 }
    default:
      return { kind: 'opaque' }
  }
}

const APACHE_TIME_LOCAL = '%d/%b/%Y:%H:%M:%S %z'
const APACHE_TIME_ISO = /^%Y-%m-%d[T ]%H:%M:%S(%z)?$/

function apacheTime(arg: string): { kind: FieldKind; perSec?: number } | string {
  let a = arg
  if (a.startsWith('begin:')) a = a.slice(6)
  else if (a.startsWith('end:')) a = a.slice(4)
  if (a === 'sec') return { kind: 'epoch', perSec: 1 }
  if (a === 'msec') return { kind: 'epoch', perSec: 1000 }
  if (a === 'usec') return { kind: 'epoch', perSec: 1e6 }
  if (a === 'msec_frac' || a === 'usec_frac') return { kind: 'opaque' }
  if (a === APACHE_TIME_LOCAL) return { kind: 'time_local' }
  if (APACHE_TIME_ISO.test(a) || a === '%FT%T%z' || a === '%FT%T') return { kind: 'time_iso' }
  return `The time format %{${arg}}t is not supported: use %t, %{${APACHE_TIME_LOCAL}}t, %{%Y-%m-%dT%H:%M:%S%z}t or %{sec}t.`
}

function parseApache(fmt: string): SpecResult {
  const elems: Elem[] = []
  let lit = ''
  const pushLit = (): void => {
    if (lit) elems.push({ t: 'lit', text: lit })
    lit = ''
  }
  for (let i = 0; i < fmt.length;) {
    const c = fmt[i]!
    if (c === '\\' && i + 1 < fmt.length) {
      // config-file escapes: \" \\ \t \n
      const n = fmt[i + 1]!
      lit += n === 't' ? '\t' : n === 'n' ? '\n' : n
      i += 2
      continue
    }
    if (c !== '%') {
      lit += c
      i++
      continue
    }
    const at = i + 1
    let j = i + 1
    if (fmt[j] === '%') {
      lit += '%'
      i = j + 1
      continue
    }
    // modifiers: < > ! and status lists like 400,501
    while (j < fmt.length && /[<>!0-9,]/.test(fmt[j]!)) j++
    let arg: string | null = null
    if (fmt[j] === '{') {
      const close = fmt.indexOf('}', j)
      if (close < 0) return { ok: false, error: `The "%{" at position ${at} has no closing "}".` }
      arg = fmt.slice(j + 1, close)
      j = close + 1
    }
    while (j < fmt.length && (fmt[j] === '<' || fmt[j] === '>')) j++
    let d = fmt[j]
    if (d === undefined) {
      return { ok: false, error: `The format ends with an unfinished "%" directive.` }
    }
    if (d === '^' && (fmt.slice(j, j + 3) === '^ti' || fmt.slice(j, j + 3) === '^to')) {
      d = fmt.slice(j, j + 3)
      j += 2
    }
    const name = fmt.slice(i, j + 1)
    let f: FieldElem
    switch (d) {
      case 'h':
      case 'a':
        f = { t: 'field', kind: 'client', name, clientRank: 0 }
        break
      case 't':
        if (arg === null) {
          lit += '['
          pushLit()
          elems.push({ t: 'field', kind: 'time_local', name })
          lit = ']'
          i = j + 1
          continue
        } else {
          const tk = apacheTime(arg)
          if (typeof tk === 'string') return { ok: false, error: tk }
          f = { t: 'field', kind: tk.kind, name }
          if (tk.perSec !== undefined) f.perSec = tk.perSec
        }
        break
      case 'r':
        f = { t: 'field', kind: 'request', name }
        break
      case 's':
        f = { t: 'field', kind: 'status', name }
        break
      case 'b':
      case 'B':
        f = { t: 'field', kind: 'bytes_body', name }
        break
      case 'O':
        f = { t: 'field', kind: 'bytes_sent', name }
        break
      case 'm':
        f = { t: 'field', kind: 'method', name }
        break
      case 'U':
        f = { t: 'field', kind: 'uri', name }
        break
      case 'i': {
        if (arg === null)
          return { ok: false, error: `${name} needs a header name, as in %{Referer}i.` }
        const h = apacheHeader(arg)
        f = { t: 'field', kind: h.kind, name }
        if (h.rank !== undefined) f.clientRank = h.rank
        break
      }
      case 'A':
      case 'C':
      case 'D':
      case 'e':
      case 'f':
      case 'H':
      case 'I':
      case 'k':
      case 'l':
      case 'L':
      case 'n':
      case 'o':
      case 'p':
      case 'P':
      case 'q':
      case 'R':
      case 'S':
      case 'T':
      case 'u':
      case 'v':
      case 'V':
      case 'X':
      case '^ti':
      case '^to':
        f = { t: 'field', kind: 'opaque', name }
        break
      default:
        return {
          ok: false,
          error: `"%${d}" at position ${at} is not an Apache LogFormat directive.`,
        }
    }
    pushLit()
    elems.push(f)
    i = j + 1
  }
  pushLit()
  return { ok: true, elems, dialect: 'apache' }
}

// ---- wrappers: log_format directive, quoted pieces, LogFormat directive ----

/** Reads nginx config tokens: quoted strings (with \ escapes) and bare words, up to `;`. */
function nginxTokens(
  s: string,
): { tokens: { text: string; quoted: boolean }[]; rest: string } | string {
  const tokens: { text: string; quoted: boolean }[] = []
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === ';') return { tokens, rest: s.slice(i + 1) }
    if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++
      continue
    }
    if (c === "'" || c === '"') {
      let t = ''
      let j = i + 1
      for (; j < s.length && s[j] !== c; j++) {
        if (s[j] === '\\' && j + 1 < s.length) {
          const n = s[j + 1]!
          if (n === c || n === '\\') t += n
          else if (n === 't') t += '\t'
          else if (n === 'n') t += '\n'
          else if (n === 'r') t += '\r'
          else t += '\\' + n
          j++
        } else t += s[j]
      }
      if (j >= s.length)
        return `A quoted piece of the format starting at position ${i + 1} is not closed.`
      tokens.push({ text: t, quoted: true })
      i = j + 1
      continue
    }
    let j = i
    while (j < s.length && !/[\s;]/.test(s[j]!)) j++
    tokens.push({ text: s.slice(i, j), quoted: false })
    i = j
  }
  return { tokens, rest: '' }
}

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
