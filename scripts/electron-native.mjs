// Builds better-sqlite3 for Electron's ABI into .electron-native/, leaving node_modules (the
// build Node uses for `npm test` and the CLI) untouched: no "ABI flip" that breaks one runtime
// when the other is rebuilt. The app passes the result to better-sqlite3 as `nativeBinding`
// (src/main/paths.ts); electron-builder ships it as an extra resource (electron-builder.yml).
//
//   node scripts/electron-native.mjs           build when missing or stale
//   node scripts/electron-native.mjs --force   build again
//   node scripts/electron-native.mjs --check   exit 0 when up to date, 1 when not (no build)
//
// Building needs Electron's headers (downloaded from https://electronjs.org/headers, or the
// mirror in ELECTRON_HEADERS_URL) and a C++ toolchain (python3, make and g++; Xcode command line
// tools; or Visual Studio Build Tools).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const requireCjs = createRequire(import.meta.url)
const { root, electronVersion } = requireCjs('./electron-runtime.cjs')

const outDir = join(root, '.electron-native')
const moduleDir = join(outDir, 'node_modules', 'better-sqlite3')
const binary = join(moduleDir, 'build', 'Release', 'better_sqlite3.node')
const stampFile = join(outDir, 'stamp.json')

function wanted() {
  const pkg = JSON.parse(
    readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'),
  )
  return {
    electron: electronVersion(),
    betterSqlite3: pkg.version,
    platform: process.platform,
    arch: process.arch,
  }
}

function upToDate(want) {
  if (!existsSync(binary) || !existsSync(stampFile)) return false
  try {
    const have = JSON.parse(readFileSync(stampFile, 'utf8'))
    return Object.keys(want).every((k) => have[k] === want[k])
  } catch {
    return false
  }
}

function fail(message) {
  process.stderr.write(`\nelectron-native: ${message}\n`)
  process.exit(1)
}

const args = new Set(process.argv.slice(2))
const want = wanted()
if (!want.electron) fail('the electron package is not installed (run npm install).')

if (args.has('--check')) process.exit(upToDate(want) ? 0 : 1)
if (!args.has('--force') && upToDate(want)) {
  console.log(`better-sqlite3 for Electron ${want.electron} is up to date (${binary}).`)
  process.exit(0)
}

console.log(
  `Building better-sqlite3 ${want.betterSqlite3} for Electron ${want.electron} (${want.platform}-${want.arch}) in .electron-native/ …`,
)
// A private copy: the rebuild writes only here, never into node_modules.
rmSync(outDir, { recursive: true, force: true })
mkdirSync(join(outDir, 'node_modules'), { recursive: true })
cpSync(join(root, 'node_modules', 'better-sqlite3'), moduleDir, {
  recursive: true,
  filter: (src) => !src.startsWith(join(root, 'node_modules', 'better-sqlite3', 'build')),
})
writeFileSync(
  join(outDir, 'package.json'),
  JSON.stringify(
    {
      name: 'loglens-electron-native',
      private: true,
      dependencies: { 'better-sqlite3': want.betterSqlite3 },
    },
    null,
    2,
  ),
)

let rebuild
try {
  ;({ rebuild } = await import('@electron/rebuild'))
} catch (e) {
  fail(`@electron/rebuild is not installed (${e.message}); run npm install.`)
}

try {
  await rebuild({
    buildPath: outDir,
    electronVersion: want.electron,
    arch: want.arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    buildFromSource: true,
    mode: 'sequential',
    ...(process.env.ELECTRON_HEADERS_URL ? { headerURL: process.env.ELECTRON_HEADERS_URL } : {}),
  })
} catch (e) {
  rmSync(stampFile, { force: true })
  fail(
    [
      `could not build better-sqlite3 for Electron ${want.electron}: ${String(e?.message ?? e).split('\n')[0]}`,
      "This step downloads Electron's headers from https://electronjs.org/headers (set ELECTRON_HEADERS_URL",
      'for a mirror) and compiles C++ (python3, make and g++; Xcode tools; or Visual Studio Build Tools),',
      'so it needs a network connection and a compiler. node_modules is untouched: `npm test` and the',
      'loglens CLI keep working; only the desktop app needs this build.',
    ].join('\n'),
  )
}

if (!existsSync(binary)) fail(`the build finished but ${binary} is missing.`)
writeFileSync(stampFile, JSON.stringify(want, null, 2) + '\n')
console.log(`Built ${binary}`)
