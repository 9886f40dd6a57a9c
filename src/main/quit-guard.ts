// "Quitting during an analysis asks first." Closing the last window or quitting the app while an
// analysis runs asks the user; on yes the running analysis is cancelled (its results so far are
// kept as incomplete) and the quit goes ahead; on no nothing happens.
export interface QuitGuardDeps {
  hasActiveJob(): boolean
  /** Ask the user; resolves true to quit anyway. */
  confirm(): Promise<boolean>
  cancelAll(): Promise<void>
}

export interface QuitGuard {
  /**
   * Call from a cancellable close/quit event. Returns true when the event must be prevented;
   * `proceed` is then called once the user has agreed and the analyses are cancelled.
   */
  intercept(proceed: () => void): boolean
  /** True once the user agreed to quit (or nothing was running): later closes pass. */
  readonly confirmed: boolean
}

export function createQuitGuard(deps: QuitGuardDeps): QuitGuard {
  let confirmed = false
  let asking = false
  return {
    get confirmed() {
      return confirmed
    },
    intercept(proceed) {
      if (confirmed || !deps.hasActiveJob()) return false
      if (asking) return true
      asking = true
      void deps
        .confirm()
        .then(async (yes) => {
          if (!yes) return
          confirmed = true
          try {
            await deps.cancelAll()
          } finally {
            proceed()
          }
        })
        .catch(() => {
          // A failed dialog keeps the app open: the safe side.
        })
        .finally(() => {
          asking = false
        })
      return true
    },
  }
}
