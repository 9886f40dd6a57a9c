// Files handed to the app by the operating system: on the command line (`loglens-app a.log`),
// by "Open with", or in a second launch's argv (forwarded by the single-instance lock).

/**
 * The file paths in an argv, absolute. Drops the executable, switches (`--inspect=0`,
 * `--enable-logging`, macOS `-psn_…`) and, when running unpackaged (`electron . a.log`), the
 * app path. Everything after `--` is a path. Whether the paths exist is the service's business.
 */
export function pathsFromArgv(
  argv: readonly string[],
  opts: { cwd: string; defaultApp: boolean; resolve: (cwd: string, p: string) => string },
): string[] {
  const out: string[] = []
  let appPathSkipped = !opts.defaultApp
  let onlyPaths = false
  for (const arg of argv.slice(1)) {
    if (!onlyPaths && arg === '--') {
      onlyPaths = true
      continue
    }
    if (!onlyPaths && arg.startsWith('-')) continue
    if (!appPathSkipped) {
      appPathSkipped = true
      continue
    }
    if (arg.trim() === '') continue
    out.push(opts.resolve(opts.cwd, fileUrlToPathOrSelf(arg)))
  }
  return [...new Set(out)]
}

function fileUrlToPathOrSelf(arg: string): string {
  if (!arg.startsWith('file://')) return arg
  try {
    const u = new URL(arg)
    const p = decodeURIComponent(u.pathname)
    // file:///C:/logs/a.log → C:/logs/a.log
    return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p
  } catch {
    return arg
  }
}
