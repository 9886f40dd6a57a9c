// A thread reads each file of a job as that file's format (FileParsers): the WebAssembly fast
// path switches its preset shape with the file, so it never takes a line the file's own format
// rejects.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FileTask } from '../../../src/engine/aggregate/reader'
import { ThreadRunner } from '../../../src/engine/aggregate/runner'
import { SharedIpTable, createSharedTable } from '../../../src/engine/aggregate/shared-ip-table'
import { presetParser } from '../../../src/engine/parser/presets'

const dir = mkdtempSync(join(tmpdir(), 'loglens-runner-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const combined = (i: number): string =>
  `192.0.2.${i} - - [10/Oct/2023:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /p${i} HTTP/1.1" 200 ${i} "-" "ua"`

function file(name: string, lines: string[]): FileTask {
  const path = join(dir, name)
  writeFileSync(path, lines.join('\n') + '\n')
  const size = statSync(path).size
  return { kind: 'range', fileIndex: 0, path, name, start: 0, end: size, expectedSize: size }
}

describe('ThreadRunner', () => {
  it('reads each file as its own format, on the WebAssembly path as on the JavaScript one', async () => {
    // The first file's format reads plain combined lines and ones with extra fields; the
    // second file's, combined, takes only the former: its one line with an extra field is invalid.
    const extra = { ...file('a.log', [combined(1) + ' 0.25', combined(2)]), fileIndex: 0 }
    const plain = {
      ...file('b.log', [combined(3), combined(4) + ' 0.25', combined(5), combined(6)]),
      fileIndex: 1,
    }
    const table: SharedIpTable = new SharedIpTable(createSharedTable(4096, 1), 0, () =>
      table.clear(),
    )
    const runner = new ThreadRunner(
      { parsers: [presetParser('combined_extra'), presetParser('combined')], ofFile: [0, 1] },
      table,
      () => undefined,
    )
    const ctl = { cancelled: () => false, progress: () => undefined }
    for (const task of [extra, plain, extra]) expect((await runner.run(task, ctl)).error).toBeNull()
    const c = runner.acc.counts()
    expect(c.lines).toBe(8)
    expect(c.pv).toBe(7)
    expect(c.invalid).toBe(1)
    expect(c.bodyBytes).toBe(2 * (1 + 2) + 3 + 5 + 6)
  })

  it("counts every line in the job's time zone when it is given, whatever zone the thread reads", async () => {
    // A thread whose first lines are +0800 in a job whose first file is -0400 (another thread
    // read that one): its buckets and its zone are the job's, so the threads' results agree.
    const east = file(
      'east.log',
      [1, 2, 3].map((i) => combined(i).replace('+0000', '+0800')),
    )
    const run = async (offsetMin?: number) => {
      const table: SharedIpTable = new SharedIpTable(createSharedTable(4096, 1), 0, () =>
        table.clear(),
      )
      const runner = new ThreadRunner(
        { parsers: [presetParser('combined')], ofFile: [0], offsetMin },
        table,
        () => undefined,
      )
      await runner.run(east, { cancelled: () => false, progress: () => undefined })
      return runner.acc.finish()
    }
    const given = await run(-240)
    expect(given.counters.tzOffsetMin).toBe(-240)
    expect(given.series.offsetSec).toBe(-240 * 60)
    // Without one, the thread's own first line's.
    const own = await run()
    expect(own.counters.tzOffsetMin).toBe(480)
    expect(own.series.offsetSec).toBe(480 * 60)
  })
})
