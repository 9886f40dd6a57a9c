// Apache LogFormat text: %directives with modifiers and {arguments}, and config escapes.

import type { Elem, FieldElem, FieldKind, SpecResult } from './elements'

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

export function parseApache(fmt: string): SpecResult {
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
