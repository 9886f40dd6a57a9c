import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appPaths, pickSampleFile } from '../../src/main/paths'

describe('appPaths', () => {
  it('finds everything next to the bundle in development', () => {
    const p = appPaths({
      mainDir: join('/proj', 'out', 'main'),
      isPackaged: false,
      resourcesPath: '/x',
    })
    expect(p.preload).toBe(join('/proj', 'out', 'preload', 'index.js'))
    expect(p.rendererDir).toBe(join('/proj', 'out', 'renderer'))
    expect(p.aggregatorEntry).toBe(join('/proj', 'out', 'main', 'aggregator.js'))
    expect(p.sampleDir).toBe(join('/proj', 'resources', 'sample'))
    expect(p.nativeBinding).toBe(
      join(
        '/proj',
        '.electron-native',
        'node_modules',
        'better-sqlite3',
        'build',
        'Release',
        'better_sqlite3.node',
      ),
    )
  })

  it('uses resources/ in the packaged app, outside the asar', () => {
    const res = join('/opt', 'LogLens', 'resources')
    const p = appPaths({
      mainDir: join(res, 'app.asar', 'out', 'main'),
      isPackaged: true,
      resourcesPath: res,
    })
    expect(p.aggregatorEntry).toBe(join(res, 'app.asar', 'out', 'main', 'aggregator.js'))
    expect(p.sampleDir).toBe(join(res, 'sample'))
    expect(p.nativeBinding).toBe(join(res, 'native', 'better_sqlite3.node'))
    expect(p.icon).toBe(join(res, 'icon.png'))
  })

  it('lets LOGLENS_SQLITE_BINDING override the binary', () => {
    const p = appPaths({
      mainDir: '/proj/out/main',
      isPackaged: false,
      resourcesPath: '/x',
      env: { LOGLENS_SQLITE_BINDING: '/custom/b.node' },
    })
    expect(p.nativeBinding).toBe('/custom/b.node')
  })
})

describe('pickSampleFile', () => {
  it('prefers access.log, then any access log, ignoring other files', () => {
    expect(pickSampleFile(['README.md', 'sample.log', 'access.log'])).toBe('access.log')
    expect(pickSampleFile(['README.md', 'nginx-access.log.gz', 'other.log'])).toBe(
      'nginx-access.log.gz',
    )
    expect(pickSampleFile(['README.md', '.hidden.log'])).toBeNull()
    expect(pickSampleFile([])).toBeNull()
  })
})
