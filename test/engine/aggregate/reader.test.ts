import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import {
  CHUNK_BYTES,
  GZIP_CHUNK_BYTES,
  LineAssembler,
  MAX_LINE_BYTES,
  planTasks,
  readGzip,
  readRange,
  type FileTask,
  type LineSink,
  type ReadControl,
  type TaskOutcome,
} from '../../../src/engine/aggregate/reader'
import { GunzipError, GunzipReader, readGzipInPlace } from '../../../src/engine/aggregate/gunzip'
import { readGzipInWorker } from '../../../src/engine/aggregate/inflate'
import { OUT_MAIN, requireBuild } from '../../support/build'

const dir = mkdtempSync(join(tmpdir(), 'loglens-reader-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

class Recorder implements LineSink {
  got: string[] = []
  long = 0
  /** The furthest buffer offset handed over as lines. */
  maxEnd = 0
  lines(buf: Buffer, start: number, end: number): void {
    this.maxEnd = Math.max(this.maxEnd, end)
    let pos = start
    while (pos < end) {
      let nl = buf.indexOf(10, pos)
      if (nl < 0 || nl >= end) nl = end
      this.line(buf, pos, nl)
      pos = nl + 1
    }
  }
  line(buf: Buffer, start: number, end: number): void {
    this.got.push(buf.toString('latin1', start, end))
  }
  longLine(): void {
    this.long++
  }
}

const ctl = (log: number[] = []) => ({
  cancelled: () => false,
  progress: (n: number) => log.push(n),
})

function readAllRanges(
  path: string,
  size: number,
  rangeBytes: number,
): { lines: string[]; progress: number } {
  const tasks = planTasks([{ path, name: 'f', size }], () => false, rangeBytes)
  const rec = new Recorder()
  const asm = new LineAssembler(rec, 16)
  const progress: number[] = []
  for (const t of tasks) {
    const out = readRange(t, asm, ctl(progress))
    expect(out.error).toBeNull()
  }
  return { lines: rec.got, progress: progress.reduce((a, b) => a + b, 0) }
}

describe('reading plain files in ranges', () => {
  const text =
    Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`).join('\n') + '\n'
  const path = join(dir, 'plain.log')
  writeFileSync(path, text)
  const expected = text.split('\n').slice(0, -1)

  it('reads a big range CHUNK_BYTES at a time, into the whole buffer', () => {
    const big = join(dir, 'plain-big.log')
    const body = Array.from({ length: 60_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`)
    writeFileSync(big, body.join('\n') + '\n')
    const rec = new Recorder()
    const [t] = planTasks([{ path: big, name: 'big', size: statSync(big).size }], () => false)
    expect(readRange(t!, new LineAssembler(rec), ctl()).error).toBeNull()
    expect(rec.got).toEqual(body)
    expect(rec.maxEnd).toBeGreaterThan(CHUNK_BYTES - 64)
  })

  it.each([1, 7, 64, 1000, 1 << 20])(
    'every line exactly once with %i-byte ranges',
    (rangeBytes) => {
      const { lines, progress } = readAllRanges(path, text.length, rangeBytes)
      expect(lines).toEqual(expected)
      expect(progress).toBe(text.length)
    },
  )

  it.each([1, 3, 10])(
    'a range left early (retire after %i chunks) resumes at a line: every line once',
    (after) => {
      for (const rangeBytes of [700, 1 << 20]) {
        const tasks = planTasks([{ path, name: 'f', size: text.length }], () => false, rangeBytes)
        const rec = new Recorder()
        const asm = new LineAssembler(rec, 64)
        const progress: number[] = []
        let rests = 0
        for (const t of tasks) {
          let chunks = 0
          const first = readRange(t, asm, {
            ...ctl(progress),
            retire: () => ++chunks > after,
          })
          expect(first.error).toBeNull()
          if (!first.rest) continue
          rests++
          expect(first.rest.start).toBeGreaterThan(t.start)
          expect(first.rest.end).toBe(t.end)
          // The rest is read by another thread, which is not retiring.
          const second = readRange(first.rest, asm, ctl(progress))
          expect(second.error).toBeNull()
          expect(first.bytes + second.bytes).toBe(t.end - t.start)
        }
        expect(rests).toBeGreaterThan(0)
        expect(rec.got).toEqual(expected)
        expect(progress.reduce((a, b) => a + b, 0)).toBe(text.length)
      }
    },
  )

  it('keeps a last line without newline, strips a BOM, handles CRLF as part of the line', () => {
    const p = join(dir, 'bom.log')
    writeFileSync(
      p,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\r\nb\r\nlast')]),
    )
    const { lines } = readAllRanges(p, 3 + 10, 4)
    expect(lines).toEqual(['a\r', 'b\r', 'last'])
  })

  it('grows for long lines and skips lines longer than the cap, counting them once', () => {
    const p = join(dir, 'long.log')
    const long = 'y'.repeat(300_000)
    writeFileSync(p, `a\n${long}\nb\n`)
    const { lines } = readAllRanges(p, long.length + 5, 1 << 30)
    expect(lines).toEqual(['a', long, 'b'])
    const huge = Buffer.alloc(MAX_LINE_BYTES + 10, 0x7a)
    const p2 = join(dir, 'huge.log')
    writeFileSync(p2, Buffer.concat([Buffer.from('first\n'), huge, Buffer.from('\nafter\n')]))
    const rec = new Recorder()
    const asm = new LineAssembler(rec)
    const [task] = planTasks(
      [{ path: p2, name: 'huge', size: huge.length + 13 }],
      () => false,
      1 << 30,
    )
    expect(readRange(task!, asm, ctl()).error).toBeNull()
    expect(rec.got).toEqual(['first', 'after'])
    expect(rec.long).toBe(1)
  })

  it('reports a file that shrank as FILE_CHANGED', () => {
    const p = join(dir, 'shrink.log')
    writeFileSync(p, 'a\nb\n')
    const [task] = planTasks([{ path: p, name: 'shrink.log', size: 100 }], () => false)
    const out = readRange(task!, new LineAssembler(new Recorder()), ctl())
    expect(out.error?.code).toBe('FILE_CHANGED')
  })

  it('reports a missing file as NOT_FOUND', () => {
    const [task] = planTasks(
      [{ path: join(dir, 'nope.log'), name: 'nope.log', size: 10 }],
      () => false,
    )
    expect(readRange(task!, new LineAssembler(new Recorder()), ctl()).error?.code).toBe('NOT_FOUND')
  })
})

