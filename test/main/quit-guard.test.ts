import { describe, expect, it } from 'vitest'
import { createQuitGuard } from '../../src/main/quit-guard'

const flush = () => new Promise((r) => setTimeout(r, 0))

function setup(active: boolean, answer: boolean) {
  const log: string[] = []
  let resolveConfirm: (v: boolean) => void = () => {}
  const guard = createQuitGuard({
    hasActiveJob: () => active,
    confirm: () => {
      log.push('ask')
      return new Promise((r) => (resolveConfirm = r))
    },
    cancelAll: async () => {
      log.push('cancel')
    },
  })
  return { guard, log, answer: () => resolveConfirm(answer) }
}

describe('quit guard', () => {
  it('lets the app quit when nothing runs', () => {
    const { guard, log } = setup(false, true)
    expect(guard.intercept(() => log.push('quit'))).toBe(false)
    expect(log).toEqual([])
  })

  it('asks once, cancels the analysis and quits on yes', async () => {
    const { guard, log, answer } = setup(true, true)
    expect(guard.intercept(() => log.push('quit'))).toBe(true)
    // A second quit attempt while the question is open does not ask again.
    expect(guard.intercept(() => log.push('quit twice'))).toBe(true)
    answer()
    await flush()
    expect(log).toEqual(['ask', 'cancel', 'quit'])
    expect(guard.confirmed).toBe(true)
    expect(guard.intercept(() => log.push('again'))).toBe(false)
  })

  it('stays open on no, and asks again next time', async () => {
    const { guard, log, answer } = setup(true, false)
    expect(guard.intercept(() => log.push('quit'))).toBe(true)
    answer()
    await flush()
    expect(log).toEqual(['ask'])
    expect(guard.confirmed).toBe(false)
    expect(guard.intercept(() => log.push('quit'))).toBe(true)
    expect(log).toEqual(['ask', 'ask'])
  })
})
