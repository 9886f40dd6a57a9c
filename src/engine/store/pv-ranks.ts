// The requests of the n-th busiest client, counted while the final rows are written, so that the
// top-N index's threshold (migrations.ts, ipTopIndex) needs no sort of the table afterwards
// (SQLite's `ORDER BY pv DESC LIMIT 1 OFFSET n - 1` took ~50 ms for 500k clients).

/** Requests below this are counted per value; busier clients are kept one by one. */
const SMALL = 4096

export class PvRanks {
  private readonly small = new Uint32Array(SMALL)
  /** Requests of each client with SMALL or more: at most (all requests) / SMALL of them. */
  private readonly big: number[] = []

  add(pv: number): void {
    if (pv < SMALL) this.small[pv]!++
    else this.big.push(pv)
  }

  /** The requests of the n-th busiest client (n ≥ 1); 0 when fewer than n were added. */
  nth(n: number): number {
    if (this.big.length >= n) return [...this.big].sort((a, b) => b - a)[n - 1]!
    let left = n - this.big.length
    for (let pv = SMALL - 1; pv >= 0; pv--) {
      left -= this.small[pv]!
      if (left <= 0) return pv
    }
    return 0
  }
}
