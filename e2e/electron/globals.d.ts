// window.loglens as the Electron preload exposes it (the same declaration as
// src/preload/index.d.ts, for the e2e type-check, which does not include src/preload).
import type { PreloadApi } from '../../src/shared/contract'

declare global {
  interface Window {
    loglens?: PreloadApi
  }
}

export {}
