// The per-client table shared by every parse thread of an analysis (one shared memory; a
// staged batch is counted in WebAssembly, wasm/ip-table.ts, where the runtime has it).
//
// One table for all threads holds twice as many distinct clients in the same memory as a table
// per thread (threads mostly see the same clients) and needs no merge at the end. It is split by
// client hash into regions, each with its own slots, counters and lock. A thread stages every
// line's client in a buffer per region and counts a region's staged lines in one go while it
// holds that region's lock: inside, every read and write is plain (no atomic operation per line,
// and no cache line moving between cores at every line of a busy client), and the memory loads
// of a batch overlap (touch every slot, find every client, touch every client's counters, then
// count). A lock is taken once per batch of a few hundred lines.
//
// Slots are [key, tag] pairs (eight to a cache line); the tag points to the client's counters
// (offset + 1, with V6_BIT for IPv6, whose four address words follow its counters). When a region
// is full, the thread releases the lock, raises the FLUSH flag and parks; every running thread
// parks before its next batch; the coordinator drains the table, clears it, lowers the flag and
// wakes them. Staged lines wait in their buffers and are handled after the drain. The first
// drain while the logs are read starts key ranges (partition.ts): the clients go to records on
// disk as rows, and from then on every thread writes its staged lines to records instead of
// counting them (routeStaged); at the end the ranges are counted here one by one (countRecords)
// and drained to SQLite. Other drains go to SQLite (rows in client-key order; upserts, so sums
// stay exact). Hostname clients (rare) stay in each thread's own table.
import { ipv4ToString, ipv6WordsToString } from '../parser'
import type { MergedRow, RowCursor } from './ip-table'
import { putV4Key, putV6Key, V4_KEY_BYTES, V6_KEY_BYTES } from '../store/client-key'
import { mix128, mix32 } from './hash'
import { UvSketch, type UvSketchData } from './uv-sketch'
import { IP_TABLE_WASM } from './ip-table-wasm'
import { embeddedModule } from '../wasm'
import {
  PartWriter,
  REC_BIG,
  REC_LINE4,
  REC_LINE6,
  REC_ROW4,
  recordWords,
  Route,
  ROUTE_WORDS,
} from './partition'

// Counters per client (Uint32 words); an IPv6 client's four address words follow its counters.
const STRIDE = 9
const STRIDE_V6 = 13
const F_FIRST = 0
const F_LAST = 1
const F_BYTES_LO = 2
const F_BYTES_HI = 3
const F_OTHER = 4 // statuses outside 2xx..5xx
const F_2XX = 5 // 3xx 6, 4xx 7, 5xx 8
const F_ADDR = 9 // IPv6 only

const V6_BIT = 0x80000000

// Control words (Int32), one cache line (16 words) per group so threads never share a line.
const C_FLUSH = 0
const C_SLEEP = 1 // always 0: Atomics.wait on it is a plain sleep
const C_STATES = 16 // one state per thread (written only at task edges and parking)
const LINE = 16
const R_LOCK = 0 // per region, at regionWord(): its lock, clients and counter words in use
const R_COUNT = 1
const R_WORDS = 2
export const THREAD_IDLE = 0
export const THREAD_RUNNING = 1
export const THREAD_PARKED = 2

/** Share of a region's slots in use before it counts as full (short probe runs). */
const MAX_LOAD = 0.75
/** Counter words per client on average: IPv4 9, IPv6 13; room for an eighth IPv6 by default. */
const WORDS_PER_CLIENT = 9.5
/** Regions of a big table; small ones (tests forcing spills) have fewer. */
const MAX_REGIONS = 16
const MIN_REGION_SLOTS = 4096
/** Staged lines per region before its batch is counted. */
const STAGE = 512
// The coordinator's scratch (wasm/ip-table.ts): for drains (sortPairs, gatherRows) four levels
// of radix counts, then up to GATHER_ROWS rows of ROW_WORDS words (the address, then the
// client's counters); then TOP_MAX entries of 16 bytes for topClients (slot, requests).
const SORT_LEVELS = 4
const GATHER_ROWS = 128
const ROW_WORDS = 10
const TOP_MAX = 64
const TOP_AT = SORT_LEVELS * 2048 + GATHER_ROWS * ROW_WORDS * 4
const SCRATCH_BYTES = TOP_AT + TOP_MAX * 16

/** Regions for a table of `slots` slots: a power of two, each region at least MIN_REGION_SLOTS. */
function regionsFor(slots: number): number {
  let r = 1
  while (r < MAX_REGIONS && slots / (r * 2) >= MIN_REGION_SLOTS) r *= 2
  return r
}

function regionCapacity(regionSlots: number): number {
  return Math.floor(regionSlots * MAX_LOAD)
}

function regionWordsFor(regionSlots: number): number {
  return Math.ceil(regionCapacity(regionSlots) * WORDS_PER_CLIENT)
}

/** Bytes of slots and counters for a table of `slots` slots. */
export function sharedTableBytes(slots: number): number {
  const r = regionsFor(slots)
  const rs = Math.floor(slots / r)
  return r * (rs * 8 + regionWordsFor(rs) * 4)
}

/** The most slots whose arrays fit in `bytes`. */
export function slotsFor(bytes: number): number {
  return Math.min(SLOT_SPAN, Math.floor(bytes / (8 + MAX_LOAD * WORDS_PER_CLIENT * 4)))
}

/** Distinct clients a table of `slots` slots holds for sure before it must be drained. */
export function capacityOf(slots: number): number {
  const r = regionsFor(slots)
  return r * regionCapacity(Math.floor(slots / r))
}

export interface SharedTableBuffers {
  /** Slots in use: regions × regionSlots. */
  slots: number
  regions: number
  regionSlots: number
  regionWords: number
  threads: number
  /**
   * One shared memory for the control words, the slots ([key, tag] each), the counters and each
   * parse thread's staged lines: a WebAssembly memory when the batch counter runs in WebAssembly
   * (wasm/ip-table.ts), else a plain SharedArrayBuffer. `shared` is its buffer either way.
   */
  memory: WebAssembly.Memory | null
  shared: SharedArrayBuffer
  /** Byte offsets in `shared`. */
  controlAt: number
  slotsAt: number
  countersAt: number
  /** Thread k's staged lines are at stagingAt + k * stagingBytes. */
  stagingAt: number
  stagingBytes: number
  /** The coordinator's scratch for drains (SCRATCH_BYTES). */
  scratchAt: number
  /** Key-range records read back at the end (countRecords): recordBytes at recordsAt. */
  recordsAt: number
  recordBytes: number
  /** Key-range bounds once the table has filled (see partition.ts). */
  route: SharedArrayBuffer
  /** Where the parse threads write their records once it has (none: spill to SQLite only). */
  spillDir: string | null
}

