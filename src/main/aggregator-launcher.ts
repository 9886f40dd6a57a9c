// The Electron AggregatorLauncher: the aggregator runs in a utilityProcess (a Node process managed
// by Electron, with a MessagePort to main as process.parentPort). The service supervises it
// generically through AggregatorChannel; this adapter only has to be faithful: every message
// through, every exit reported exactly once, stdout/stderr into the app log.
import { AGGREGATOR_EXEC_ARGV, aggregatorEnv } from '../service/launcher'
import type { ForkOptions, UtilityProcess } from 'electron'
import type { ChildToParent } from '../aggregator/protocol'
import type { AggregatorChannel, AggregatorLauncher } from '../service/launcher'

export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: ForkOptions,
) => UtilityProcess

export interface UtilityLauncherOptions {
  fork: UtilityFork
  /** Extra environment for the child (merged over process.env). */
  env?: Record<string, string>
  serviceName?: string
  /** Where the child's output and lifecycle go (the app log). */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void
  /** After kill(), how long to wait for a graceful exit before SIGKILL. */
  killGraceMs?: number
  /** For tests: send a signal to a pid. */
  signal?: (pid: number, signal: NodeJS.Signals) => void
}

type LogListener = (line: string, stream: 'stdout' | 'stderr') => void
type ExitListener = (code: number | null, signal: string | null) => void

/** Split a byte stream into lines, calling back per complete non-empty line. */
export function lineSplitter(listener: (line: string) => void): {
  push(chunk: Buffer | string): void
  flush(): void
} {
  let rest = ''
  return {
    push(chunk) {
      const lines = (rest + chunk.toString()).split(/\r?\n/)
      rest = lines.pop() ?? ''
      // A child printing without newlines must not grow this buffer forever.
      if (rest.length > 64 * 1024) {
        lines.push(rest)
        rest = ''
      }
      for (const l of lines) if (l) listener(l)
    },
    flush() {
      if (rest) listener(rest)
      rest = ''
    },
  }
}

export function createUtilityLauncher(opts: UtilityLauncherOptions): AggregatorLauncher {
  const serviceName = opts.serviceName ?? 'loglens-aggregator'
  const log = opts.log ?? (() => {})
  const graceMs = opts.killGraceMs ?? 2000
  const signal = opts.signal ?? ((pid, sig) => process.kill(pid, sig))

  return (entry: string): AggregatorChannel => {
    const logListeners: LogListener[] = []
    const exitListeners: ExitListener[] = []
    const messageListeners: ((m: ChildToParent) => void)[] = []
    let exited: { code: number | null; signal: string | null } | null = null
    let killedByUs = false
    let lastPid: number | undefined

    const gone = (code: number | null, sig: string | null): void => {
      if (exited) return
      exited = { code, signal: sig }
      const how = sig ? `signal ${sig}` : `code ${code}`
      log(code === 0 && !sig ? 'info' : 'warn', `aggregator ${lastPid ?? '?'} exited (${how})`)
      for (const f of exitListeners) f(code, sig)
    }

    let child: UtilityProcess | null = null
    try {
      child = opts.fork(entry, [], {
        serviceName,
        stdio: 'pipe',
        execArgv: AGGREGATOR_EXEC_ARGV,
        env: aggregatorEnv({ ...process.env, ...opts.env }),
      })
    } catch (e) {
      log('error', `aggregator could not start: ${(e as Error).message}`)
      // Report the failure asynchronously, after the caller has attached its listeners.
      queueMicrotask(() => gone(null, 'spawn-error'))
    }

    if (child) {
      const c = child
      const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr'): void => {
        if (!stream) return
        // Lines go to onLog listeners (the service logs them); with none, straight to the log,
        // so the child's output is never lost.
        const split = lineSplitter((line) => {
          if (logListeners.length === 0)
            log(name === 'stderr' ? 'warn' : 'info', `aggregator ${name}: ${line}`)
          for (const f of logListeners) f(line, name)
        })
        stream.on('data', (chunk: Buffer | string) => split.push(chunk))
        stream.on('end', () => split.flush())
      }
      pipe(c.stdout, 'stdout')
      pipe(c.stderr, 'stderr')
      c.on('spawn', () => {
        lastPid = c.pid
        log('info', `aggregator ${c.pid} started`)
      })
      c.on('message', (m: unknown) => {
        if (exited) return
        for (const f of messageListeners) f(m as ChildToParent)
      })
      c.on('error', (type, location) => {
        log('error', `aggregator ${lastPid ?? '?'} fatal error ${type} at ${location}`)
      })
      c.on('exit', (code) => gone(code, killedByUs ? 'SIGTERM' : null))
    }

    return {
      get pid() {
        return exited ? undefined : (child?.pid ?? undefined)
      },
      send(msg) {
        if (!exited && child) child.postMessage(msg)
      },
      onMessage(listener) {
        messageListeners.push(listener)
      },
      onExit(listener) {
        if (exited) {
          const { code, signal: sig } = exited
          queueMicrotask(() => listener(code, sig))
        } else exitListeners.push(listener)
      },
      onLog(listener) {
        logListeners.push(listener)
      },
      kill() {
        if (exited || !child) return
        killedByUs = true
        const pid = child.pid
        child.kill()
        // A child stuck in a hot loop with a SIGTERM handler still goes, a moment later.
        if (pid !== undefined) {
          const t = setTimeout(() => {
            if (exited) return
            try {
              signal(pid, 'SIGKILL')
            } catch {
              // already gone
            }
          }, graceMs)
          t.unref?.()
        }
      },
    }
  }
}
