// Types for scripts/electron-runtime.cjs (imported by the TypeScript e2e specs).
export type ElectronRuntime =
  | { ok: true; executable: string; version: string }
  | { ok: false; kind: 'missing' | 'broken' | 'no-display'; reason: string }

export declare const root: string
export declare function detectElectronRuntime(options?: { needDisplay?: boolean }): ElectronRuntime
export declare function electronVersion(): string | null
export declare function electronNativeBinding(): string | null