const regionWord = (threads: number, r: number): number =>
  C_STATES + LINE * (1 + Math.ceil(threads / LINE)) + LINE * r

/** A thread's staged lines: STAGE per region and one scratch entry, and the found offsets. */
function stagingLayout(regions: number): {
  addr: number
  hash: number
  time: number
  bytes: number
  status: number
  found: number
  count: number
  total: number
} {
  const n = regions * STAGE + 1
  const align = (x: number): number => Math.ceil(x / 8) * 8
  const addr = 0
  const hash = align(addr + 16 * n)
  const time = align(hash + 4 * n)
  const bytes = align(time + 4 * n)
  const status = align(bytes + 8 * n)
  const found = align(status + 2 * n)
  // The staged lines per region, for stageRecords (the range table: countRecords).
  const count = align(found + 4 * STAGE)
  return { addr, hash, time, bytes, status, found, count, total: align(count + 4 * regions) }
}

const PAGE = 65536

export function createSharedTable(
  slots: number,
  threads: number,
  spillDir: string | null = null,
  /** Room for key-range records read back (the table the ranges are counted in). */
  recordBytes = 0,
): SharedTableBuffers {
  slots = Math.floor(slots)
  if (slots < 16 || slots > SLOT_SPAN) throw new Error('bad slot count')
  const regions = regionsFor(slots)
  const regionSlots = Math.floor(slots / regions)
  const regionWords = regionWordsFor(regionSlots)
  const align = (x: number): number => Math.ceil(x / 64) * 64
  const controlAt = 0
  const slotsAt = align(controlAt + 4 * regionWord(threads, regions))
  const countersAt = align(slotsAt + 8 * regions * regionSlots)
  const stagingAt = align(countersAt + 4 * regions * regionWords)
  const stagingBytes = align(stagingLayout(regions).total)
  const scratchAt = stagingAt + threads * stagingBytes
  const recordsAt = align(scratchAt + SCRATCH_BYTES)
  recordBytes = Math.ceil(recordBytes / 4) * 4
  const bytes = recordsAt + recordBytes
  const module = ipTableModule()
  let memory: WebAssembly.Memory | null = null
  if (module) {
    const pages = Math.ceil(bytes / PAGE)
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
    } catch {
      // No room for a WebAssembly memory (its reservation is far bigger than its pages, which a
      // limit on address space can refuse): a plain SharedArrayBuffer and the JavaScript counter.
    }
  }
  return {
    slots: regions * regionSlots,
    regions,
    regionSlots,
    regionWords,
    threads,
    memory,
    shared: memory ? (memory.buffer as SharedArrayBuffer) : new SharedArrayBuffer(bytes),
    controlAt,
    slotsAt,
    countersAt,
    stagingAt,
    stagingBytes,
    scratchAt,
    recordsAt,
    recordBytes,
    route: new SharedArrayBuffer(4 * ROUTE_WORDS),
    spillDir,
  }
}

/** The batch counter's module (wasm/ip-table.ts), or null (see engine/wasm.ts). */
const ipTableModule = (): WebAssembly.Module | null => embeddedModule(IP_TABLE_WASM)

type CountBatch = (r: number, from: number, n: number) => number
/** Key-range records staged in WebAssembly (wasm/ip-table.ts, stageRecords). */
interface WasmRecords {
  /** Stage the line records in words [from, to) of the records area; returns where it stopped. */
  stage: (at: number, from: number, to: number, countsAt: number, shift: number) => number
  /** The region whose stage the last call filled, or -1. */
  takeFilled: () => number
  /** Where the staged lines per region are (sCount's words, in the shared memory). */
  countsAt: number
  /** The records area (SharedTableBuffers.recordsAt). */
  at: number
}
/** The drain's WebAssembly functions (wasm/ip-table.ts). */
interface WasmDrain {
  /** IPv4 pairs to the front of the slot array, IPv6 ones to the back; returns the IPv4 count. */
  partitionPairs: () => number
  /** How many IPv6 pairs partitionPairs() put at the back. */
  partitionedV6: () => number
  /** Sort the first n pairs of the slot array by address. */
  sortPairs: (n: number) => void
  /** Rows of sorted pairs [from, from + n) into `rows` (n <= GATHER_ROWS). */
  gatherRows: (from: number, n: number) => void
  rows: Uint32Array
  /** The top n (<= TOP_MAX) clients by requests into `top`; returns how many. */
  topClients: (n: number) => number
  /** Per entry four words: slot, unused, requests (low, high word). */
  top: Uint32Array
}

/**
 * A drained table's clients in key order: the first n4 pairs of the slot array (IPv4, sorted by
 * address), then the IPv6 clients' counter offsets in order6 (sorted by address).
 */
interface SortedClients {
  n4: number
  order6: Int32Array
}

export class SharedIpTable {
  readonly capacity: number
  private readonly ctl: Int32Array
  private readonly slotWords: Uint32Array
  /**
   * The same memory as signed words, and the staged addresses and hashes likewise: values read
   * through them are V8 small integers, passed to find4 without a heap number each (hash.ts).
   */
  private readonly slotKeys: Int32Array
  private readonly sAddrI: Int32Array
  private readonly sHashI: Int32Array
  private readonly slots: number
  private readonly cnt: Uint32Array
  private readonly regions: number
  /** 16 - log2(regions): regionOf shifts by 16, then by this. */
  private readonly regionShift: number
  private readonly regionSlots: number
  private readonly regionWords: number
  private readonly regionCap: number
  private readonly rBase: number
  // This thread's staged lines: STAGE per region.
  private readonly sAddr: Uint32Array
  private readonly sHash: Uint32Array
  private readonly sTime: Uint32Array
  /** Status, with STAGED_V6 set for an IPv6 client. */
  private readonly sStatus: Uint16Array
  private readonly sBytes: Float64Array
  private readonly sCount: Int32Array
  /** Counters offsets found for a batch (reused). */
  private readonly found: Int32Array
  /** countBatch in WebAssembly (wasm/ip-table.ts), when the memory is a WebAssembly one. */
  private readonly wasmBatch: CountBatch | null = null
  /** Key-range records staged in WebAssembly (countRecords), likewise. */
  private readonly wasmRecords: WasmRecords | null = null
  /** Sorting and reading a drained table in WebAssembly, likewise. */
  private readonly wasmDrain: WasmDrain | null = null
  /** Staging index of the one-client scratch entry (mergeRow6, countRecords). */
  private readonly scratch: number
  /** Its address words. */
  private readonly scratchAddr: Uint32Array
  private readonly route: Route
  /** This thread's records once the table has filled (partition.ts). */
  private writer: PartWriter | null = null
  /**
   * Clients this thread routed to key ranges (the coordinator's also holds those in the table
   * when it filled): with the other threads', the live view's distinct clients from then on.
   */
  private seen: UvSketch | null = null
  /** Keeps the touching loads from being optimised away. */
  sink = 0
  /** Parse threads: tells the coordinator (by message) that this thread raised the flag. */
  onFlushRequested?: () => void
  /** Parse threads: called before parking (a good moment to collect garbage). */
  onPark?: () => void

