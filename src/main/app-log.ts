// The app log: userData/logs/loglens.log, appended asynchronously (a write stream, so the main
// thread never waits on the disk), rotated by size. The aggregator's stdout/stderr end up here too.
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import type { WriteStream } from 'node:fs'
import { join } from 'node:path'

export type AppLogLevel = 'info' | 'warn' | 'error'

export interface AppLog {
  readonly path: string
  write(level: AppLogLevel, source: string, message: string): void
  close(): Promise<void>
}

export interface AppLogOptions {
  /** Rotate when the file grows past this many bytes. */
  maxBytes?: number
  /** Rotated files kept (loglens.1.log … loglens.N.log). */
  keep?: number
  /** Also print to the console (development). */
  echo?: boolean
  now?: () => Date
}

// Control characters other than tab and newline (escape sequences in a log file are a hazard).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g

/** One log line: ISO time, level, source, message with control characters made visible. */
export function formatLogLine(
  time: Date,
  level: AppLogLevel,
  source: string,
  message: string,
): string {
  const clean = message
    .replace(/\r?\n/g, '\n    ')
    .replace(CONTROL_CHARS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  return `${time.toISOString()} ${level.toUpperCase().padEnd(5)} [${source}] ${clean}\n`
}

function rotate(dir: string, keep: number): void {
  const name = (i: number): string => join(dir, i === 0 ? 'loglens.log' : `loglens.${i}.log`)
  rmSync(name(keep), { force: true })
  for (let i = keep - 1; i >= 0; i--) if (existsSync(name(i))) renameSync(name(i), name(i + 1))
}

export function openAppLog(dir: string, opts: AppLogOptions = {}): AppLog {
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024
  const keep = Math.max(1, opts.keep ?? 3)
  const now = opts.now ?? (() => new Date())
  const path = join(dir, 'loglens.log')
  mkdirSync(dir, { recursive: true })
  let size = 0
  try {
    size = statSync(path).size
  } catch {
    size = 0
  }
  if (size >= maxBytes) {
    rotate(dir, keep)
    size = 0
  }
  // The file is opened now, not when the stream gets round to it: a rotation right after (a
  // burst of lines) would otherwise rename the path before the old stream opened it, and its
  // lines would land in the new file, out of order.
  // A log that cannot be opened must never take the app down: lines are dropped then.
  const open = (): WriteStream | null => {
    try {
      const s = createWriteStream(path, { fd: openSync(path, 'a') })
      s.on('error', () => {
        // nor one that cannot be written
      })
      return s
    } catch {
      return null
    }
  }
  let stream = open()
  let closed = false

  return {
    path,
    write(level, source, message) {
      const line = formatLogLine(now(), level, source, message)
      if (opts.echo) (level === 'info' ? console.log : console.error)(line.trimEnd())
      if (closed || !stream) return
      stream.write(line)
      size += Buffer.byteLength(line)
      if (size >= maxBytes) {
        // Rename first: on POSIX the old stream keeps flushing into the renamed file, so lines
        // stay in order. (On Windows the rename of an open file fails; we keep one file then.)
        try {
          rotate(dir, keep)
        } catch {
          // keep writing to the same file
        }
        stream.end()
        stream = open()
        size = 0
      }
    },
    close() {
      closed = true
      return new Promise((resolve) => (stream ? stream.end(() => resolve()) : resolve()))
    },
  }
}
