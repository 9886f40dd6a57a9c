// How the service starts the aggregator process. The same aggregator module runs under
// Electron's utilityProcess (desktop app) and under Node's child_process.fork (CLI, serve,
// tests); only this small adapter differs. The Electron one lives in src/main (it imports
// electron); the Node one is here.
import { fork } from 'node:child_process'
import type { ChildToParent, ParentToChild } from '../aggregator/protocol'

export interface AggregatorChannel {
  readonly pid: number | undefined
  send(msg: ParentToChild): void
  onMessage(listener: (msg: ChildToParent) => void): void
  /** Called once when the process is gone, however it ended. */
  onExit(listener: (code: number | null, signal: string | null) => void): void
  /** Lines the process wrote to stdout/stderr (for the app log). */
  onLog(listener: (line: string, stream: 'stdout' | 'stderr') => void): void
  kill(): void
}

export type AggregatorLauncher = (entry: string) => AggregatorChannel

/**
 * V8 flags for the aggregator process: a small young generation keeps the garbage of millions
 * of lines from growing the heap, --expose-gc lets it return retired buffers every second, and
 * one V8 background thread instead of four (on two cores they only competed with the parse
 * threads) saves ~2 MB of peak RSS at the same speed. Every MB counts against the 100 MB budget.
 */
export const AGGREGATOR_EXEC_ARGV = ['--max-semi-space-size=1', '--expose-gc', '--v8-pool-size=1']

/**
 * Environment for the aggregator process, under the caller's own: one glibc malloc arena. Each
 * thread otherwise gets an arena of its own whose freed pages stay resident; with 2 million
 * clients (five spills) the peak RSS was ~101 MiB with the default and ~98 MiB with one arena,
 * at the same speed. Other platforms' allocators ignore it.
 *
 * Without NODE_EXTRA_CA_CERTS: Node 20 reads that file and builds its whole root certificate
 * store while the process starts (~40 ms on the 2-core machine, on the way to the first parsed
 * line), and the aggregator opens no network connection.
 */
export function aggregatorEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...own } = env
  return { MALLOC_ARENA_MAX: '1', ...own, LOGLENS_AGGREGATOR: '1' }
}

function splitLines(listener: (line: string) => void): (chunk: Buffer | string) => void {
  let rest = ''
  return (chunk) => {
    const text = rest + chunk.toString()
    const lines = text.split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) if (line) listener(line)
  }
}

/**
 * child_process.fork with an IPC channel; the child talks back with process.send. `env`: more
 * variables for this one (over the caller's own).
 */
export const nodeLauncher = (entry: string, env: NodeJS.ProcessEnv = {}): AggregatorChannel => {
  const child = fork(entry, [], {
    // LOGLENS_AGGREGATOR_FLAGS: extra Node flags for profiling (e.g. --cpu-prof), CLI only.
    execArgv: [
      ...AGGREGATOR_EXEC_ARGV,
      ...(process.env.LOGLENS_AGGREGATOR_FLAGS?.split(' ').filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
    env: aggregatorEnv({ ...process.env, ...env }),
  })
  const logListeners: ((line: string, stream: 'stdout' | 'stderr') => void)[] = []
  child.stdout?.on(
    'data',
    splitLines((l) => logListeners.forEach((f) => f(l, 'stdout'))),
  )
  child.stderr?.on(
    'data',
    splitLines((l) => logListeners.forEach((f) => f(l, 'stderr'))),
  )
  let exited = false
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = []
  const onGone = (code: number | null, signal: string | null): void => {
    if (exited) return
    exited = true
    for (const f of exitListeners) f(code, signal)
  }
  child.on('exit', onGone)
  child.on('error', () => onGone(null, 'spawn-error'))
  return {
    pid: child.pid,
    send: (msg) => {
      if (!exited && child.connected) child.send(msg)
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as ChildToParent)),
    onExit: (listener) => {
      exitListeners.push(listener)
    },
    onLog: (listener) => {
      logListeners.push(listener)
    },
    kill: () => {
      if (!exited) child.kill('SIGKILL')
    },
  }
}

/** A channel whose process may have ended before anyone listened (see heldChannel). */
export interface HeldChannel extends AggregatorChannel {
  readonly exited: boolean
}

/**
 * A channel started before anyone listens to it (an aggregator started ahead of its job): what
 * it says meanwhile (its 'ready', log lines, its exit) is kept and passed on to the first
 * listener of each.
 */
export function heldChannel(ch: AggregatorChannel): HeldChannel {
  let held: ChildToParent[] = []
  const messageListeners: ((msg: ChildToParent) => void)[] = []
  ch.onMessage((m) => {
    if (messageListeners.length === 0) held.push(m)
    else for (const f of messageListeners) f(m)
  })
  let heldLogs: [string, 'stdout' | 'stderr'][] = []
  const logListeners: ((line: string, stream: 'stdout' | 'stderr') => void)[] = []
  ch.onLog((line, stream) => {
    if (logListeners.length === 0) heldLogs.push([line, stream])
    else for (const f of logListeners) f(line, stream)
  })
  let ended: [number | null, string | null] | null = null
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = []
  ch.onExit((code, signal) => {
    ended = [code, signal]
    for (const f of exitListeners) f(code, signal)
  })
  return {
    get pid() {
      return ch.pid
    },
    get exited() {
      return ended !== null
    },
    send: (msg) => ch.send(msg),
    kill: () => ch.kill(),
    onMessage: (listener) => {
      messageListeners.push(listener)
      const replay = held
      held = []
      for (const m of replay) listener(m)
    },
    onLog: (listener) => {
      logListeners.push(listener)
      const replay = heldLogs
      heldLogs = []
      for (const [line, stream] of replay) listener(line, stream)
    },
    onExit: (listener) => {
      if (ended) listener(ended[0], ended[1])
      else exitListeners.push(listener)
    },
  }
}
