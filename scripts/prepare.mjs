// Runs after `npm install` / `npm ci`: builds the app once so `npx loglens …` and `npm start`
// work straight away on a fresh clone. Set LOGLENS_SKIP_BUILD=1 to skip (e.g. packaging steps).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (process.env.LOGLENS_SKIP_BUILD === '1' || !existsSync('electron.vite.config.ts'))
  process.exit(0)
const r = spawnSync('npx', ['--no-install', 'electron-vite', 'build'], { stdio: 'inherit' })
process.exit(r.status ?? 1)
