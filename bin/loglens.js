#!/usr/bin/env node
// The `loglens` command: a tiny launcher for the bundled CLI in out/main/cli.js.
'use strict'
const path = require('node:path')
const fs = require('node:fs')

const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js')
if (!fs.existsSync(cli)) {
  process.stderr.write(
    'loglens: the app is not built yet. Run `npm run build` in ' +
      path.dirname(__dirname) +
      ' first.\n',
  )
  process.exit(2)
}
require(cli)
