// Access logs for the Electron specs, written into the test's own folder.
import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { once } from 'node:events'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function line(i: number, ips: number): string {
  const ip = `10.${(i % ips) >> 16}.${((i % ips) >> 8) & 255}.${(i % ips) & 255}`
  const t = new Date(Date.UTC(2024, 4, 1, 0, 0, 0) + i * 1000)
  const ts = `${String(t.getUTCDate()).padStart(2, '0')}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')} +0000`
  const status = i % 10 === 0 ? 404 : 200
  return `${ip} - - [${ts}] "GET /page/${i % 50} HTTP/1.1" ${status} ${512 + (i % 100)} "-" "Mozilla/5.0 (e2e)"\n`
}

/** An nginx combined log of `lines` lines from `ips` distinct clients. */
export async function writeCombinedLog(path: string, lines: number, ips = 100): Promise<void> {
  let text = ''
  for (let i = 0; i < lines; i++) text += line(i, ips)
  await writeFile(path, text)
}

/** A big log (about `megabytes` MB), for an analysis that takes long enough to interrupt. */
export async function writeBigLog(path: string, megabytes: number): Promise<void> {
  let chunk = ''
  for (let i = 0; i < 10_000; i++) chunk += line(i, 5000)
  const buf = Buffer.from(chunk)
  const out = createWriteStream(path)
  const times = Math.ceil((megabytes * 1024 * 1024) / buf.length)
  for (let k = 0; k < times; k++) if (!out.write(buf)) await once(out, 'drain')
  out.end()
  await once(out, 'finish')
}