  constructor(
    readonly buffers: SharedTableBuffers,
    /** This thread's index (for the park protocol); the coordinator's own thread is 0. */
    private readonly thread: number,
    /**
     * The coordinator's own parse thread: it cannot park (it is the one who drains), so when the
     * table is full or another thread asked for a drain it calls this, which drains right away.
     */
    private readonly drainNow?: () => void,
  ) {
    const mem = buffers.shared
    this.ctl = new Int32Array(mem, buffers.controlAt, regionWord(buffers.threads, buffers.regions))
    this.slotWords = new Uint32Array(mem, buffers.slotsAt, 2 * buffers.slots)
    this.slotKeys = new Int32Array(mem, buffers.slotsAt, 2 * buffers.slots)
    this.slots = buffers.slots
    this.cnt = new Uint32Array(mem, buffers.countersAt, buffers.regions * buffers.regionWords)
    this.regions = buffers.regions
    this.regionShift = 16 - Math.log2(buffers.regions)
    this.regionSlots = buffers.regionSlots
    this.regionWords = buffers.regionWords
    this.regionCap = regionCapacity(buffers.regionSlots)
    this.capacity = this.regions * this.regionCap
    this.rBase = regionWord(buffers.threads, 0)
    this.route = new Route(buffers.route)
    this.scratch = this.regions * STAGE
    const n = this.scratch + 1
    // This thread's staged lines, in the shared memory (the WebAssembly counter reads them).
    const l = stagingLayout(this.regions)
    const at = buffers.stagingAt + thread * buffers.stagingBytes
    if (thread < 0 || thread >= buffers.threads) throw new Error('bad thread index')
    this.sAddr = new Uint32Array(mem, at + l.addr, 4 * n)
    this.sHash = new Uint32Array(mem, at + l.hash, n)
    this.sAddrI = new Int32Array(mem, at + l.addr, 4 * n)
    this.sHashI = new Int32Array(mem, at + l.hash, n)
    this.sTime = new Uint32Array(mem, at + l.time, n)
    this.sStatus = new Uint16Array(mem, at + l.status, n)
    this.sBytes = new Float64Array(mem, at + l.bytes, n)
    this.found = new Int32Array(mem, at + l.found, STAGE)
    this.scratchAddr = this.sAddr.subarray(4 * this.scratch, 4 * this.scratch + 4)
    const module = buffers.memory ? ipTableModule() : null
    let x: Record<string, unknown> | null = null
    try {
      if (module && buffers.memory)
        x = new WebAssembly.Instance(module, { env: { memory: buffers.memory } }).exports
    } catch {
      // The JavaScript countBatch works on the same memory (and with threads that have this).
    }
    if (x) {
      ;(x.init as (...a: number[]) => void)(
        buffers.controlAt,
        buffers.slotsAt,
        buffers.countersAt,
        this.slots,
        this.regionSlots,
        this.regionWords,
        this.regionCap,
        this.rBase,
        STAGE,
        at + l.addr,
        at + l.hash,
        at + l.time,
        at + l.status,
        at + l.bytes,
        at + l.found,
        buffers.scratchAt,
      )
      if ((x.SCRATCH_BYTES as WebAssembly.Global).value !== SCRATCH_BYTES)
        throw new Error('wasm/ip-table.ts and shared-ip-table.ts disagree on the scratch layout')
      this.wasmBatch = x.countBatch as CountBatch
      this.wasmDrain = {
        partitionPairs: x.partitionPairs as WasmDrain['partitionPairs'],
        partitionedV6: x.partitionedV6 as WasmDrain['partitionedV6'],
        sortPairs: x.sortPairs as WasmDrain['sortPairs'],
        gatherRows: x.gatherRows as WasmDrain['gatherRows'],
        rows: new Uint32Array(mem, buffers.scratchAt + SORT_LEVELS * 2048, GATHER_ROWS * ROW_WORDS),
        topClients: x.topClients as WasmDrain['topClients'],
        top: new Uint32Array(mem, buffers.scratchAt + TOP_AT, TOP_MAX * 4),
      }
      if (buffers.recordBytes > 0)
        this.wasmRecords = {
          stage: x.stageRecords as WasmRecords['stage'],
          takeFilled: x.takeFilled as WasmRecords['takeFilled'],
          countsAt: at + l.count,
          at: buffers.recordsAt,
        }
    }
    // In the shared memory where stageRecords counts too (the range table), else plain.
    this.sCount = this.wasmRecords
      ? new Int32Array(mem, this.wasmRecords.countsAt, this.regions)
      : new Int32Array(this.regions)
  }

  // ------------------------------------------------------------ parse threads

  setState(state: number): void {
    Atomics.store(this.ctl, C_STATES + this.thread, state)
    if (state === THREAD_RUNNING && !this.drainNow && Atomics.load(this.ctl, C_FLUSH) !== 0)
      this.park()
  }

  /** Wait while the coordinator drains the table. */
  private park(): void {
    this.onPark?.()
    const ctl = this.ctl
    // Leave only when the flag is down AFTER saying RUNNING again: the coordinator raises the
    // flag before it checks the states, we say RUNNING before we check the flag, so one of us
    // always sees the other (a new drain can start the moment the last one ends).
    for (;;) {
      Atomics.store(ctl, C_STATES + this.thread, THREAD_PARKED)
      while (Atomics.load(ctl, C_FLUSH) !== 0) Atomics.wait(ctl, C_FLUSH, 1, 1000)
      Atomics.store(ctl, C_STATES + this.thread, THREAD_RUNNING)
      if (Atomics.load(ctl, C_FLUSH) === 0) break
    }
  }

  /**
   * Region of a client hash: its top log2(regions) bits (the slot inside the region comes from
   * the rest). Two shifts, as one shift by 32 (one region) would leave the hash unchanged.
   */
  private regionOf(h: number): number {
    return (h >>> 16) >>> this.regionShift
  }

  /** Stage one valid line of an IPv4 client (`h` = mix32(ip); `ip` as int32 or uint32). */
  stage4(ip: number, h: number, t: number, status: number, bytes: number): void {
    const r = this.regionOf(h)
    const k = this.sCount[r]!++
    const i = r * STAGE + k
    this.sAddr[4 * i] = ip
    this.sHash[i] = h
    this.sTime[i] = t
    this.sStatus[i] = status
    this.sBytes[i] = bytes
    if (k + 1 === STAGE) this.countRegion(r)
  }

