// Atomic writes: a temp name in the same folder, renamed at the end, removed on failure; clear
// EXPORT_FAILED sentences for a folder that cannot be written, a full disk, a missing folder.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  nodeOutputFs,
  ReportError,
  writeAtomically,
  type OutputFs,
} from '../../../src/engine/report/output'

const dir = mkdtempSync(join(tmpdir(), 'loglens-out-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function failure(p: Promise<unknown>): Promise<ReportError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(ReportError)
    return e as ReportError
  }
  throw new Error('expected a failure')
}

describe('writeAtomically', () => {
  it('writes text and bytes, and leaves no temporary file', async () => {
    const sub = join(dir, 'ok')
    mkdirSync(sub)
    const out = join(sub, 'r.csv')
    const bytes = await writeAtomically(out, async (w) => {
      await w.write('héllo ')
      await w.write(new Uint8Array([0x21]))
      await w.write('x'.repeat(3 << 20))
    })
    expect(bytes).toBe(Buffer.byteLength('héllo !') + (3 << 20))
    expect(readFileSync(out, 'utf8').slice(0, 7)).toBe('héllo !')
    expect(readdirSync(sub)).toEqual(['r.csv'])
  })

  it('replaces an existing file only when the new one is complete', async () => {
    const sub = join(dir, 'replace')
    mkdirSync(sub)
    const out = join(sub, 'r.html')
    await writeAtomically(out, (w) => w.write('old'))
    await failure(
      writeAtomically(out, async (w) => {
        await w.write('new but')
        throw new Error('renderer crashed')
      }),
    )
    expect(readFileSync(out, 'utf8')).toBe('old')
    expect(readdirSync(sub)).toEqual(['r.html'])
  })

  it('a full disk: EXPORT_FAILED disk_full, nothing left behind', async () => {
    const sub = join(dir, 'full')
    mkdirSync(sub)
    const out = join(sub, 'big.csv')
    let written = 0
    const fullDisk: OutputFs = {
      ...nodeOutputFs,
      async open(p, flags) {
        const h = await nodeOutputFs.open(p, flags)
        return {
          async write(data) {
            written += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
            if (written > 2 << 20)
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
                code: 'ENOSPC',
              })
            return h.write(data)
          },
          sync: () => h.sync(),
          close: () => h.close(),
        }
      },
    }
    const e = await failure(
      writeAtomically(
        out,
        async (w) => {
          for (let i = 0; i < 10; i++) await w.write('y'.repeat(1 << 20))
        },
        fullDisk,
      ),
    )
    expect(e.info.code).toBe('EXPORT_FAILED')
    expect(e.info.params?.reason).toBe('disk_full')
    expect(e.info.message).toMatch(/disk is full/)
    expect(readdirSync(sub)).toEqual([])
  })

  it('a folder that cannot be written: EXPORT_FAILED not_writable', async () => {
    // Root ignores permission bits; /sys refuses new files even to root.
    let folder = '/sys'
    if (process.getuid?.() !== 0) {
      folder = join(dir, 'ro')
      mkdirSync(folder)
      chmodSync(folder, 0o555)
    }
    const e = await failure(writeAtomically(join(folder, 'r.html'), (w) => w.write('x')))
    expect(e.info.code).toBe('EXPORT_FAILED')
    expect(e.info.params?.reason).toBe('not_writable')
    expect(e.info.message).toContain(folder)
    expect(e.info.message).toMatch(/cannot write/)
    expect(existsSync(join(folder, 'r.html'))).toBe(false)
  })

  it('a missing folder, and a folder given as the file', async () => {
    const missing = await failure(writeAtomically(join(dir, 'nope', 'r.html'), (w) => w.write('x')))
    expect(missing.info.params?.reason).toBe('no_folder')
    expect(missing.info.message).toMatch(/does not exist/)
    const isDir = await failure(writeAtomically(dir, (w) => w.write('x')))
    expect(isDir.info.params?.reason).toBe('is_folder')
  })
})
