import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import {
  createUtilityLauncher,
  lineSplitter,
  type UtilityFork,
} from '../../src/main/aggregator-launcher'

class FakeUtility extends EventEmitter {
  pid: number | undefined = undefined
  stdout = new PassThrough()
  stderr = new PassThrough()
  posted: unknown[] = []
  killed = 0
  postMessage(m: unknown): void {
    this.posted.push(m)
  }
  kill(): boolean {
    this.killed++
    return true
  }
  spawn(pid: number): void {
    this.pid = pid
    this.emit('spawn')
  }
  exit(code: number): void {
    this.pid = undefined
    this.emit('exit', code)
  }
}

function setup(extra: Partial<Parameters<typeof createUtilityLauncher>[0]> = {}) {
  const children: FakeUtility[] = []
  const forks: { entry: string; args: string[]; options: Record<string, unknown> }[] = []
  const fork = ((entry: string, args: string[], options: Record<string, unknown>) => {
    forks.push({ entry, args, options })
    const c = new FakeUtility()
    children.push(c)
    return c
  }) as unknown as UtilityFork
  const logs: [string, string][] = []
  const launch = createUtilityLauncher({
    fork,
    env: { LOGLENS_SQLITE_BINDING: '/x/better_sqlite3.node' },
    log: (level, m) => logs.push([level, m]),
    ...extra,
  })
  return { launch, children, forks, logs }
}

describe('utility process launcher', () => {
  it('forks the entry with a service name, piped stdio and the aggregator env', () => {
    const { launch, forks } = setup()
    launch('/app/out/main/aggregator.js')
    expect(forks).toHaveLength(1)
    expect(forks[0]!.entry).toBe('/app/out/main/aggregator.js')
    expect(forks[0]!.args).toEqual([])
    expect(forks[0]!.options).toMatchObject({ serviceName: 'loglens-aggregator', stdio: 'pipe' })
    const env = forks[0]!.options.env as Record<string, string>
    expect(env.LOGLENS_AGGREGATOR).toBe('1')
    // One malloc arena (peak RSS), unless the user's environment says otherwise.
    expect(env.MALLOC_ARENA_MAX).toBe(process.env.MALLOC_ARENA_MAX ?? '1')
    expect(env.LOGLENS_SQLITE_BINDING).toBe('/x/better_sqlite3.node')
    expect(env.PATH).toBe(process.env.PATH)
  })

  it('passes messages both ways and reports the pid once spawned', () => {
    const { launch, children } = setup()
    const ch = launch('/a.js')
    const got: unknown[] = []
    ch.onMessage((m) => got.push(m))
    expect(ch.pid).toBeUndefined()
    children[0]!.spawn(4242)
    expect(ch.pid).toBe(4242)
    ch.send({ type: 'cancel' })
    expect(children[0]!.posted).toEqual([{ type: 'cancel' }])
    children[0]!.emit('message', { type: 'ready', pid: 4242 })
    expect(got).toEqual([{ type: 'ready', pid: 4242 }])
  })

  it('reports an exit exactly once, and nothing after it', () => {
    const { launch, children, logs } = setup()
    const ch = launch('/a.js')
    const exits: [number | null, string | null][] = []
    const got: unknown[] = []
    ch.onExit((c, s) => exits.push([c, s]))
    ch.onMessage((m) => got.push(m))
    children[0]!.spawn(7)
    children[0]!.exit(139)
    children[0]!.exit(139)
    children[0]!.emit('message', { type: 'ready', pid: 7 })
    expect(exits).toEqual([[139, null]])
    expect(got).toEqual([])
    expect(ch.pid).toBeUndefined()
    ch.send({ type: 'shutdown' })
    expect(children[0]!.posted).toEqual([])
    expect(logs.some(([l, m]) => l === 'warn' && m.includes('exited (code 139)'))).toBe(true)
  })

  it('tells a kill from a crash and escalates to SIGKILL when the child hangs', () => {
    vi.useFakeTimers()
    try {
      const signals: [number, string][] = []
      const { launch, children } = setup({
        killGraceMs: 1000,
        signal: (pid, s) => signals.push([pid, s]),
      })
      const ch = launch('/a.js')
      const exits: [number | null, string | null][] = []
      ch.onExit((c, s) => exits.push([c, s]))
      children[0]!.spawn(99)
      ch.kill()
      expect(children[0]!.killed).toBe(1)
      vi.advanceTimersByTime(1000)
      expect(signals).toEqual([[99, 'SIGKILL']])
      children[0]!.exit(0)
      expect(exits).toEqual([[0, 'SIGTERM']])
      ch.kill()
      expect(children[0]!.killed).toBe(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('does not escalate when the child goes quietly', () => {
    vi.useFakeTimers()
    try {
      const signals: unknown[] = []
      const { launch, children } = setup({ signal: (...a) => signals.push(a) })
      const ch = launch('/a.js')
      children[0]!.spawn(5)
      ch.kill()
      children[0]!.exit(0)
      vi.runAllTimers()
      expect(signals).toEqual([])
    } finally {
      vi.useRealTimers()
    }
  })

  it('pipes stdout and stderr lines to onLog listeners', async () => {
    const { launch, children, logs } = setup()
    const ch = launch('/a.js')
    const lines: [string, string][] = []
    ch.onLog((l, s) => lines.push([l, s]))
    children[0]!.stdout.write('hello\nwor')
    children[0]!.stdout.write('ld\r\n')
    children[0]!.stderr.write('oops\n')
    children[0]!.stdout.end('tail')
    await new Promise((r) => setImmediate(r))
    expect(lines).toEqual([
      ['hello', 'stdout'],
      ['world', 'stdout'],
      ['oops', 'stderr'],
      ['tail', 'stdout'],
    ])
    expect(logs.filter(([, m]) => m.includes('oops'))).toEqual([])
  })

  it('logs the output itself when nobody listens', async () => {
    const { launch, children, logs } = setup()
    launch('/a.js')
    children[0]!.stderr.write('oops\n')
    await new Promise((r) => setImmediate(r))
    expect(logs).toContainEqual(['warn', 'aggregator stderr: oops'])
  })

  it('turns a fork that throws into an exit the supervisor sees', async () => {
    const { launch, logs } = setup({
      fork: (() => {
        throw new Error('utilityProcess.fork before ready')
      }) as unknown as UtilityFork,
    })
    const ch = launch('/a.js')
    const exits: [number | null, string | null][] = []
    ch.onExit((c, s) => exits.push([c, s]))
    ch.send({ type: 'cancel' })
    ch.kill()
    await Promise.resolve()
    expect(exits).toEqual([[null, 'spawn-error']])
    expect(logs.some(([l]) => l === 'error')).toBe(true)
    // A listener attached after the exit still hears about it.
    const late: unknown[] = []
    ch.onExit((c, s) => late.push([c, s]))
    await Promise.resolve()
    expect(late).toEqual([[null, 'spawn-error']])
  })
})

describe('lineSplitter', () => {
  it('bounds a line that never ends', () => {
    const got: string[] = []
    const s = lineSplitter((l) => got.push(l))
    s.push('x'.repeat(70 * 1024))
    expect(got).toHaveLength(1)
    s.push('y\n')
    expect(got).toEqual(['x'.repeat(70 * 1024), 'y'])
  })
})