  /** Stage one valid line of an IPv6 client (`h` = mix128 of its words). */
  stage6(words: Uint32Array, h: number, t: number, status: number, bytes: number): void {
    const r = this.regionOf(h)
    const k = this.sCount[r]!++
    const i = r * STAGE + k
    const a = 4 * i
    this.sAddr[a] = words[0]!
    this.sAddr[a + 1] = words[1]!
    this.sAddr[a + 2] = words[2]!
    this.sAddr[a + 3] = words[3]!
    this.sHash[i] = h
    this.sTime[i] = t
    this.sStatus[i] = status | STAGED_V6
    this.sBytes[i] = bytes
    if (k + 1 === STAGE) this.countRegion(r)
  }

  /** Count every staged line (end of a chunk: nothing may wait across tasks). */
  flush(): void {
    // Regions another thread is counting right now are left for the second pass, which waits
    // for them. Both passes always run (the second usually finds nothing staged): a branch
    // taken only now and then (another thread busy in the same region) would be compiled
    // without type feedback, and each time it is taken V8 would throw the whole inlined parse
    // loop back to the interpreter (112 times in one 1 GB run).
    for (let pass = 0; pass < 2; pass++)
      for (let r = 0; r < this.regions; r++)
        if (this.sCount[r]! > 0) this.countRegion(r, pass === 1)
  }

  /**
   * Take region r's lock, waiting (or parking for a drain) unless `wait` is false. Waiting runs
   * the same calls as the usual case (the lock free at once): a call made only while another
   * thread holds the lock would be compiled without type feedback, and each wait would send the
   * whole inlined parse loop back to the interpreter.
   */
  private lock(r: number, wait: boolean): boolean {
    const ctl = this.ctl
    const w = this.rBase + LINE * r + R_LOCK
    for (;;) {
      let draining: boolean
      let held: boolean
      // Usually one pass. Otherwise another thread is counting a batch here: microseconds.
      do {
        draining = Atomics.load(ctl, C_FLUSH) !== 0
        held = Atomics.load(ctl, w) !== 0
      } while (held && wait && !draining)
      if (draining) this.yieldToDrain()
      if (Atomics.compareExchange(ctl, w, 0, 1) === 0) return true
      if (!wait) return false
    }
  }

  private unlock(r: number): void {
    Atomics.store(this.ctl, this.rBase + LINE * r + R_LOCK, 0)
  }

  /**
   * Count region r's staged lines under its lock, or write them to the key ranges' records once
   * the table has filled. False when `wait` is false and it was busy.
   */
  private countRegion(r: number, wait = true): boolean {
    const n = this.sCount[r]!
    if (this.route.parts() !== 0) return this.routeStaged(r, 0, n)
    if (!this.lock(r, wait)) return false
    // A drain may have started the ranges while this thread waited for the lock.
    if (this.route.parts() !== 0) {
      this.unlock(r)
      return this.routeStaged(r, 0, n)
    }
    let from = 0
    for (;;) {
      const done = this.countBatch(r, from, n)
      if (done === n) break
      // The region is full: let the table be drained, then go on with the rest.
      this.unlock(r)
      this.full()
      if (this.route.parts() !== 0) return this.routeStaged(r, done, n)
      this.lock(r, true)
      from = done
    }
    this.sCount[r] = 0
    this.unlock(r)
    return true
  }

  /** The table has filled: region r's staged lines [from, n) go to their key ranges' records. */
  private routeStaged(r: number, from: number, n: number): boolean {
    const w = this.partWriter()
    const route = this.route
    const sAddr = this.sAddr
    const sAddrI = this.sAddrI
    const seen = this.seen!
    for (let k = from; k < n; k++) {
      const i = r * STAGE + k
      seen.add(this.sHash[i]!)
      const st = this.sStatus[i]!
      if ((st & STAGED_V6) === 0) {
        const ip = sAddrI[4 * i]!
        w.line4(route.of4(ip), ip, this.sTime[i]!, st, this.sBytes[i]!)
      } else {
        const a = 4 * i
        w.line6(
          route.of6(sAddr[a]!, sAddr[a + 1]!),
          sAddr,
          a,
          this.sTime[i]!,
          st & ~STAGED_V6,
          this.sBytes[i]!,
        )
      }
    }
    this.sCount[r] = 0
    return true
  }

  private partWriter(): PartWriter {
    if (this.writer) return this.writer
    const dir = this.buffers.spillDir
    if (!dir) throw new Error('the client table has no spill directory')
    this.route.load()
    this.seen = new UvSketch()
    return (this.writer = new PartWriter(dir, this.thread, this.route.parts()))
  }

  /** The live sketch of clients seen since the table filled (null until it has). */
  seenClients(): UvSketchData | null {
    return this.seen?.toData() ?? null
  }

  /** End of this thread's parsing: write out its records and close their files. */
  closeRecords(): void {
    this.writer?.close()
    this.writer = null
  }

  /** The job failed: close the record files without writing more. */
  abandonRecords(): void {
    this.writer?.abandon()
    this.writer = null
  }

  /**
   * Count staged lines [from, n) of region r (its lock held). Passes over the batch (touch every
   * slot, find every client, touch every client's counters, count) let the loads of different
   * lines overlap instead of waiting for each cache miss in turn. Returns how many lines were
   * counted: fewer than n when the region filled up.
   */
  private countBatch(r: number, from: number, n: number): number {
    if (this.wasmBatch !== null) return this.wasmBatch(r, from, n)
    const words = this.slotWords
    const cnt = this.cnt
    const slots = this.slots
    const base = r * STAGE
    const sHash = this.sHash
    const sAddrI = this.sAddrI
    const sHashI = this.sHashI
    const sStatus = this.sStatus
    const found = this.found
    let touch = 0
    for (let k = from; k < n; k++) touch ^= words[2 * slotOf(sHash[base + k]!, slots) + 1]!
    let k = from
    for (; k < n; k++) {
      const i = base + k
      const c =
        (sStatus[i]! & STAGED_V6) === 0
          ? this.find4(r, sAddrI[4 * i]!, sHashI[i]!, this.sTime[i]!)
          : this.find6(r, i, this.sTime[i]!)
      if (c < 0) break
      found[k] = c
    }
    // A loop of independent loads only: many counters' cache misses in flight at once. A
    // client's nine counter words (36 bytes) often span two cache lines: touch both ends.
    for (let j = from; j < k; j++) touch ^= cnt[found[j]!]! ^ cnt[found[j]! + F_2XX + 3]!
    const sTime = this.sTime
    const sBytes = this.sBytes
    for (let j = from; j < k; j++) {
      const i = base + j
      const c = found[j]!
      const status = sStatus[i]! & ~STAGED_V6
      const cls = (status / 100) | 0
      cnt[c + (cls >= 2 && cls <= 5 ? F_2XX - 2 + cls : F_OTHER)]!++
      const b = sBytes[i]!
      if (b < 4294967296) {
        // The usual case, without a floating-point remainder (a C call in V8) per line. The
        // store wraps to 32 bits; a carry shows as a sum past 2^32.
        const lo = cnt[c + F_BYTES_LO]! + b
        cnt[c + F_BYTES_LO] = lo
        if (lo > 0xffffffff) cnt[c + F_BYTES_HI]!++
      } else {
        const lo = cnt[c + F_BYTES_LO]! + (b % 4294967296)
        cnt[c + F_BYTES_LO] = lo
        cnt[c + F_BYTES_HI] =
          cnt[c + F_BYTES_HI]! + Math.floor(b / 4294967296) + (lo > 0xffffffff ? 1 : 0)
      }
      const t = sTime[i]!
      if (t < cnt[c + F_FIRST]!) cnt[c + F_FIRST] = t
      if (t > cnt[c + F_LAST]!) cnt[c + F_LAST] = t
    }
    this.sink = touch
    return k
  }

