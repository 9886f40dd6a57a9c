// Export targets attached after the service was made (`loglens serve` has its download URLs only
// once its server listens). Kept apart from export.ts so attaching one does not load the report
// engine (jsdom, React, recharts) at start-up.
import type { ExportTarget } from './options'

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

/** The latest target attached to `service`, if any. */
export function attachedTarget(service: object): ExportTarget | undefined {
  return attached.get(service)?.at(-1)
}
