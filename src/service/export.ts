// The service's exportReport call: decide where the file goes (the desktop's save dialog, a
// one-time download for the browser front, or workDir), then let engine/report build and write it.
// The export reads through its own read-only connection: the per-IP CSV holds an iterator open
// for as long as it writes, and the service's connection must stay free for the dashboard.
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { CallArgs, ExportResult } from '../shared/contract'
import { createChromiumPrinter } from '../engine/report/chromium'
import { exportableSummary, exportPart, ReportError, suggestedFileName } from '../engine/report'
import type { Db } from '../engine/store/db'
import type { ReportPrinter } from '../engine/report/printer'
import type { ExportJob, FromExportWorker, ToExportWorker } from './export-worker'
import { ServiceError } from './errors'
import type { ExportTarget, ServiceOptions } from './options'
import { attachedTarget } from './export-targets'

export interface ExportDeps {
  /** The service itself (to find an attached target). */
  owner: object
  db: Db
  opts: ServiceOptions
}

function asServiceError(e: unknown): ServiceError {
  if (e instanceof ServiceError) return e
  if (e instanceof ReportError) return ServiceError.from(e.info)
  return new ServiceError(
    'EXPORT_FAILED',
    `The report could not be exported: ${(e as Error)?.message ?? String(e)}`,
  )
}

export async function exportReport(
  deps: ExportDeps,
  args: CallArgs<'exportReport'>,
): Promise<ExportResult> {
  const { db, opts } = deps
  const target: ExportTarget = attachedTarget(deps.owner) ?? opts.exportTarget ?? {}
  try {
    exportPart(args.kind, args.chart)
    const summary = exportableSummary(db, args.id)
    const fileName = suggestedFileName(summary, args.kind, args.chart)

    let path: string
    if (target.chooseSavePath) {
      const chosen = await target.chooseSavePath(fileName, args.kind)
      if (!chosen) return { path: null, fileName, bytes: 0 }
      path = chosen
    } else {
      const dir = target.offerDownload
        ? join(opts.workDir, 'exports', randomUUID())
        : join(opts.workDir, 'exports')
      await mkdir(dir, { recursive: true })
      path = join(dir, fileName)
    }

    const started = Date.now()
    const bytes = await buildInWorker(opts, target, {
      dbPath: opts.dbPath,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      version: opts.version,
      req: {
        id: args.id,
        kind: args.kind,
        locale: args.locale,
        ...(args.chart ? { chart: args.chart } : {}),
      },
      outPath: path,
    })
    opts.log?.(
      'info',
      `export ${args.kind} of analysis ${args.id}: ${bytes} bytes in ${Date.now() - started} ms`,
    )

    const name = path.split(/[\\/]/).pop() ?? fileName
    if (target.offerDownload && !target.chooseSavePath)
      return { path: null, downloadUrl: target.offerDownload(path, name), fileName: name, bytes }
    return { path, fileName: name, bytes }
  } catch (e) {
    const err = asServiceError(e)
    if (err.info.code === 'EXPORT_FAILED' || err.info.code === 'INTERNAL')
      opts.log?.('warn', `export failed: ${err.info.message}`)
    throw err
  }
}

/**
 * Build and write the export in a worker thread (src/service/export-worker.ts): the queries, the
 * HTML (jsdom + recharts) and a CSV of millions of rows never run on the thread hosting the
 * service. The worker asks this thread to print PDF and PNG pages.
 */
function buildInWorker(
  opts: ServiceOptions,
  target: ExportTarget,
  job: ExportJob,
): Promise<number> {
  const entry = opts.exportWorkerEntry ?? join(dirname(opts.aggregatorEntry), 'export-worker.js')
  const worker = new Worker(entry, { workerData: job })
  let printer: Promise<ReportPrinter> | null = null
  const getPrinter = (): Promise<ReportPrinter> =>
    (printer ??= (target.createPrinter ?? (() => createChromiumPrinter()))())
  return new Promise<number>((resolve, reject) => {
    let settled = false
    const finish = (e: unknown, bytes = 0): void => {
      if (settled) return
      settled = true
      void worker.terminate()
      // The desktop's printer is shared and stays open; Chromium is closed after each export.
      if (printer && !target.createPrinter)
        void printer.then((p) => p.close()).catch(() => undefined)
      if (e) reject(e)
      else resolve(bytes)
    }
    worker.on('message', (m: FromExportWorker) => {
      if (m.type === 'done') finish(null, m.bytes)
      else if (m.type === 'error') finish(ServiceError.from(m.info))
      else if (m.type === 'print') {
        getPrinter()
          .then((p) => (m.op === 'pdf' ? p.pdf(m.html) : p.png(m.html, m.width)))
          .then(
            (bytes) =>
              worker.postMessage({ type: 'printed', id: m.id, bytes } satisfies ToExportWorker),
            (e: unknown) => {
              if (e instanceof ReportError) return finish(ServiceError.from(e.info))
              worker.postMessage({
                type: 'printed',
                id: m.id,
                error: (e as Error)?.message ?? String(e),
              } satisfies ToExportWorker)
            },
          )
      }
    })
    worker.on('error', (e) => finish(e))
    worker.on('exit', (code) => finish(new Error(`the export stopped (exit code ${code})`)))
  })
}