  /**
   * Counters of an IPv4 client in region r, inserting it; -1 when the region is full. `ip` and
   * `h` as int32 (see slotKeys).
   */
  private find4(r: number, ip: number, h: number, t: number): number {
    const words = this.slotWords
    const keys = this.slotKeys
    const lo = r * this.regionSlots
    const hi = lo + this.regionSlots
    let i = slotOf(h >>> 0, this.slots)
    for (;;) {
      const w = 2 * i
      const tag = words[w + 1]!
      if (tag === 0) return this.claim(r, w, ip, t, -1)
      if ((tag & V6_BIT) === 0 && keys[w] === ip) return tag - 1
      if (++i === hi) i = lo
    }
  }

  /** Counters of the IPv6 client staged at i in region r, inserting it; -1 when full. */
  private find6(r: number, i: number, t: number): number {
    const words = this.slotWords
    const cnt = this.cnt
    const a4 = 4 * i
    const a = this.sAddr[a4]!
    const b = this.sAddr[a4 + 1]!
    const cc = this.sAddr[a4 + 2]!
    const d = this.sAddr[a4 + 3]!
    const lo = r * this.regionSlots
    const hi = lo + this.regionSlots
    let s = slotOf(this.sHash[i]!, this.slots)
    for (;;) {
      const w = 2 * s
      const tag = words[w + 1]!
      if (tag === 0) return this.claim(r, w, 0, t, a4)
      if ((tag & V6_BIT) !== 0) {
        const k = (tag & ~V6_BIT) - 1
        const f = k + F_ADDR
        if (cnt[f] === a && cnt[f + 1] === b && cnt[f + 2] === cc && cnt[f + 3] === d) return k
      }
      if (++s === hi) s = lo
    }
  }

  /**
   * A new client in the empty slot at word `w` of region r (its lock held): allocate its
   * counters. `v6At` is the staged address's offset in sAddr for IPv6, else -1. Returns the
   * counters' offset, or -1 when the region is full.
   */
  private claim(r: number, w: number, key: number, t: number, v6At: number): number {
    const ctl = this.ctl
    const rw = this.rBase + LINE * r
    const len = v6At >= 0 ? STRIDE_V6 : STRIDE
    const used = ctl[rw + R_WORDS]!
    if (ctl[rw + R_COUNT]! >= this.regionCap || used + len > this.regionWords) return -1
    ctl[rw + R_COUNT]!++
    ctl[rw + R_WORDS] = used + len
    const c = r * this.regionWords + used
    const cnt = this.cnt
    cnt[c + F_FIRST] = t
    cnt[c + F_LAST] = t
    if (v6At >= 0) {
      cnt[c + F_ADDR] = this.sAddr[v6At]!
      cnt[c + F_ADDR + 1] = this.sAddr[v6At + 1]!
      cnt[c + F_ADDR + 2] = this.sAddr[v6At + 2]!
      cnt[c + F_ADDR + 3] = this.sAddr[v6At + 3]!
    } else this.slotWords[w] = key
    // Published with a store the coordinator's live preview (top) can rely on.
    Atomics.store(this.slotWords, w + 1, (c + 1) | (v6At >= 0 ? V6_BIT : 0))
    return c
  }

  /** Another thread asked for a drain: park, or drain (the coordinator's own thread). */
  private yieldToDrain(): void {
    if (this.drainNow) this.drainNow()
    else this.park()
  }

  /** A region is full: drain the table now, or ask the coordinator to and wait. */
  private full(): void {
    if (this.drainNow) return this.drainNow()
    if (Atomics.compareExchange(this.ctl, C_FLUSH, 0, 1) === 0) this.onFlushRequested?.()
    this.park()
  }

  // ------------------------------------------------------------ coordinator

  /** True while a drain is requested (the FLUSH flag is up). */
  drainRequested(): boolean {
    return Atomics.load(this.ctl, C_FLUSH) !== 0
  }

  /** Parse threads, between chunks: park now if a drain is requested (no line is in flight). */
  parkIfRequested(): void {
    if (!this.drainNow && Atomics.load(this.ctl, C_FLUSH) !== 0) this.park()
  }

  /** The coordinator asks every parse thread to park at its next batch. */
  requestDrain(): void {
    Atomics.store(this.ctl, C_FLUSH, 1)
  }

  /** Block (briefly) until no other thread is inside the table. */
  waitQuiescent(): void {
    while (!this.quiescent()) Atomics.wait(this.ctl, C_SLEEP, 0, 1)
  }

  /** True when no thread is running inside the table (all parked or idle). */
  quiescent(): boolean {
    for (let t = 0; t < this.buffers.threads; t++)
      if (Atomics.load(this.ctl, C_STATES + t) === THREAD_RUNNING) return false
    return true
  }

  /** Wake the parked threads after a drain. */
  release(): void {
    Atomics.store(this.ctl, C_FLUSH, 0)
    Atomics.notify(this.ctl, C_FLUSH)
  }

  /** Distinct clients in the table (a live figure while threads are counting). */
  get size(): number {
    let n = 0
    for (let r = 0; r < this.regions; r++)
      n += Atomics.load(this.ctl, this.rBase + LINE * r + R_COUNT)
    return n
  }

  private pvAt(c: number): number {
    return pvOf(this.cnt, c)
  }

  /** Client text of the slot at word `w`, and its counters' offset. */
  private clientAt(w: number): string {
    const tag = this.slotWords[w + 1]!
    if ((tag & V6_BIT) === 0) return ipv4ToString(this.slotWords[w]!)
    const f = (tag & ~V6_BIT) - 1 + F_ADDR
    return ipv6WordsToString(this.cnt.subarray(f, f + 4))
  }

  static countersOf(tag: number): number {
    return (tag & ~V6_BIT) - 1
  }

