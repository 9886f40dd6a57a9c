// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import type { PreloadApi } from '../../src/shared/contract'
import { createElectronClient, mergeSelections } from '../../src/renderer/src/api/client'
import { collectDropped } from '../../src/renderer/src/api/dropped'
import { niceTicks, evenTicks } from '../../src/renderer/src/charts/hooks'

describe('Electron front', () => {
  it('registers dropped files by path and reports files without one', async () => {
    const calls: unknown[] = []
    const preload = {
      pathsForFiles: (files: File[]) =>
        files.map((f) => (f.name === 'virtual.log' ? '' : '/logs/' + f.name)),
      registerDroppedPaths: async (args: unknown) => {
        calls.push(args)
        return {
          ok: true,
          value: {
            files: [{ id: 'a', name: 'access.log', size: 1, compressed: false, source: 'path' }],
            skipped: [],
          },
        }
      },
      on: {},
    } as unknown as PreloadApi
    const client = createElectronClient(preload)
    const sel = await client.addFiles([
      new File(['x'], 'access.log'),
      new File(['y'], 'virtual.log'),
    ])
    expect(calls).toEqual([{ paths: ['/logs/access.log'] }])
    expect(sel.files.map((f) => f.id)).toEqual(['a'])
    expect(sel.skipped[0]).toMatchObject({ name: 'virtual.log', error: { code: 'UNREADABLE' } })
  })
})

describe('dropped folders (browser front)', () => {
  const file = (name: string) => ({
    isFile: true,
    isDirectory: false,
    name,
    file: (ok: (f: File) => void) => ok(new File([name], name)),
  })
  const dir = (name: string, children: unknown[]) => {
    let read = false
    return {
      isFile: false,
      isDirectory: true,
      name,
      createReader: () => ({
        readEntries: (ok: (e: unknown[]) => void) => {
          ok(read ? [] : children)
          read = true
        },
      }),
    }
  }

  it('walks folders, skips hidden files, keeps loose files', async () => {
    const items = [
      {
        kind: 'file',
        webkitGetAsEntry: () =>
          dir('logs', [file('b.log'), file('.DS_Store'), dir('old', [file('a.log.1.gz')])]),
        getAsFile: () => null,
      },
      { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => new File(['z'], 'loose.log') },
      { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
    ]
    const files = await collectDropped({ items, files: [] } as unknown as DataTransfer)
    expect(files.map((f) => f.name)).toEqual(['loose.log', 'b.log', 'a.log.1.gz'])
  })

  it('merges upload answers', () => {
    const m = mergeSelections([
      {
        files: [{ id: '1', name: 'a', size: 1, compressed: false, source: 'upload' }],
        skipped: [],
      },
      { files: [], skipped: [{ name: 'b', error: { code: 'EMPTY_INPUT', message: '' } }] },
    ])
    expect(m.files).toHaveLength(1)
    expect(m.skipped).toHaveLength(1)
  })
})

describe('chart helpers', () => {
  it('picks round ticks', () => {
    expect(niceTicks(83)).toEqual([0, 25, 50, 75, 100])
    expect(niceTicks(0)).toEqual([0, 1])
    expect(evenTicks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 3)).toEqual([1, 6, 11])
  })
})
