// The engine's WebAssembly modules (wasm/, embedded as base64 by scripts/build-wasm.mjs):
// compiled once per thread, on first use. Null when LOGLENS_WASM=0 or when this runtime cannot
// compile them (no WebAssembly, no SIMD, no shared memory): the JavaScript code then does the
// same work.

const compiled = new Map<string, WebAssembly.Module | null>()

export function embeddedModule(base64: string): WebAssembly.Module | null {
  let m = compiled.get(base64)
  if (m === undefined) {
    m = null
    if (globalThis.process?.env.LOGLENS_WASM !== '0' && typeof WebAssembly === 'object') {
      try {
        m = new WebAssembly.Module(Buffer.from(base64, 'base64'))
      } catch {
        // Not for this runtime: the JavaScript path.
      }
    }
    compiled.set(base64, m)
  }
  return m
}