  /** The current top `n` clients (a live preview: counters may be mid-update). */
  top(n: number): { ip: string; pv: number }[] {
    // Nothing to find (a job's first sample): no pass over untouched slot memory (~16-40 ms of
    // page faults for a 24 MB table, before a small log's first line is read).
    if (this.size === 0) return []
    const d = this.wasmDrain
    if (d && n > 0 && n <= TOP_MAX) {
      const k = d.topClients(n)
      const out: { ip: string; pv: number }[] = []
      for (let i = 0; i < k; i++) {
        const e = 4 * i
        out.push({ ip: this.clientAt(2 * d.top[e]!), pv: d.top[e + 2]! + d.top[e + 3]! * 2 ** 32 })
      }
      return out
    }
    return this.topJs(n)
  }

  /** top() without WebAssembly (and the reference the tests compare it with). */
  topJs(n: number): { ip: string; pv: number }[] {
    const best: number[] = []
    const pvs: number[] = []
    const words = this.slotWords
    for (let w = 0; w < 2 * this.slots; w += 2) {
      const tag = words[w + 1]!
      if (tag === 0) continue
      const v = this.pvAt(SharedIpTable.countersOf(tag))
      if (best.length === n && v <= pvs[n - 1]!) continue
      let j = best.length < n ? best.length : n - 1
      while (j > 0 && pvs[j - 1]! < v) {
        best[j] = best[j - 1]!
        pvs[j] = pvs[j - 1]!
        j--
      }
      best[j] = w
      pvs[j] = v
    }
    return best.map((w, i) => ({ ip: this.clientAt(w), pv: pvs[i]! }))
  }

  /**
   * Every client in key order (IPv4 numerically, then IPv6 numerically: see store/client-key),
   * one row at a time; only when quiescent(), then clear(). No text is made to sort: the text of
   * a row is made when it is written.
   */
  rows(): RowCursor {
    const { n4, order6 } = this.sortInPlace()
    return new TableRows(this.slotWords, this.cnt, n4, order6, this.wasmDrain)
  }

  /**
   * Sort the clients by key where they are. A drain runs when memory is at its fullest, so it
   * allocates as little as it can: the IPv4 clients' [address, tag] pairs are moved to the front
   * of the slot array and sorted there (the table is cleared after its rows are written); IPv6
   * clients are a typed array of their counters' offsets, sorted by the address stored with the
   * counters.
   */
  private sortInPlace(): SortedClients {
    const words = this.slotWords
    const slots = this.slots
    const d = this.wasmDrain
    if (d) {
      // One pass in WebAssembly instead of two here (the slot array is megabytes).
      const n4 = d.partitionPairs()
      const n6 = d.partitionedV6()
      const order6 = new Int32Array(n6)
      for (let k = 0, i = slots - n6; k < n6; k++, i++)
        order6[k] = SharedIpTable.countersOf(words[2 * i + 1]!)
      d.sortPairs(n4)
      sortByAddress(order6, this.cnt)
      return { n4, order6 }
    }
    let n6 = 0
    for (let i = 0; i < slots; i++) if ((words[2 * i + 1]! & V6_BIT) !== 0) n6++
    const order6 = new Int32Array(n6)
    let n4 = 0
    n6 = 0
    for (let i = 0; i < slots; i++) {
      const tag = words[2 * i + 1]!
      if (tag === 0) continue
      if ((tag & V6_BIT) !== 0) order6[n6++] = SharedIpTable.countersOf(tag)
      else {
        words[2 * n4] = words[2 * i]!
        words[2 * n4 + 1] = tag
        n4++
      }
    }
    sortPairs(words, 0, n4 - 1)
    sortByAddress(order6, this.cnt)
    return { n4, order6 }
  }

  /**
   * The table is full for the first time (the coordinator, quiescent()): split the key space into
   * `parts` ranges of about as many of its clients each, start routing every parse thread's lines
   * to the ranges' records, and write the table's clients there as rows. clear() follows.
   * Returns the ranges made: fewer than asked when the table holds fewer clients.
   */
  startRouting(parts: number): number {
    const { n4, order6 } = this.sortInPlace()
    const words = this.slotWords
    const n = n4 + order6.length
    const b4: number[] = []
    const b6: number[] = []
    parts = Math.max(1, Math.min(parts, n))
    for (let j = 1; j < parts; j++) {
      const i = Math.floor((n * j) / parts)
      if (i < n4) b4.push(words[2 * i]!)
      else {
        const f = order6[i - n4]! + F_ADDR
        b6.push(this.cnt[f]!, this.cnt[f + 1]!)
      }
    }
    // Equal IPv6 prefixes make an empty range, which is harmless.
    this.route.publish(b4, b6)
    this.writeRows(n4, order6)
    return parts
  }

  /** Write every client in the table to its range's records as a row (clear() follows). */
  evictToRecords(): void {
    const { n4, order6 } = this.sortInPlace()
    this.writeRows(n4, order6)
  }

  private writeRows(n4: number, order6: Int32Array): void {
    const w = this.partWriter()
    const seen = this.seen!
    const words = this.slotWords
    const cnt = this.cnt
    for (let i = 0; i < n4; i++) {
      const ip = words[2 * i]!
      w.row(this.route.of4(ip), ip, cnt, SharedIpTable.countersOf(words[2 * i + 1]!), -1)
      seen.add(mix32(ip | 0))
    }
    for (let i = 0; i < order6.length; i++) {
      const c = order6[i]!
      const f = c + F_ADDR
      w.row(this.route.of6(cnt[f]!, cnt[f + 1]!), 0, cnt, c, f)
      seen.add(mix128(cnt[f]! | 0, cnt[f + 1]! | 0, cnt[f + 2]! | 0, cnt[f + 3]! | 0))
    }
  }

  /** Back to counting in the table: the ranges are counted one at a time (the coordinator). */
  stopRouting(): void {
    this.route.stop()
  }