const INFLATE_WORKER = join(OUT_MAIN, 'inflate-worker.js')

// The three ways a gzip file is read: zlib's stream (the fallback), inflated in place on the
// parsing thread, and inflated by a worker thread of its own (the built script).
const gzipReaders: [
  string,
  (t: FileTask, a: LineAssembler, c: ReadControl) => Promise<TaskOutcome>,
][] = [
  ['zlib stream', readGzip],
  ['in place', readGzipInPlace],
  [
    'inflating worker',
    (t, a, c) => {
      requireBuild()
      return readGzipInWorker(t, a, c, INFLATE_WORKER)
    },
  ],
]

describe.each(gzipReaders)('reading gzip (%s)', (_, read) => {
  const task = (p: string, size: number): FileTask =>
    planTasks([{ path: p, name: p.split('/').pop()!, size }], () => true)[0]!

  it('reads every line, multi-member included, and reports the compressed bytes', async () => {
    const p = join(dir, 'a.log.gz')
    const gz = Buffer.concat([gzipSync('one\ntwo\n'), gzipSync('three\nfour')])
    writeFileSync(p, gz)
    const rec = new Recorder()
    const log: number[] = []
    const out = await read(task(p, gz.length), new LineAssembler(rec, 8), ctl(log))
    expect(out.error).toBeNull()
    expect(rec.got).toEqual(['one', 'two', 'three', 'four'])
    expect(out.bytes).toBe(gz.length)
    expect(log.reduce((a, b) => a + b, 0)).toBe(gz.length)
  })

  it('reads a file bigger than its buffers, line for line', async () => {
    // 4 MB inflated: many slots of the worker's ring, many turns of the event loop.
    const body = Array.from({ length: 200_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`)
    const p = join(dir, 'big.log.gz')
    const gz = gzipSync(body.join('\n') + '\n')
    writeFileSync(p, gz)
    const rec = new Recorder()
    const out = await read(task(p, gz.length), new LineAssembler(rec), ctl())
    expect(out.error).toBeNull()
    expect(rec.got).toEqual(body)
    // Inflated a piece of GZIP_CHUNK_BYTES at a time: the thread's buffer (CHUNK_BYTES) is
    // touched past that only by the line that carries over (the memory budget's gzip cases).
    expect(rec.maxEnd).toBeGreaterThan(GZIP_CHUNK_BYTES / 2)
    expect(rec.maxEnd).toBeLessThanOrEqual(GZIP_CHUNK_BYTES + 64)
  })

  it('counts the intact part of a truncated gzip and reports GZIP_CORRUPT', async () => {
    const body = Array.from({ length: 20000 }, (_, i) => `line ${i}`).join('\n') + '\n'
    const gz = gzipSync(body)
    const p = join(dir, 'cut.log.gz')
    writeFileSync(p, gz.subarray(0, Math.floor(gz.length / 2)))
    const rec = new Recorder()
    const out = await read(task(p, gz.length), new LineAssembler(rec), ctl())
    expect(out.error?.code).toBe('GZIP_CORRUPT')
    expect(rec.got.length).toBeGreaterThan(1000)
    expect(rec.got.length).toBeLessThan(20000)
    // Every line counted is a real line of the file, in order.
    rec.got.slice(0, -1).forEach((l, i) => expect(l).toBe(`line ${i}`))
  })

  it('counts what precedes bytes that are not gzip after a member, and reports them', async () => {
    // zlib drops the output of the write that meets the bad bytes: a first member bigger than
    // one write (256 KB) leaves lines before them to count.
    const body = Array.from({ length: 100_000 }, (_, i) => `line ${i}`).join('\n') + '\n'
    const p = join(dir, 'tail.log.gz')
    const gz = Buffer.concat([gzipSync(body), Buffer.from('not gzip')])
    writeFileSync(p, gz)
    const rec = new Recorder()
    const out = await read(task(p, gz.length), new LineAssembler(rec), ctl())
    expect(out.error?.code).toBe('GZIP_CORRUPT')
    expect(rec.got.length).toBeGreaterThan(10_000)
    rec.got.slice(0, -1).forEach((l, i) => expect(l).toBe(`line ${i}`))
  })

  it('a file that is gone gives NOT_FOUND', async () => {
    const out = await read(
      task(join(dir, 'gone.log.gz'), 10),
      new LineAssembler(new Recorder()),
      ctl(),
    )
    expect(out.error?.code).toBe('NOT_FOUND')
  })

  it('stops when cancelled', async () => {
    const body = Array.from({ length: 400_000 }, (_, i) => `line ${i}`).join('\n') + '\n'
    const p = join(dir, 'cancel.log.gz')
    const gz = gzipSync(body)
    writeFileSync(p, gz)
    const rec = new Recorder()
    const out = await read(task(p, gz.length), new LineAssembler(rec), {
      cancelled: () => rec.got.length > 1000,
      progress: () => undefined,
    })
    expect(out.error).toBeNull()
    expect(rec.got.length).toBeGreaterThan(0)
    expect(rec.got.length).toBeLessThan(400_000)
  })
})

describe('GunzipReader', () => {
  it('inflates concatenated members into a buffer of any size', () => {
    const p = join(dir, 'members.gz')
    writeFileSync(p, Buffer.concat([gzipSync('one\ntwo\n'), gzipSync('three\nfour')]))
    const r = new GunzipReader(p, 5)
    const out = Buffer.alloc(3)
    let text = ''
    for (let n = r.read(out); n > 0; n = r.read(out)) text += out.toString('latin1', 0, n)
    r.close()
    expect(text).toBe('one\ntwo\nthree\nfour')
  })

  it('throws GunzipError for data that is not gzip, after nothing', () => {
    const p = join(dir, 'plain.gz')
    writeFileSync(p, 'just text\n')
    const r = new GunzipReader(p)
    expect(() => r.read(Buffer.alloc(64))).toThrow(GunzipError)
    // Its zlib context is closed: further reads end quietly instead of touching it.
    expect(r.read(Buffer.alloc(64))).toBe(0)
    r.close()
  })
})
