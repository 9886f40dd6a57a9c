// A worker thread that builds one export: queries, jsdom + recharts for the HTML, the CSV of
// every client streamed from SQLite. It keeps that work off the thread that hosts the service
// (Electron's main thread must never block). PDF and PNG pages are printed by the parent (the
// desktop app's hidden window, or Chromium): the worker sends the HTML and gets the bytes back.
import { parentPort, workerData } from 'node:worker_threads'
import { writeExport, type ExportRequest } from '../engine/report'
import type { ReportPrinter } from '../engine/report/printer'
import { openDatabase } from '../engine/store/db'
import { errorInfoOf } from './errors'

export interface ExportJob {
  dbPath: string
  nativeBinding?: string
  version: string
  req: ExportRequest
  outPath: string
}

export type FromExportWorker =
  | { type: 'print'; id: number; op: 'pdf' | 'png'; html: string; width: number }
  | { type: 'done'; bytes: number }
  | { type: 'error'; info: ReturnType<typeof errorInfoOf> }

export type ToExportWorker = { type: 'printed'; id: number; bytes?: Uint8Array; error?: string }

const port = parentPort!
const job = workerData as ExportJob
const pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>()
let nextId = 1
port.on('message', (m: ToExportWorker) => {
  const p = pending.get(m.id)
  if (!p) return
  pending.delete(m.id)
  if (m.bytes) p.resolve(m.bytes)
  else p.reject(new Error(m.error ?? 'printing failed'))
})

function ask(op: 'pdf' | 'png', html: string, width = 0): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { resolve, reject })
    port.postMessage({ type: 'print', id, op, html, width } satisfies FromExportWorker)
  })
}

const printer: ReportPrinter = {
  pdf: (html) => ask('pdf', html),
  png: (html, width) => ask('png', html, width),
  close: async () => undefined,
}

async function main(): Promise<void> {
  const db = openDatabase(job.dbPath, {
    readonly: true,
    ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
  })
  try {
    const out = await writeExport(
      { db, version: job.version, printer: async () => printer },
      job.req,
      job.outPath,
    )
    port.postMessage({ type: 'done', bytes: out.bytes } satisfies FromExportWorker)
  } finally {
    db.close()
  }
}

main().catch((e: unknown) => {
  const info =
    e && typeof e === 'object' && 'info' in e
      ? (e as { info: ReturnType<typeof errorInfoOf> }).info
      : errorInfoOf(e)
  port.postMessage({ type: 'error', info } satisfies FromExportWorker)
})
