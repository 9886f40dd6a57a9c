// Is the Electron runtime usable on this machine? Shared by `npm start` (scripts/start.mjs) and the
// Electron e2e specs (e2e/electron), which launch the app where it is and skip, saying why, where
// it is not. Never triggers a download (require('electron') would try to).
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const root = path.join(__dirname, '..')

function electronPackageDir() {
  return path.join(root, 'node_modules', 'electron')
}

/** Version of the installed `electron` package (what the app is built against). */
function electronVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(electronPackageDir(), 'package.json'), 'utf8'))
      .version
  } catch {
    return null
  }
}

/**
 * { ok: true, executable, version } when the Electron binary exists and runs;
 * { ok: false, kind, reason } otherwise (kind: 'missing' | 'broken' | 'no-display'), with
 * `reason` a phrase a person can act on.
 * `needDisplay`: also require a display on Linux (a window must be shown).
 */
function detectElectronRuntime(options = {}) {
  const dir = electronPackageDir()
  if (!fs.existsSync(path.join(dir, 'package.json')))
    return {
      ok: false,
      kind: 'missing',
      reason: 'the electron package is not installed (run npm install)',
    }
  let relative
  try {
    relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim()
  } catch {
    relative = null
  }
  if (!relative)
    return {
      ok: false,
      kind: 'missing',
      reason:
        'the Electron binary was never downloaded (node_modules/electron/path.txt is missing: its install step was skipped or had no network)',
    }
  const executable = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : path.join(dir, 'dist', relative)
  if (!fs.existsSync(executable))
    return { ok: false, kind: 'missing', reason: `the Electron binary is missing (${executable})` }
  const probe = spawnSync(
    executable,
    ['-e', 'process.stdout.write(String(process.versions.electron))'],
    {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'utf8',
      timeout: 20000,
      windowsHide: true,
    },
  )
  if (probe.error || probe.status !== 0 || !probe.stdout) {
    const why = probe.error
      ? probe.error.message
      : (probe.stderr || '').split('\n').find((l) => l.trim()) || `exit code ${probe.status}`
    return {
      ok: false,
      kind: 'broken',
      reason: `the Electron binary does not run here (${why.trim()})`,
    }
  }
  if (
    options.needDisplay &&
    process.platform === 'linux' &&
    !process.env.DISPLAY &&
    !process.env.WAYLAND_DISPLAY
  )
    return {
      ok: false,
      kind: 'no-display',
      reason: 'there is no display (DISPLAY is not set); run under xvfb-run to show the window',
    }
  return { ok: true, executable, version: probe.stdout.trim() }
}

/** better-sqlite3 built for Electron by scripts/electron-native.mjs, or null when missing. */
function electronNativeBinding() {
  const file = path.join(
    root,
    '.electron-native',
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  )
  return fs.existsSync(file) ? file : null
}

module.exports = { root, detectElectronRuntime, electronVersion, electronNativeBinding }