  /**
   * Count the records in words[from, to) (a range's records, read back), as if their lines were
   * parsed again. Returns where it stopped: the start of a record that does not fit.
   */
  countRecords(words: Uint32Array, from: number, to: number): number {
    const addr = this.sAddr
    const wr = this.wasmRecords
    // Records read into the table's own area: lines are staged in WebAssembly, in runs, instead
    // of a call each (53.7M in the lesson's 10 GB); whole rows one by one here.
    const inWasm = wr !== null && words.buffer === this.buffers.shared && words.byteOffset === wr.at
    let i = from
    while (i < to) {
      if (inWasm) {
        i = wr.stage(wr.at, i, to, wr.countsAt, this.regionShift)
        const r = wr.takeFilled()
        if (r >= 0) {
          this.countRegion(r)
          continue
        }
        if (i >= to) break
      }
      const k = words[i]!
      const len = recordWords(k)
      if (i + len > to) break
      const kind = k & 7
      if (kind === REC_LINE4) {
        const ip = words[i + 1]! | 0
        const bytes = words[i + 3]! + (k & REC_BIG ? words[i + 4]! * 4294967296 : 0)
        this.stage4(ip, mix32(ip), words[i + 2]!, k >>> 4, bytes)
      } else if (kind === REC_LINE6) {
        // The address goes through the scratch entry's words.
        const a = 4 * this.scratch
        addr[a] = words[i + 1]!
        addr[a + 1] = words[i + 2]!
        addr[a + 2] = words[i + 3]!
        addr[a + 3] = words[i + 4]!
        const h = mix128(words[i + 1]! | 0, words[i + 2]! | 0, words[i + 3]! | 0, words[i + 4]! | 0)
        const bytes = words[i + 6]! + (k & REC_BIG ? words[i + 7]! * 4294967296 : 0)
        this.stage6(this.scratchAddr, h, words[i + 5]!, k >>> 4, bytes)
      } else this.mergeRow(words, i + 1, kind === REC_ROW4)
      i += len
    }
    return i
  }

  /**
   * Add a whole client (a row record: its address, then first, last, bytes lo/hi, other, 2xx..5xx)
   * to the table, waiting for a drain when its region is full.
   */
  private mergeRow(words: Uint32Array, at: number, v4: boolean): void {
    const s = this.scratch
    const a = 4 * s
    let h: number
    if (v4) h = mix32(words[at]! | 0)
    else {
      for (let k = 0; k < 4; k++) this.sAddr[a + k] = words[at + k]!
      h = mix128(words[at]! | 0, words[at + 1]! | 0, words[at + 2]! | 0, words[at + 3]! | 0)
      this.sHash[s] = h
    }
    const v = at + (v4 ? 1 : 4)
    const first = words[v]!
    const r = this.regionOf(h)
    let c: number
    for (;;) {
      this.lock(r, true)
      c = v4 ? this.find4(r, words[at]! | 0, h, first) : this.find6(r, s, first)
      if (c >= 0) break
      this.unlock(r)
      this.full()
    }
    const cnt = this.cnt
    if (first < cnt[c + F_FIRST]!) cnt[c + F_FIRST] = first
    if (words[v + 1]! > cnt[c + F_LAST]!) cnt[c + F_LAST] = words[v + 1]!
    const lo = cnt[c + F_BYTES_LO]! + words[v + 2]!
    cnt[c + F_BYTES_LO] = lo
    cnt[c + F_BYTES_HI] = cnt[c + F_BYTES_HI]! + words[v + 3]! + (lo > 0xffffffff ? 1 : 0)
    for (let k = 0; k < 5; k++) cnt[c + F_OTHER + k] = cnt[c + F_OTHER + k]! + words[v + 4 + k]!
    this.unlock(r)
  }

  /**
   * The area key-range records are read into for countRecords (createSharedTable's
   * recordBytes), or null: then any buffer will do, and the records are staged one by one.
   */
  recordArea(): Uint32Array | null {
    const b = this.buffers
    return b.recordBytes > 0 ? new Uint32Array(b.shared, b.recordsAt, b.recordBytes / 4) : null
  }

  /** Empty the table (after its rows were written); only when quiescent(). */
  clear(): void {
    this.slotWords.fill(0)
    for (let r = 0; r < this.regions; r++) {
      const rw = this.rBase + LINE * r
      const used = Atomics.load(this.ctl, rw + R_WORDS)
      this.cnt.fill(0, r * this.regionWords, r * this.regionWords + used)
      Atomics.store(this.ctl, rw + R_COUNT, 0)
      Atomics.store(this.ctl, rw + R_WORDS, 0)
    }
  }
}

/** Requests of the client whose counters start at c. */
function pvOf(n: Uint32Array, c: number): number {
  return n[c + F_OTHER]! + n[c + F_2XX]! + n[c + F_2XX + 1]! + n[c + F_2XX + 2]! + n[c + F_2XX + 3]!
}

/**
 * The rows of a drained table in key order (IPv4 slots sorted by address, then IPv6 counters
 * sorted by address). One key buffer per kind is rewritten for every row. With WebAssembly, the
 * IPv4 rows are gathered GATHER_ROWS at a time into dense rows (their counters are scattered
 * through the table: one cache miss each, many in flight at once there, one at a time here).
 */
class TableRows implements RowCursor {
  key: Buffer | null = null
  private i = 0
  /** The current row's counters: src[c + F_FIRST…] (the table's counters, or a gathered row). */
  private src: Uint32Array
  private c = -1
  /** Gathered rows [gathered, gatheredEnd) are in drain.rows. */
  private gathered = 0
  private gatheredEnd = 0
  private readonly k4 = Buffer.allocUnsafe(V4_KEY_BYTES)
  private readonly k6 = Buffer.allocUnsafe(V6_KEY_BYTES)

  constructor(
    /** The slot array, its first n4 pairs the IPv4 clients' [address, tag] sorted by address */
    private readonly words: Uint32Array,
    private readonly cnt: Uint32Array,
    private readonly n4: number,
    /** counter offsets, sorted by address */
    private readonly order6: Int32Array,
    private readonly drain: WasmDrain | null,
  ) {
    this.src = cnt
    this.next()
  }

  next(): void {
    const i = this.i++
    const n4 = this.n4
    if (i < n4) {
      const d = this.drain
      if (d === null) {
        this.c = SharedIpTable.countersOf(this.words[2 * i + 1]!)
        this.key = putV4Key(this.k4, this.words[2 * i]!)
        return
      }
      if (i >= this.gatheredEnd) {
        const n = Math.min(GATHER_ROWS, n4 - i)
        d.gatherRows(i, n)
        this.gathered = i
        this.gatheredEnd = i + n
        this.src = d.rows
      }
      const o = (i - this.gathered) * ROW_WORDS
      this.c = o + 1
      this.key = putV4Key(this.k4, d.rows[o]!)
    } else if (i < n4 + this.order6.length) {
      this.src = this.cnt
      this.c = this.order6[i - n4]!
      this.key = putV6Key(this.k6, this.cnt, this.c + F_ADDR)
    } else this.key = null
  }

  addTo(row: MergedRow): void {
    const cnt = this.src
    const c = this.c
    row.pv += pvOf(cnt, c)
    row.bytes += cnt[c + F_BYTES_LO]! + cnt[c + F_BYTES_HI]! * 4294967296
    if (cnt[c + F_FIRST]! < row.first) row.first = cnt[c + F_FIRST]!
    if (cnt[c + F_LAST]! > row.last) row.last = cnt[c + F_LAST]!
    row.s2xx += cnt[c + F_2XX]!
    row.s3xx += cnt[c + F_2XX + 1]!
    row.s4xx += cnt[c + F_2XX + 2]!
    row.s5xx += cnt[c + F_2XX + 3]!
  }

