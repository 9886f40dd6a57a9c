import { posix } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pathsFromArgv } from '../../src/main/argv'

const opts = (defaultApp: boolean, cwd = '/home/u') => ({ cwd, defaultApp, resolve: posix.resolve })

describe('pathsFromArgv', () => {
  it('packaged: everything after the executable that is not a switch', () => {
    expect(
      pathsFromArgv(['/opt/LogLens/loglens', 'access.log', '/var/log/b.gz'], opts(false)),
    ).toEqual(['/home/u/access.log', '/var/log/b.gz'])
  })

  it('unpackaged: skips the app path, wherever switches put it', () => {
    expect(pathsFromArgv(['electron', '.', 'a.log'], opts(true))).toEqual(['/home/u/a.log'])
    expect(
      pathsFromArgv(
        ['electron', '--inspect=0', '--remote-debugging-port=0', 'out/main/index.js'],
        opts(true),
      ),
    ).toEqual([])
  })

  it('drops Chromium and macOS switches', () => {
    expect(
      pathsFromArgv(
        ['LogLens', '-psn_0_12345', '--enable-logging', '--allow-file-access-from-files', 'x.log'],
        opts(false),
      ),
    ).toEqual(['/home/u/x.log'])
  })

  it('takes everything after -- as a path, resolves against the launch folder, dedupes', () => {
    expect(
      pathsFromArgv(['loglens', '--', '-odd-name.log', 'a.log', './a.log'], opts(false, '/srv')),
    ).toEqual(['/srv/-odd-name.log', '/srv/a.log'])
  })

  it('understands file URLs', () => {
    expect(pathsFromArgv(['loglens', 'file:///var/log/a%20b.log'], opts(false))).toEqual([
      '/var/log/a b.log',
    ])
  })

  it('ignores empty arguments', () => {
    expect(pathsFromArgv(['loglens', '', '  '], opts(false))).toEqual([])
  })
})
