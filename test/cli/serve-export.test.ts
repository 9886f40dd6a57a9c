// `loglens serve`: an export made through the browser bridge comes back as a one-time,
// token-protected download URL (the server hands offerDownload to the service).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/cli/serve'
import { AnalysisService, dispatchCall, nodeLauncher } from '../../src/service'
import type { ExportResult } from '../../src/shared/contract'
import type { Envelope } from '../../src/shared/types'
import { AGGREGATOR_ENTRY, ROOT, requireBuild } from '../support/build'
import { analyseHostileLog, CHROMIUM, readPng, type AnalyzeJson } from '../engine/report/fixtures'

const dir = mkdtempSync(join(tmpdir(), 'loglens-serve-export-'))
let run: AnalyzeJson
let service: AnalysisService
let server: RunningServer

beforeAll(async () => {
  requireBuild()
  const db = join(dir, 's.db')
  run = analyseHostileLog(dir, db)
  service = new AnalysisService({
    dbPath: db,
    aggregatorEntry: AGGREGATOR_ENTRY,
    launcher: nodeLauncher,
    samplePath: join(dir, 'none.log'),
    workDir: join(dir, 'work'),
    front: 'browser',
    version: 't',
  })
  server = await startServer({ service, rendererDir: join(ROOT, 'out', 'renderer') })
}, 120_000)

afterAll(async () => {
  await server?.close()
  await service?.close()
  rmSync(dir, { recursive: true, force: true })
})

const exportVia = (args: Record<string, unknown>) =>
  dispatchCall(service.handlers, 'exportReport', [args]) as Promise<Envelope<ExportResult>>

const origin = () => `http://127.0.0.1:${server.port}`

describe('serve: exports as downloads', () => {
  it('returns a one-time download URL under the token', async () => {
    const r = await exportVia({ id: run.analysisId, kind: 'json', locale: 'en' })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.path).toBeNull()
    expect(r.value.downloadUrl).toMatch(new RegExp(`^/t/${server.token}/download/[\\w-]+$`))
    const res = await fetch(origin() + r.value.downloadUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent(r.value.fileName)}`,
    )
    const body = Buffer.from(await res.arrayBuffer())
    expect(body.length).toBe(r.value.bytes)
    expect(JSON.parse(body.toString('utf8'))._by).toBe('程序员晚枫')
    expect((await fetch(origin() + r.value.downloadUrl)).status).toBe(404)
  })

  it('PNG through Chromium, downloaded', async () => {
    process.env.LOGLENS_CHROMIUM ??= CHROMIUM
    const r = await exportVia({
      id: run.analysisId,
      kind: 'png',
      locale: 'zh-CN',
      chart: 'traffic',
    })
    expect(r.ok, JSON.stringify(r)).toBe(true)
    if (!r.ok) return
    const res = await fetch(origin() + r.value.downloadUrl!)
    const img = readPng(Buffer.from(await res.arrayBuffer()))
    expect(img.width).toBe(1920)
  })

  it('a second server on the same service: its own downloads until it closes', async () => {
    const other = await startServer({ service, rendererDir: join(ROOT, 'out', 'renderer') })
    const mine = await exportVia({ id: run.analysisId, kind: 'csv', locale: 'en', chart: 'paths' })
    expect(mine.ok && mine.value.downloadUrl).toContain(`/t/${other.token}/`)
    await other.close()
    const back = await exportVia({ id: run.analysisId, kind: 'csv', locale: 'en', chart: 'paths' })
    expect(back.ok && back.value.downloadUrl).toContain(`/t/${server.token}/`)
  })
})
