// A table's rows packed into three typed arrays, to hand to another thread: a key range's
// clients, written to SQLite by the range writer (aggregator/range-writer.ts) while the
// coordinator counts the next range in the emptied table.
import { mergeCursors, type RowCursor } from '../aggregate/ip-table'
import { V4_KEY_BYTES, V6_KEY_BYTES } from './client-key'

/** Counts per row, in MergedRow order: pv, bytes, first, last, s2xx, s3xx, s4xx, s5xx. */
export const PACKED_COUNTS = 8

export interface PackedRows {
  count: number
  /** The rows' keys (client-key.ts) back to back: row i's is keys[keyEnds[i - 1], keyEnds[i]). */
  keys: Uint8Array
  keyEnds: Uint32Array
  /** PACKED_COUNTS numbers per row. */
  counts: Float64Array
}

/**
 * Copy every row of `rows` into packed arrays, sized for `expected` rows (grown if there are
 * more); `onPv` sees each row's requests. Into `reuse`'s buffers (whole, not only its views)
 * where they are big enough: a thread that hands rows over and gets them back allocates them
 * once.
 */
export function packRows(
  rows: RowCursor,
  expected: number,
  onPv?: (pv: number) => void,
  reuse?: PackedRows,
): PackedRows {
  const room = (b: ArrayBufferLike | undefined, bytes: number): ArrayBuffer | null =>
    b instanceof ArrayBuffer && b.byteLength >= bytes ? b : null
  const rowsAt = Math.max(1, expected)
  const keysAt = room(reuse?.keys.buffer, rowsAt * V4_KEY_BYTES)
  let keys = keysAt ? new Uint8Array(keysAt) : new Uint8Array(rowsAt * V4_KEY_BYTES)
  const endsAt = room(reuse?.keyEnds.buffer, rowsAt * 4)
  let keyEnds = endsAt ? new Uint32Array(endsAt) : new Uint32Array(rowsAt)
  const countsAt = room(reuse?.counts.buffer, rowsAt * PACKED_COUNTS * 8)
  let counts = countsAt ? new Float64Array(countsAt) : new Float64Array(rowsAt * PACKED_COUNTS)
  let end = 0
  let n = 0
  /** Row n's key in; returns where its counts go. */
  const add = (key: Buffer): number => {
    if (n === keyEnds.length) {
      const ends = new Uint32Array(2 * n)
      ends.set(keyEnds)
      keyEnds = ends
      const more = new Float64Array(2 * n * PACKED_COUNTS)
      more.set(counts)
      counts = more
    }
    if (end + key.length > keys.length) {
      const more = new Uint8Array(Math.max(2 * keys.length, end + key.length))
      more.set(keys.subarray(0, end))
      keys = more
    }
    // Byte by byte: a typed array's set() costs more than the copy of a 5- or 17-byte key.
    for (let j = 0; j < key.length; j++) keys[end + j] = key[j]!
    end += key.length
    keyEnds[n] = end
    return n++ * PACKED_COUNTS
  }
  if (rows.putCounts) {
    for (let key = rows.key; key !== null; key = rows.key) {
      const o = add(key)
      // Straight into the packed counts (an index assignment each, as into an array).
      rows.putCounts(counts as unknown as unknown[], o)
      onPv?.(counts[o]!)
      rows.next()
    }
  } else
    mergeCursors([rows], (r) => {
      const o = add(r.key) // (first: it may grow `counts`)
      counts.set([r.pv, r.bytes, r.first, r.last, r.s2xx, r.s3xx, r.s4xx, r.s5xx], o)
      onPv?.(r.pv)
    })
  // Views, not copies: whoever hands them over transfers their buffers whole (and may get them
  // back to reuse).
  return {
    count: n,
    keys: keys.subarray(0, end),
    keyEnds: keyEnds.subarray(0, n),
    counts: counts.subarray(0, n * PACKED_COUNTS),
  }
}

/** The packed rows again, as a cursor (in the order they were packed). */
export function packedCursor(p: PackedRows): RowCursor {
  // A cursor's key is valid until next(): one buffer per usual key length, rewritten.
  const k4 = Buffer.allocUnsafe(V4_KEY_BYTES)
  const k6 = Buffer.allocUnsafe(V6_KEY_BYTES)
  let i = -1
  let key: Buffer | null = null
  const next = (): void => {
    i++
    if (i >= p.count) {
      key = null
      return
    }
    const from = i === 0 ? 0 : p.keyEnds[i - 1]!
    const n = p.keyEnds[i]! - from
    key = n === V4_KEY_BYTES ? k4 : n === V6_KEY_BYTES ? k6 : Buffer.allocUnsafe(n)
    for (let j = 0; j < n; j++) key[j] = p.keys[from + j]!
  }
  next()
  const c = p.counts
  return {
    get key() {
      return key
    },
    addTo(row) {
      const o = i * PACKED_COUNTS
      row.pv += c[o]!
      row.bytes += c[o + 1]!
      if (c[o + 2]! < row.first) row.first = c[o + 2]!
      if (c[o + 3]! > row.last) row.last = c[o + 3]!
      row.s2xx += c[o + 4]!
      row.s3xx += c[o + 5]!
      row.s4xx += c[o + 6]!
      row.s5xx += c[o + 7]!
    },
    putCounts(out, at) {
      const o = i * PACKED_COUNTS
      for (let j = 0; j < PACKED_COUNTS; j++) out[at + j] = c[o + j]
    },
    next,
  }
}
