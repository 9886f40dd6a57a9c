// Preloaded into a child process (node -r): report its peak resident set size when it exits.
'use strict'
process.on('exit', () => {
  process.stderr.write(`PEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`)
})
