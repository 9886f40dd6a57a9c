// Starts `loglens serve` for one test: its own database and data folder, the URL read from
// stdout, stopped and cleaned up afterwards.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..', '..')

export interface Served {
  url: string
  dir: string
  dbPath: string
  child: ChildProcess
  stderr(): string
  stop(): Promise<void>
}

export async function startServe(): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'loglens-e2e-'))
  const dbPath = join(dir, 'loglens.db')
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'loglens.js'), 'serve', '--port', '0', '--db', dbPath],
    {
      cwd: ROOT,
      // The service's work folder (uploads) lands under TMPDIR: keep it inside this test's folder.
      env: { ...process.env, TMPDIR: dir, LANG: 'en_US.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const url = await new Promise<string>((ok, fail) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /https?:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_-]+\//.exec(out)
      if (m) {
        child.stdout!.off('data', onData)
        ok(m[0])
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) =>
      fail(new Error(`loglens serve exited (${code}) before printing its URL.\n${err}`)),
    )
  })
  return {
    url,
    dir,
    dbPath,
    child,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
