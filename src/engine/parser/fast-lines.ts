// The WebAssembly line parser (wasm/fast-lines.ts) for one thread: a chunk buffer inside the
// module's memory, so the reader reads straight into it, and one call parses a whole chunk of
// lines into records. Lines it does not take (kind 0) go to the JavaScript parser as before.
// The thread's top-k summaries (paths, agents, referrers) live there too: the lines it takes are
// offered inside the call (summed per text, then handed on once each, before it returns), the
// others through WasmTopK.offer.
// Off when LOGLENS_WASM=0 or when WebAssembly (with SIMD) is not there (engine/wasm.ts): the
// JavaScript parser then does every line.
import type { TopKData } from '../aggregate/top-k'
import { FAST_LINES_WASM } from './fast-lines-wasm'
import { embeddedModule } from '../wasm'

/** Record layout (see wasm/fast-lines.ts): Int32 word offsets, and Float64 word offsets. */
export const REC_WORDS = 24
/** 0: for the JavaScript parser; KIND_V4, KIND_V6: parsed. */
export const R_KIND = 0
export const KIND_V4 = 1
export const KIND_V6 = 2
export const R_START = 1
export const R_END = 2
export const R_IP = 3
export const R_STATUS = 4
export const R_TZ = 5
export const R_TIME_F64 = 3 // byte 24
export const R_BYTES_F64 = 4 // byte 32
export const R_PATH = 10
export const R_REFERER = 13
export const R_AGENT = 16
/** An IPv6 client's four big-endian words. */
export const R_V6 = 20

const PAGE = 65536
/** Records per call; the first page is left to the module's own data. */
export const MAX_RECORDS = 1024
const RECORDS_AT = PAGE
/** The chunk buffer's offset: after the records, on a page boundary. */
const BUFFER_AT = RECORDS_AT + Math.ceil((MAX_RECORDS * REC_WORDS * 4) / PAGE) * PAGE
/** The 16-byte searches may read up to 15 bytes past a chunk's end. */
const PAD = 64

type ParseLines = (start: number, end: number, out: number, max: number, shape: number) => number
type TopOffer = (k: number, lo: number, hi: number, label: number, labelLen: number) => void

/** The summaries; their kind numbers are the module's TOP_PATH, TOP_AGENT, TOP_REFERER. */
export type TopName = 'path' | 'agent' | 'referrer'

/** The parser's module (wasm/fast-lines.ts), or null (see engine/wasm.ts). */
const wasmModule = (): WebAssembly.Module | null => embeddedModule(FAST_LINES_WASM)

export class FastLines {
  /** The chunk buffer, inside the module's memory. */
  readonly buf: Buffer
  readonly i32: Int32Array
  readonly f64: Float64Array
  /** Word offset of the first record in i32 (and of its Float64 words ×2 in f64). */
  readonly recordsWord = RECORDS_AT / 4
  /** The thread's top-k summaries, kept in the module's memory. */
  readonly top: Record<TopName, WasmTopK>
  private readonly parseLines: ParseLines

  private constructor(
    memory: WebAssembly.Memory,
    instance: WebAssembly.Instance,
    bufferBytes: number,
    topAt: number,
    pendingAt: number,
    /** The preset shape (fast.ts) parse() reads lines as; set per file by the accumulator. */
    public shape: number,
  ) {
    this.buf = Buffer.from(memory.buffer, BUFFER_AT, bufferBytes)
    this.i32 = new Int32Array(memory.buffer)
    this.f64 = new Float64Array(memory.buffer)
    const x = instance.exports
    this.parseLines = x.parseLines as ParseLines
    // Where a parse call sums its offers (the module's PEND_BYTES): after the label scratch.
    ;(x.topInit as (at: number, pending: number) => void)(topAt, pendingAt)
    const layout = topLayout(x)
    if ((topAt | layout.bytes | layout.counts | layout.errors) % 8 !== 0) {
      throw new Error('top-k summaries must be 8-byte aligned')
    }
    const offer = x.topOffer as TopOffer
    const scratch = topAt + 3 * layout.bytes
    this.top = {
      path: new WasmTopK(memory, offer, layout, 0, topAt, scratch),
      agent: new WasmTopK(memory, offer, layout, 1, topAt, scratch),
      referrer: new WasmTopK(memory, offer, layout, 2, topAt, scratch),
    }
  }

