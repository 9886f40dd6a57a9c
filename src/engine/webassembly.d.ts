// The part of the WebAssembly JS API the engine uses (wasm.ts, fast-lines.ts, shared-ip-table.ts).
// Node and Chromium have it; the node types of this Node line (@types/node 20) do not declare it,
// and the DOM lib is not ours.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array)
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean })
    readonly buffer: ArrayBuffer | SharedArrayBuffer
  }
  class Global {
    readonly value: number
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>)
    readonly exports: Record<string, unknown>
  }
}
