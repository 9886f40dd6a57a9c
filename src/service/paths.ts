// Default locations shared by the desktop app and the command line, so `loglens analyze` and the
// app see the same history. Mirrors Electron's app.getPath('userData') for the name "LogLens".
import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'LogLens'
export const DB_FILE = 'loglens.db'

export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.LOGLENS_HOME) return env.LOGLENS_HOME
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(userDataDir(env), DB_FILE)
}
