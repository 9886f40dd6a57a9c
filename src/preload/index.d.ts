// window.loglens as the renderer sees it in the Electron app (absent in the browser front).
import type { PreloadApi } from '../shared/contract'

declare global {
  interface Window {
    loglens?: PreloadApi
  }
}

export {}
