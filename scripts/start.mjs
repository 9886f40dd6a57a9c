// `npm start`: the desktop app where Electron can run; otherwise the same app in the browser
// (`loglens serve`), saying so in one sentence with the address to open.
//
//   npm start                    build if sources changed, then launch
//   npm start -- access.log      open these logs straight away (Electron) / passed to serve
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const requireCjs = createRequire(import.meta.url)
const { root, detectElectronRuntime, electronNativeBinding } = requireCjs('./electron-runtime.cjs')

const passThrough = process.argv.slice(2)

function newestMtime(path) {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

/** Build when an output is missing or older than the sources. */
function ensureBuilt() {
  const outputs = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'].map(
    (p) => join(root, p),
  )
  const inputs = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p))
  const stale =
    outputs.some((p) => !existsSync(p)) ||
    Math.max(...inputs.filter(existsSync).map(newestMtime)) >
      Math.min(...outputs.map((p) => statSync(p).mtimeMs))
  if (!stale) return
  console.log('Building LogLens…')
  const vite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) {
    console.error('The build failed (see above), so LogLens cannot start.')
    process.exit(r.status ?? 1)
  }
}

/** Run a child to completion, forwarding Ctrl+C, and exit with its code. */
function runForwarding(child) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

ensureBuilt()
let runtime = detectElectronRuntime({ needDisplay: true })
if (!runtime.ok && runtime.kind === 'missing' && !process.env.LOGLENS_NO_ELECTRON_DOWNLOAD) {
  // `npm install` does not run Electron's download (allowScripts denies it, so an offline
  // install never fails); fetch the runtime now, on first start.
  const install = join(root, 'node_modules', 'electron', 'install.js')
  if (existsSync(install)) {
    console.log('Fetching the Electron runtime (first start only)…')
    const r = spawnSync(process.execPath, [install], {
      cwd: join(root, 'node_modules', 'electron'),
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 180_000,
    })
    if (r.status === 0) runtime = detectElectronRuntime({ needDisplay: true })
  }
}

if (runtime.ok) {
  if (!electronNativeBinding()) {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'electron-native.mjs')], {
      cwd: root,
      stdio: 'inherit',
    })
    if (r.status !== 0)
      console.error(
        'LogLens starts anyway, but cannot open its database until better-sqlite3 is built for Electron (see above).',
      )
  }
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  runForwarding(
    spawn(runtime.executable, [root, ...passThrough], { cwd: root, env, stdio: 'inherit' }),
  )
} else {
  const lead =
    runtime.kind === 'no-display'
      ? 'Electron cannot open a window on this machine (there is no display)'
      : 'The Electron runtime is not installed on this machine'
  const serve = spawn(
    process.execPath,
    [join(root, 'bin', 'loglens.js'), 'serve', ...passThrough],
    {
      cwd: root,
      stdio: ['inherit', 'pipe', 'inherit'],
    },
  )
  // Hold serve's own output until we know its address, so our sentence comes first.
  let told = false
  let held = ''
  const tell = (url) => {
    if (told) return
    told = true
    console.log(`${lead}, so LogLens opens in your browser instead: ${url}`)
    console.log(`Why: ${runtime.reason}.\n`)
    process.stdout.write(held)
    held = ''
  }
  serve.stdout.setEncoding('utf8')
  serve.stdout.on('data', (chunk) => {
    if (told) return void process.stdout.write(chunk)
    held += chunk
    const m = /https?:\/\/[^\s"'<>]+/.exec(held)
    if (m) tell(m[0])
  })
  // If serve never prints an address, still say what happened.
  const timer = setTimeout(() => tell('see the address printed by `loglens serve` below'), 15000)
  timer.unref()
  serve.on('exit', () => tell('`loglens serve` stopped (see below)'))
  runForwarding(serve)
}
