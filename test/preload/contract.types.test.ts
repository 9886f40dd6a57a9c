// Pins the contract at the type level (Podman Desktop's idea): if a call, a result or an event
// changes shape, this file stops compiling (npm run typecheck) before anything drifts at run time.
import { describe, expectTypeOf, it } from 'vitest'
import type {
  AppInfo,
  CallArgs,
  CallHandlers,
  CallName,
  CallResults,
  EventName,
  EventPayloads,
  ExportResult,
  MenuCommand,
  PreloadApi,
  RawApi,
} from '../../src/shared/contract'
import type {
  AnalysisDetail,
  AnalysisSummary,
  Envelope,
  FileSelection,
  IpRow,
  JobEvent,
  PartialEvent,
  ProgressEvent,
} from '../../src/shared/types'
import type { createPreloadApi } from '../../src/preload/api'

describe('contract types', () => {
  it('the preload exposes the calls, on and pathsForFiles, nothing else', () => {
    expectTypeOf<keyof PreloadApi>().toEqualTypeOf<CallName | 'on' | 'pathsForFiles'>()
    expectTypeOf<ReturnType<typeof createPreloadApi>>().toEqualTypeOf<PreloadApi>()
    expectTypeOf<keyof PreloadApi['on']>().toEqualTypeOf<EventName>()
    expectTypeOf<PreloadApi['pathsForFiles']>().toEqualTypeOf<(files: File[]) => string[]>()
  })

  it('names every call', () => {
    expectTypeOf<CallName>().toEqualTypeOf<
      | 'getAppInfo'
      | 'listAnalyses'
      | 'getAnalysis'
      | 'queryIps'
      | 'renameAnalysis'
      | 'deleteAnalysis'
      | 'startAnalysis'
      | 'cancelAnalysis'
      | 'retryAnalysis'
      | 'registerDroppedPaths'
      | 'openFileDialog'
      | 'openSample'
      | 'exportReport'
    >()
    expectTypeOf<keyof CallResults>().toEqualTypeOf<CallName>()
    expectTypeOf<keyof CallHandlers>().toEqualTypeOf<CallName>()
  })

  it('pins each result type', () => {
    expectTypeOf<CallResults['getAppInfo']>().toEqualTypeOf<AppInfo>()
    expectTypeOf<CallResults['listAnalyses']>().toEqualTypeOf<AnalysisSummary[]>()
    expectTypeOf<CallResults['getAnalysis']>().toEqualTypeOf<AnalysisDetail>()
    expectTypeOf<CallResults['queryIps']>().toEqualTypeOf<{ rows: IpRow[]; total: number }>()
    expectTypeOf<CallResults['renameAnalysis']>().toEqualTypeOf<AnalysisSummary>()
    expectTypeOf<CallResults['deleteAnalysis']>().toEqualTypeOf<null>()
    expectTypeOf<CallResults['startAnalysis']>().toEqualTypeOf<{ analysisId: number }>()
    expectTypeOf<CallResults['cancelAnalysis']>().toEqualTypeOf<null>()
    expectTypeOf<CallResults['retryAnalysis']>().toEqualTypeOf<{
      analysisId: number
      skipped: FileSelection['skipped']
    }>()
    expectTypeOf<CallResults['registerDroppedPaths']>().toEqualTypeOf<FileSelection>()
    expectTypeOf<CallResults['openFileDialog']>().toEqualTypeOf<FileSelection | null>()
    expectTypeOf<CallResults['openSample']>().toEqualTypeOf<FileSelection>()
    expectTypeOf<CallResults['exportReport']>().toEqualTypeOf<ExportResult>()
  })

  it('calls take one argument object or none, and resolve to envelopes', () => {
    expectTypeOf<RawApi['listAnalyses']>().toEqualTypeOf<
      (args?: { search?: string }) => Promise<Envelope<AnalysisSummary[]>>
    >()
    expectTypeOf<RawApi['openFileDialog']>().toEqualTypeOf<
      () => Promise<Envelope<FileSelection | null>>
    >()
    expectTypeOf<RawApi['getAnalysis']>().parameters.toEqualTypeOf<[{ id: number }]>()
    expectTypeOf<RawApi['registerDroppedPaths']>().parameters.toEqualTypeOf<[{ paths: string[] }]>()
    expectTypeOf<CallArgs<'cancelAnalysis'>>().toEqualTypeOf<{ analysisId: number }>()
    expectTypeOf<RawApi['startAnalysis']>().returns.resolves.toEqualTypeOf<
      Envelope<{ analysisId: number }>
    >()
  })

  it('pins the event payloads', () => {
    expectTypeOf<EventName>().toEqualTypeOf<
      'progress' | 'partial' | 'job' | 'analysesChanged' | 'menu'
    >()
    expectTypeOf<EventPayloads['progress']>().toEqualTypeOf<ProgressEvent>()
    expectTypeOf<EventPayloads['partial']>().toEqualTypeOf<PartialEvent>()
    expectTypeOf<EventPayloads['job']>().toEqualTypeOf<JobEvent>()
    expectTypeOf<EventPayloads['menu']>().toEqualTypeOf<
      | { command: Exclude<MenuCommand, 'openAnalysis'> }
      | { command: 'openAnalysis'; analysisId: number }
    >()
    expectTypeOf<RawApi['on']['job']>().toEqualTypeOf<
      (listener: (payload: JobEvent) => void) => () => void
    >()
  })
})
