// The service's exportReport call: decide where the file goes (the desktop's save dialog, a
// one-time download for the browser front, or workDir), then let engine/report build and write it.
// The export reads through its own read-only connection: the per-IP CSV holds an iterator open
// for as long as it writes, and the service's connection must stay free for the dashboard.
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { CallArgs, ExportResult } from '../shared/contract'
import { createChromiumPrinter } from '../engine/report/chromium'
import {
  exportableSummary,
  exportPart,
  ReportError,
  suggestedFileName,
  writeExport,
} from '../engine/report'
import { openDatabase, type Db } from '../engine/store/db'
import { ServiceError } from './errors'
import type { ExportTarget, ServiceOptions } from './options'

// Targets attached after the service was made (`loglens serve` has its download URLs only once
// its server listens). Keyed by the service object; the latest attached wins until detached.
const attached = new WeakMap<object, ExportTarget[]>()

/** Hand a front's export target to a running service; returns a function that detaches it. */
export function attachExportTarget(service: object, target: ExportTarget): () => void {
  const list = attached.get(service) ?? []
  list.push(target)
  attached.set(service, list)
  return () => {
    const i = list.indexOf(target)
    if (i >= 0) list.splice(i, 1)
  }
}

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
  const target: ExportTarget = attached.get(deps.owner)?.at(-1) ?? opts.exportTarget ?? {}
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

    const own = opts.dbPath !== ':memory:'
    const conn = own
      ? openDatabase(opts.dbPath, {
          readonly: true,
          ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
        })
      : db
    let bytes: number
    try {
      const started = Date.now()
      bytes = (
        await writeExport(
          {
            db: conn,
            version: opts.version,
            printer: target.createPrinter ?? (() => createChromiumPrinter()),
          },
          {
            id: args.id,
            kind: args.kind,
            locale: args.locale,
            ...(args.chart ? { chart: args.chart } : {}),
          },
          path,
        )
      ).bytes
      opts.log?.(
        'info',
        `export ${args.kind} of analysis ${args.id}: ${bytes} bytes in ${Date.now() - started} ms`,
      )
    } finally {
      if (own) conn.close()
    }

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
