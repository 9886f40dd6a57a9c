import { describe, expect, it } from 'vitest'
import { desktopHandlers } from '../../src/main/handlers'
import type { CallHandlers } from '../../src/shared/contract'
import type { FileSelection } from '../../src/shared/types'

const selection: FileSelection = {
  files: [{ id: 'f1', name: 'a.log', size: 1, compressed: false, source: 'path' }],
  skipped: [],
}

function setup(chosen: string[] | null) {
  const registered: string[][] = []
  const base = { listAnalyses: () => [] } as unknown as CallHandlers
  const h = desktopHandlers(base, {
    chooseFiles: async () => chosen,
    registerPaths: async (p) => {
      registered.push(p)
      return selection
    },
  })
  return { h, registered }
}

describe('desktop handlers', () => {
  it('opens the native dialog and registers what the user chose', async () => {
    const { h, registered } = setup(['/logs/a.log'])
    expect(await h.openFileDialog(undefined)).toBe(selection)
    expect(registered).toEqual([['/logs/a.log']])
  })

  it('answers null when the dialog is cancelled', async () => {
    const { h, registered } = setup(null)
    expect(await h.openFileDialog(undefined)).toBeNull()
    expect(registered).toEqual([])
  })

  it('accepts dropped absolute paths and refuses anything else', async () => {
    const { h, registered } = setup(null)
    expect(await h.registerDroppedPaths({ paths: ['/logs/a.log'] })).toBe(selection)
    await expect(h.registerDroppedPaths({ paths: ['../etc/passwd'] })).rejects.toMatchObject({
      info: { code: 'INVALID_INPUT' },
    })
    await expect(h.registerDroppedPaths({ paths: ['/a\0b'] })).rejects.toMatchObject({
      info: { code: 'INVALID_INPUT' },
    })
    expect(registered).toEqual([['/logs/a.log']])
  })

  it('keeps the service handlers for everything else', () => {
    const { h } = setup(null)
    expect(h.listAnalyses(undefined)).toEqual([])
  })
})
