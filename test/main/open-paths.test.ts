import { describe, expect, it, vi } from 'vitest'
import { createPathInbox, openUserPaths, type OpenPathsDeps } from '../../src/main/open-paths'
import type { FileSelection } from '../../src/shared/types'

function deps(selection: FileSelection) {
  const started: string[][] = []
  const reported: FileSelection[] = []
  const d: OpenPathsDeps = {
    registerPaths: async () => selection,
    startAnalysis: async ({ fileIds }) => {
      started.push(fileIds)
      return { analysisId: 11 }
    },
    reportSkipped: (s) => reported.push(s),
  }
  return { d, started, reported }
}

const file = (id: string) => ({
  id,
  name: `${id}.log`,
  size: 1,
  compressed: false,
  source: 'path' as const,
})
const skip = (name: string) => ({ name, error: { code: 'NOT_A_LOG' as const, message: 'no' } })

describe('openUserPaths', () => {
  it('starts one analysis over all usable files', async () => {
    const { d, started, reported } = deps({ files: [file('a'), file('b')], skipped: [] })
    expect(await openUserPaths(['/a', '/b'], d)).toMatchObject({ analysisId: 11 })
    expect(started).toEqual([['a', 'b']])
    expect(reported).toEqual([])
  })

  it('reports skipped files, and starts nothing when nothing is usable', async () => {
    const none = deps({ files: [], skipped: [skip('photo.png')] })
    expect(await openUserPaths(['/photo.png'], none.d)).toMatchObject({ analysisId: null })
    expect(none.started).toEqual([])
    expect(none.reported).toHaveLength(1)

    const some = deps({ files: [file('a')], skipped: [skip('photo.png')] })
    await openUserPaths(['/a', '/photo.png'], some.d)
    expect(some.started).toEqual([['a']])
    expect(some.reported).toHaveLength(1)
  })

  it('does nothing for no paths', async () => {
    const { d, started, reported } = deps({ files: [], skipped: [] })
    expect(await openUserPaths([], d)).toEqual({ analysisId: null, selection: null })
    expect(started).toEqual([])
    expect(reported).toEqual([])
  })
})

describe('createPathInbox', () => {
  it('holds paths until ready, then batches arrivals into one delivery', async () => {
    vi.useFakeTimers()
    try {
      const inbox = createPathInbox(100)
      const got: string[][] = []
      inbox.push(['/early.log'])
      inbox.push([])
      await vi.advanceTimersByTimeAsync(500)
      expect(got).toEqual([])
      inbox.ready((p) => got.push(p))
      await vi.advanceTimersByTimeAsync(0)
      expect(got).toEqual([['/early.log']])
      inbox.push(['/a.log'])
      inbox.push(['/b.log', '/a.log'])
      await vi.advanceTimersByTimeAsync(50)
      expect(got).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(50)
      expect(got).toEqual([['/early.log'], ['/a.log', '/b.log']])
    } finally {
      vi.useRealTimers()
    }
  })
})
