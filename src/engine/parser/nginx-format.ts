// nginx log_format text: $variables and literal text; config-file tokens for the directive.

import type { Elem, FieldElem, FieldKind, SpecResult } from './elements'

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

function isNameChar(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c)
}

export function parseNginx(fmt: string): SpecResult {
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

/** Reads nginx config tokens: quoted strings (with \ escapes) and bare words, up to `;`. */
export function nginxTokens(
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