  /** A parser for a preset of fast.ts's `shape`, with a chunk buffer of `bufferBytes`, or null. */
  static create(shape: number, bufferBytes: number): FastLines | null {
    const mod = wasmModule()
    if (!mod) return null
    try {
      const { topBytes, pendingBytes } = moduleSizes(mod)
      const topAt = Math.ceil((BUFFER_AT + bufferBytes + PAD) / 8) * 8
      // A fixed size (initial = maximum): the memory never grows, so views of it stay valid.
      const pendingAt = topAt + 3 * topBytes + LABEL_SCRATCH
      const pages = Math.ceil((pendingAt + pendingBytes) / PAGE)
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages })
      const instance = new WebAssembly.Instance(mod, { env: { memory } })
      return new FastLines(memory, instance, bufferBytes, topAt, pendingAt, shape)
    } catch {
      // No room for a WebAssembly memory (a limit on address space): the JavaScript parser.
      return null
    }
  }

  /** True when buf's bytes are this parser's chunk buffer (so they can be parsed here). */
  owns(buf: Uint8Array): boolean {
    return buf.buffer === this.buf.buffer
  }

  /**
   * Parse the lines of buf[start, end) (buf: this.buf) into records; returns how many (at most
   * MAX_RECORDS). Positions in records are offsets in the module's memory: subtract
   * buf.byteOffset for offsets in buf.
   */
  parse(buf: Uint8Array, start: number, end: number): number {
    const o = buf.byteOffset
    return this.parseLines(o + start, o + end, RECORDS_AT, MAX_RECORDS, this.shape)
  }
}

/** Room after the summaries for a label offered from bytes outside the module's memory. */
const LABEL_SCRATCH = 256

interface TopLayout {
  bytes: number
  capacity: number
  labelBytes: number
  total: number
  size: number
  keysLo: number
  keysHi: number
  counts: number
  errors: number
  labelLen: number
  labels: number
}

function topLayout(x: Record<string, unknown>): TopLayout {
  const v = (name: string): number => (x[name] as WebAssembly.Global).value
  return {
    bytes: v('TOP_BYTES'),
    capacity: v('TOP_CAPACITY'),
    labelBytes: v('LABEL_BYTES'),
    total: v('T_TOTAL'),
    size: v('T_SIZE'),
    keysLo: v('T_KEYS_LO'),
    keysHi: v('T_KEYS_HI'),
    counts: v('T_COUNTS'),
    errors: v('T_ERRORS'),
    labelLen: v('T_LABEL_LEN'),
    labels: v('T_LABELS'),
  }
}

let sizesOfModule: { topBytes: number; pendingBytes: number } | null = null
/** TOP_BYTES and PEND_BYTES of the module (one instance with a page of memory, once). */
function moduleSizes(mod: WebAssembly.Module): { topBytes: number; pendingBytes: number } {
  if (sizesOfModule === null) {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 })
    const x = new WebAssembly.Instance(mod, { env: { memory } }).exports
    sizesOfModule = {
      topBytes: (x.TOP_BYTES as WebAssembly.Global).value as number,
      pendingBytes: (x.PEND_BYTES as WebAssembly.Global).value as number,
    }
  }
  return sizesOfModule
}

/**
 * One top-k summary in the module's memory: SpaceSaving's offer() and toData() (top-k.ts), so
 * the accumulator uses either the same way.
 */
export class WasmTopK {
  private readonly at: number
  private readonly u8: Uint8Array
  private readonly i32: Int32Array
  private readonly f64: Float64Array
  private readonly u16: Uint16Array

  constructor(
    memory: WebAssembly.Memory,
    private readonly offerFn: TopOffer,
    private readonly l: TopLayout,
    readonly kind: number,
    topAt: number,
    private readonly scratch: number,
  ) {
    this.at = topAt + kind * l.bytes
    this.u8 = new Uint8Array(memory.buffer)
    this.i32 = new Int32Array(memory.buffer)
    this.f64 = new Float64Array(memory.buffer)
    this.u16 = new Uint16Array(memory.buffer)
  }

  /** Count one occurrence of the text buf[start, end) whose hashes are (lo, hi). */
  offer(lo: number, hi: number, buf: Uint8Array, start: number, end: number): void {
    const n = Math.min(end - start, this.l.labelBytes)
    let label: number
    if (buf.buffer === this.u8.buffer) label = buf.byteOffset + start
    else {
      // Bytes from elsewhere (a buffer grown for a long line): the label through the scratch.
      this.u8.set(buf.subarray(start, start + n), this.scratch)
      label = this.scratch
    }
    this.offerFn(this.kind, lo, hi, label, n)
  }

  toData(decode: (bytes: Uint8Array) => string): TopKData {
    const l = this.l
    const at = this.at
    const n = this.i32[(at + l.size) >> 2]!
    const labels = new Array<string>(n)
    for (let s = 0; s < n; s++) {
      const off = at + l.labels + s * l.labelBytes
      labels[s] = decode(this.u8.subarray(off, off + this.u16[(at + l.labelLen + 2 * s) >> 1]!))
    }
    return {
      capacity: l.capacity,
      total: this.f64[(at + l.total) >> 3]!,
      keysLo: this.i32.slice((at + l.keysLo) >> 2, ((at + l.keysLo) >> 2) + n),
      keysHi: this.i32.slice((at + l.keysHi) >> 2, ((at + l.keysHi) >> 2) + n),
      counts: this.f64.slice((at + l.counts) >> 3, ((at + l.counts) >> 3) + n),
      errors: this.f64.slice((at + l.errors) >> 3, ((at + l.errors) >> 3) + n),
      labels,
      size: n,
    }
  }
}
