// The service's call handlers, with the parts only the desktop app can do: the native Open
// dialog, and a check that dropped paths look like what webUtils.getPathForFile gives.
import { isAbsolute } from 'node:path'
import { ServiceError } from '../service/errors'
import type { CallHandlers } from '../shared/contract'
import type { FileSelection } from '../shared/types'

export interface DesktopDeps {
  /** The native Open dialog: chosen paths, or null when cancelled. */
  chooseFiles(): Promise<string[] | null>
  registerPaths(paths: string[], source: 'path'): Promise<FileSelection>
}

export function desktopHandlers(base: CallHandlers, deps: DesktopDeps): CallHandlers {
  return {
    ...base,
    openFileDialog: async () => {
      const chosen = await deps.chooseFiles()
      return chosen ? deps.registerPaths(chosen, 'path') : null
    },
    registerDroppedPaths: async ({ paths }) => {
      // A drop always yields absolute paths; anything else did not come from a drop.
      if (paths.some((p) => !isAbsolute(p) || p.includes('\0')))
        throw new ServiceError('INVALID_INPUT', 'Dropped paths must be absolute file paths.')
      return deps.registerPaths(paths, 'path')
    },
  }
}
