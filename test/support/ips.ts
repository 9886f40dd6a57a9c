// Every client row of a stored analysis, page by page as the app reads them, in IP order.
import type { Db } from '../../src/engine/store/db'
import { queryIps } from '../../src/engine/store/queries'
import type { IpRow } from '../../src/shared/types'

export function allIpRows(db: Db, id: number, pageRows = 5000): IpRow[] {
  const rows: IpRow[] = []
  for (let offset = 0; ; offset += pageRows) {
    const page = queryIps(db, { id, sort: 'ip', dir: 'asc', offset, limit: pageRows }).rows
    rows.push(...page)
    if (page.length < pageRows) return rows
  }
}
