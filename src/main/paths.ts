// Where things are, in development (the project folder) and in the packaged app (resources/).
// Pure: index.ts passes in app.isPackaged, process.resourcesPath and the bundle's folder.
import { join } from 'node:path'

export interface AppLocations {
  /** out/main: the bundle (index.js, aggregator.js, parse-worker.js). */
  mainDir: string
  isPackaged: boolean
  /** process.resourcesPath in the packaged app. */
  resourcesPath: string
  env?: Record<string, string | undefined>
}

export interface AppPaths {
  preload: string
  rendererDir: string
  aggregatorEntry: string
  sampleDir: string
  icon: string
  /** better-sqlite3 built for Electron's ABI (see scripts/electron-native.mjs). */
  nativeBinding: string
}

/** The better-sqlite3 binary scripts/electron-native.mjs builds, relative to the project. */
export const DEV_NATIVE_BINDING = [
  '.electron-native',
  'node_modules',
  'better-sqlite3',
  'build',
  'Release',
  'better_sqlite3.node',
]

export function appPaths(l: AppLocations): AppPaths {
  const root = join(l.mainDir, '..', '..')
  const res = l.isPackaged ? l.resourcesPath : join(root, 'resources')
  const override = l.env?.LOGLENS_SQLITE_BINDING
  return {
    preload: join(l.mainDir, '..', 'preload', 'index.js'),
    rendererDir: join(l.mainDir, '..', 'renderer'),
    aggregatorEntry: join(l.mainDir, 'aggregator.js'),
    sampleDir: join(res, 'sample'),
    icon: join(l.isPackaged ? l.resourcesPath : join(root, 'resources', 'icons'), 'icon.png'),
    nativeBinding:
      override ||
      (l.isPackaged
        ? join(l.resourcesPath, 'native', 'better_sqlite3.node')
        : join(root, ...DEV_NATIVE_BINDING)),
  }
}

/** The sample log to offer: an access log in the sample folder, by name. */
export function pickSampleFile(names: string[]): string | null {
  const logs = names
    .filter((n) => /\.(log|gz)$|\.log\.\d+$/i.test(n) && !n.startsWith('.'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  return logs[0] ?? null
}

function rank(name: string): number {
  if (/^access\.log$/i.test(name)) return 0
  if (/access/i.test(name)) return 1
  return 2
}