  putCounts(out: unknown[], at: number): void {
    const cnt = this.src
    const c = this.c
    const s2 = cnt[c + F_2XX]!
    const s3 = cnt[c + F_2XX + 1]!
    const s4 = cnt[c + F_2XX + 2]!
    const s5 = cnt[c + F_2XX + 3]!
    out[at] = cnt[c + F_OTHER]! + s2 + s3 + s4 + s5
    out[at + 1] = cnt[c + F_BYTES_LO]! + cnt[c + F_BYTES_HI]! * 4294967296
    out[at + 2] = cnt[c + F_FIRST]!
    out[at + 3] = cnt[c + F_LAST]!
    out[at + 4] = s2
    out[at + 5] = s3
    out[at + 6] = s4
    out[at + 7] = s5
  }
}

/** Set in a staged status: the client is IPv6 (statuses are below 1000). */
const STAGED_V6 = 0x8000

/**
 * In-place sort of the [address, tag] pairs lo..hi of a slot array by address (addresses are
 * distinct: each is one client). Quicksort, with heapsort for a part that recursed too deep
 * (introsort: never quadratic, whatever order the clients' hashes put them in). Exported for
 * tests; `depth` is how many more quicksort levels are allowed.
 */
export function sortPairs(
  w: Uint32Array,
  lo: number,
  hi: number,
  depth = 2 * Math.ceil(Math.log2(hi - lo + 2)),
): void {
  while (hi - lo > 16) {
    if (depth-- <= 0) {
      heapSortPairs(w, lo, hi)
      return
    }
    // Median of three as the pivot.
    const mid = (lo + hi) >>> 1
    const a = w[2 * lo]!
    const b = w[2 * mid]!
    const c = w[2 * hi]!
    const p = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b
    let i = lo
    let j = hi
    while (i <= j) {
      while (w[2 * i]! < p) i++
      while (w[2 * j]! > p) j--
      if (i <= j) {
        swapPairs(w, i, j)
        i++
        j--
      }
    }
    // Recurse into the smaller part, loop on the larger: the stack stays shallow.
    if (j - lo < hi - i) {
      sortPairs(w, lo, j, depth)
      lo = i
    } else {
      sortPairs(w, i, hi, depth)
      hi = j
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const k = w[2 * i]!
    const t = w[2 * i + 1]!
    let j = i - 1
    while (j >= lo && w[2 * j]! > k) {
      w[2 * j + 2] = w[2 * j]!
      w[2 * j + 3] = w[2 * j + 1]!
      j--
    }
    w[2 * j + 2] = k
    w[2 * j + 3] = t
  }
}

function swapPairs(w: Uint32Array, i: number, j: number): void {
  const k = w[2 * i]!
  const t = w[2 * i + 1]!
  w[2 * i] = w[2 * j]!
  w[2 * i + 1] = w[2 * j + 1]!
  w[2 * j] = k
  w[2 * j + 1] = t
}

/** Heapsort of pairs lo..hi by address (the fallback of sortPairs). */
function heapSortPairs(w: Uint32Array, lo: number, hi: number): void {
  const n = hi - lo + 1
  const siftDown = (root: number, size: number): void => {
    for (;;) {
      let child = 2 * root + 1
      if (child >= size) return
      if (child + 1 < size && w[2 * (lo + child + 1)]! > w[2 * (lo + child)]!) child++
      if (w[2 * (lo + root)]! >= w[2 * (lo + child)]!) return
      swapPairs(w, lo + root, lo + child)
      root = child
    }
  }
  for (let r = (n >> 1) - 1; r >= 0; r--) siftDown(r, n)
  for (let end = n - 1; end > 0; end--) {
    swapPairs(w, lo, lo + end)
    siftDown(0, end)
  }
}

/** Compare the IPv6 addresses stored with the counters at offsets x and y. */
function cmpAddress(cnt: Uint32Array, x: number, y: number): number {
  for (let k = F_ADDR; k < F_ADDR + 4; k++) {
    const d = cnt[x + k]! - cnt[y + k]!
    if (d !== 0) return d
  }
  return 0
}

/**
 * In-place sort of counter offsets a[lo..hi] by the IPv6 address stored with the counters (no
 * comparator callback, no copies): quicksort with heapsort past `depth` levels, like sortPairs.
 * Exported for tests.
 */
export function sortByAddress(
  a: Int32Array,
  cnt: Uint32Array,
  lo = 0,
  hi = a.length - 1,
  depth = 2 * Math.ceil(Math.log2(hi - lo + 2)),
): void {
  while (hi - lo > 16) {
    if (depth-- <= 0) {
      heapSortByAddress(a, cnt, lo, hi)
      return
    }
    const p = a[(lo + hi) >>> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (cmpAddress(cnt, a[i]!, p) < 0) i++
      while (cmpAddress(cnt, a[j]!, p) > 0) j--
      if (i <= j) {
        const t = a[i]!
        a[i++] = a[j]!
        a[j--] = t
      }
    }
    // Recurse into the smaller part, loop on the larger: the stack stays shallow.
    if (j - lo < hi - i) {
      sortByAddress(a, cnt, lo, j, depth)
      lo = i
    } else {
      sortByAddress(a, cnt, i, hi, depth)
      hi = j
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i]!
    let j = i - 1
    while (j >= lo && cmpAddress(cnt, a[j]!, v) > 0) {
      a[j + 1] = a[j]!
      j--
    }
    a[j + 1] = v
  }
}

/** Heapsort of offsets lo..hi by address (the fallback of sortByAddress). */
function heapSortByAddress(a: Int32Array, cnt: Uint32Array, lo: number, hi: number): void {
  const n = hi - lo + 1
  const siftDown = (root: number, size: number): void => {
    for (;;) {
      let child = 2 * root + 1
      if (child >= size) return
      if (child + 1 < size && cmpAddress(cnt, a[lo + child + 1]!, a[lo + child]!) > 0) child++
      if (cmpAddress(cnt, a[lo + root]!, a[lo + child]!) >= 0) return
      const t = a[lo + root]!
      a[lo + root] = a[lo + child]!
      a[lo + child] = t
      root = child
    }
  }
  for (let r = (n >> 1) - 1; r >= 0; r--) siftDown(r, n)
  for (let end = n - 1; end > 0; end--) {
    const t = a[lo]!
    a[lo] = a[lo + end]!
    a[lo + end] = t
    siftDown(0, end)
  }
}

/** Map a 32-bit hash to [0, slots) without division (Lemire's multiply-shift). */
function slotOf(hash: number, slots: number): number {
  return Math.floor((hash * slots) / 4294967296)
}

/** Most slots a table may have (2^21): a 32-bit hash times the slot count stays exact (slotOf). */
const SLOT_SPAN = 2097152
