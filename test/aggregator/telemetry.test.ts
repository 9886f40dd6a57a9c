// The aggregator's telemetry: partial results for a dashboard. The live top clients come from a
// scan of the shared client table at most every 3 s (it reads the whole table); the partial sent
// once every line is read must show the whole log's, however recent the last scan.
import { describe, expect, it, vi } from 'vitest'
import type { ChildToParent } from '../../src/aggregator/protocol'
import { Telemetry } from '../../src/aggregator/telemetry'
import { createShared } from '../../src/aggregator/threads'
import { mix32 } from '../../src/engine/aggregate/hash'
import {
  createSharedTable,
  SharedIpTable,
  slotsFor,
} from '../../src/engine/aggregate/shared-ip-table'
import { P_LINES, P_PV } from '../../src/aggregator/worker-protocol'
import type { PartialEvent } from '../../src/shared/types'

const T0 = Date.UTC(2026, 10, 20) / 1000

/** Count `n` requests of the IPv4 client a.b.c.d. */
function count(table: SharedIpTable, ip: [number, number, number, number], n: number): void {
  const word = (ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3] | 0
  for (let i = 0; i < n; i++) table.stage4(word, mix32(word), T0 + i, 200, 100)
  table.flush()
}

describe('Telemetry partial results', () => {
  it("the one sent once every line is read shows the whole log's top clients", async () => {
    const table = new SharedIpTable(createSharedTable(slotsFor(1 << 20), 1), 0)
    const sent: PartialEvent[] = []
    const telemetry = new Telemetry({
      analysisId: 1,
      startedAt: Date.now(),
      totalBytes: 1000,
      intervalMs: 200,
      shared: createShared(1),
      threads: [],
      table,
      format: 'combined',
      partials: true,
      emit: (m: ChildToParent) => {
        if (m.type === 'partial') sent.push(m.partial)
      },
    })
    count(table, [10, 0, 0, 1], 3)
    await telemetry.partial()
    expect(sent.at(-1)!.topIps).toEqual([{ ip: '10.0.0.1', pv: 3 }])

    // Read on: a busier client. The live view keeps its last scan for up to 3 s…
    count(table, [10, 0, 0, 2], 5)
    await telemetry.partial()
    expect(sent.at(-1)!.topIps).toEqual([{ ip: '10.0.0.1', pv: 3 }])
    // …but the whole log's partial scans again.
    await telemetry.partial(true)
    expect(sent.at(-1)!.topIps).toEqual([
      { ip: '10.0.0.2', pv: 5 },
      { ip: '10.0.0.1', pv: 3 },
    ])
  })

  it('sends the first partial once lines are read, not zeros at the start', async () => {
    const table = new SharedIpTable(createSharedTable(slotsFor(1 << 16), 1), 0)
    const shared = createShared(1)
    const sent: ChildToParent['type'][] = []
    const telemetry = new Telemetry({
      analysisId: 1,
      startedAt: Date.now(),
      totalBytes: 1000,
      intervalMs: 10,
      shared,
      threads: [],
      table,
      format: 'combined',
      partials: true,
      emit: (m: ChildToParent) => sent.push(m.type),
    })
    telemetry.start()
    const count = (type: string) => sent.filter((t) => t === type).length
    try {
      // Nothing read yet: progress only.
      await vi.waitFor(() => expect(count('progress')).toBeGreaterThan(2))
      expect(count('partial')).toBe(0)
      shared.progress[P_LINES] = 10
      shared.progress[P_PV] = 10
      // At the next tick; then not again within the second.
      await vi.waitFor(() => expect(count('partial')).toBe(1))
      const ticks = count('progress')
      await vi.waitFor(() => expect(count('progress')).toBeGreaterThan(ticks + 2))
      expect(count('partial')).toBe(1)
    } finally {
      telemetry.stop()
    }
  })
})
