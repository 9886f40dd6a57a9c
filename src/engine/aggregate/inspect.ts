// Looking at the first bytes of a file: gzip or not, text or not, and its first lines (for
// format detection). Reads at most a small head; gzip heads are inflated incrementally.
import { open } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'
import { ERROR_LOG, UTF16_TEXT, type ErrorInfo } from '../../shared/types'
import { PRESET_IDS } from '../parser/presets'

export const HEAD_BYTES = 64 * 1024
export const HEAD_LINES = 200

const MAGIC: [string, number[]][] = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf]],
  ['bzip2 archive', [0x42, 0x5a, 0x68]],
  ['xz archive', [0xfd, 0x37, 0x7a, 0x58, 0x5a]],
  ['zstd archive', [0x28, 0xb5, 0x2f, 0xfd]],
  ['RAR archive', [0x52, 0x61, 0x72, 0x21]],
  ['ELF program', [0x7f, 0x45, 0x4c, 0x46]],
  ['SQLite database', [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65]],
  ['WebP/RIFF media', [0x52, 0x49, 0x46, 0x46]],
]

export interface Inspection {
  gzip: boolean
  /** Set when the content is clearly not a text log: what it looks like instead. */
  notText: string | null
  /** Up to HEAD_LINES non-blank lines from the start (decompressed for gzip). */
  lines: Uint8Array[]
  /** True when the head could not be read whole (damaged gzip). */
  damaged: boolean
}

/**
 * UTF-16 text (Windows PowerShell 5 writes it for `>`): a byte-order mark, or, without one,
 * ASCII text with a zero byte beside every character.
 */
function looksUtf16(head: Uint8Array): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true
  const n = Math.min(head.length, 8192) & ~1
  if (n < 64) return false
  let evenZero = 0
  let oddZero = 0
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++
    if (head[i + 1] === 0) oddZero++
  }
  const pairs = n / 2
  const most = Math.max(evenZero, oddZero)
  const least = Math.min(evenZero, oddZero)
  return most > pairs * 0.9 && least < pairs * 0.1
}

function looksBinary(head: Uint8Array): string | null {
  for (const [name, magic] of MAGIC) {
    if (magic.every((b, i) => head[i] === b)) return name
  }
  if (looksUtf16(head)) return UTF16_TEXT
  let control = 0
  const n = Math.min(head.length, 8192)
  for (let i = 0; i < n; i++) {
    const c = head[i]!
    if (c === 0) return 'binary data'
    if (c < 9 || (c > 13 && c < 32)) control++
  }
  return n > 0 && control / n > 0.05 ? 'binary data' : null
}

export function splitHeadLines(buf: Uint8Array, max = HEAD_LINES): Uint8Array[] {
  let start = 0
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3
  const lines: Uint8Array[] = []
  while (start < buf.length && lines.length < max) {
    let nl = buf.indexOf(10, start)
    if (nl < 0) nl = buf.length
    let end = nl
    if (end > start && buf[end - 1] === 13) end--
    let k = start
    while (k < end && (buf[k] === 32 || buf[k] === 9)) k++
    if (k < end) lines.push(buf.subarray(start, end))
    start = nl + 1
  }
  return lines
}

async function inflateHead(raw: Buffer): Promise<{ data: Buffer; damaged: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const gunzip = createGunzip()
    const finish = (damaged: boolean): void => {
      if (done) return
      done = true
      gunzip.destroy()
      resolve({ data: Buffer.concat(chunks).subarray(0, HEAD_BYTES), damaged })
    }
    gunzip.on('data', (c: Buffer) => {
      chunks.push(c)
      size += c.length
      if (size >= HEAD_BYTES) finish(false)
    })
    // A head cut from a bigger file ends mid-stream: that is expected, not damage.
    gunzip.on('error', (e: NodeJS.ErrnoException) =>
      finish(e.code !== 'Z_BUF_ERROR' && !/unexpected end/.test(e.message)),
    )
    gunzip.on('end', () => finish(false))
    gunzip.end(raw)
  })
}

/** The error for a file that is not a text log (Inspection.notText says what it looks like). */
export function notTextError(file: string, kind: string): ErrorInfo {
  const message =
    kind === UTF16_TEXT
      ? `${file} is UTF-16 text; LogLens reads access logs as nginx and Apache write them ` +
        '(UTF-8). Save it as UTF-8 and open it again.'
      : `${file} is not a log file (it looks like ${kind}).`
  return { code: 'NOT_A_LOG', message, params: { file, kind } }
}

// The first words of an error log line: nginx `2024/01/31 12:00:00 [error] …`, Apache 2.4
// `[Wed Jan 31 12:00:00.123456 2024] [core:error] …` (2.2: `[… 2024] [error] …`).
const NGINX_ERROR_LINE =
  /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(?:debug|info|notice|warn|error|crit|alert|emerg)\] /
const APACHE_ERROR_LINE =
  /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4}\] \[(?:[\w-]+:)?(?:emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])\] /

/** The web server whose error log these first lines are (half of them or more), or null. */
export function errorLogServer(lines: Uint8Array[]): 'nginx' | 'Apache' | null {
  const head = lines
    .slice(0, 20)
    .map((l) => Buffer.from(l.buffer, l.byteOffset, Math.min(l.length, 120)).toString('latin1'))
  if (head.length === 0) return null
  const share = (re: RegExp) => head.filter((l) => re.test(l)).length * 2 >= head.length
  return share(NGINX_ERROR_LINE) ? 'nginx' : share(APACHE_ERROR_LINE) ? 'Apache' : null
}

/**
 * The error for a text file that no preset format reads. A web server's error log (`server`,
 * from errorLogServer), a common wrong pick beside the access log, is named as such.
 */
export function notALogError(
  file: string,
  server: 'nginx' | 'Apache' | null,
  more = '',
): ErrorInfo {
  if (server)
    return {
      code: 'NOT_A_LOG',
      message: `${file} is an ${server} error log, not an access log: open the access log instead (usually access.log, beside it).${more}`,
      params: { file, kind: ERROR_LOG, server },
    }
  return {
    code: 'NOT_A_LOG',
    message: `${file} does not look like a web access log: none of the known formats (${PRESET_IDS.join(', ')}) matches its first lines. If it uses a custom nginx log_format, paste it as the format.${more}`,
    params: { file, formats: PRESET_IDS.join(', ') },
  }
}

/** Inspect a file's head. Throws the file system's error when it cannot be opened or read. */
export async function inspectFile(path: string): Promise<Inspection> {
  const fh = await open(path, 'r')
  try {
    // Gzip compresses logs about 10×: a compressed head this size inflates to well over HEAD_BYTES.
    const raw = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await fh.read(raw, 0, HEAD_BYTES, 0)
    const head = raw.subarray(0, bytesRead)
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      const { data, damaged } = await inflateHead(head)
      const notText = looksBinary(data)
      return { gzip: true, notText, lines: notText ? [] : splitHeadLines(data), damaged }
    }
    const notText = looksBinary(head)
    return { gzip: false, notText, lines: notText ? [] : splitHeadLines(head), damaged: false }
  } finally {
    await fh.close()
  }
}
