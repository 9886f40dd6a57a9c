// The exactness tests again with the WebAssembly parts off (LOGLENS_WASM=0): the JavaScript
// line parser and batch counter are what runs where WebAssembly (with SIMD and shared memory) is
// missing, and they must stay exact too. Set before anything loads (this file's own process);
// the parse workers inherit it.
process.env.LOGLENS_WASM = '0'
await import('./exactness.test')
export {}
