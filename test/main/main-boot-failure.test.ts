// When the database cannot be opened, main says so in a sentence and exits, instead of running
// without a window.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'

vi.mock('electron', async () => await import('./fake-electron'))

it('a database that cannot be opened ends startup with a clear message', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'loglens-main-fail-'))
  mkdirSync(join(userData, 'loglens.db')) // a folder where the database file should be
  process.env.LOGLENS_USER_DATA_DIR = userData
  const argv = process.argv
  process.argv = [process.execPath]
  try {
    const fake = await import('./fake-electron')
    await import('../../src/main/index')
    await vi.waitFor(() => expect(fake.app.exitCode).toBe(1), { timeout: 20_000 })
    expect(fake.recorded.errorBoxes).toHaveLength(1)
    expect(fake.recorded.errorBoxes[0]![1]).toContain('could not open its database')
    expect(fake.BrowserWindow.all).toHaveLength(0)
  } finally {
    process.argv = argv
  }
})
