// One page of the IP table, straight from SQLite through queryIps. Search is debounced and
// answers that arrive out of order are dropped.
import { useEffect, useRef, useState } from 'react'
import type { IpRow, IpSortKey } from '../../../shared/types'
import { useServices } from '../context'

export interface IpQuery {
  search: string
  sort: IpSortKey
  dir: 'asc' | 'desc'
  page: number
  pageSize: number
}

export type IpPage =
  | { status: 'loading'; rows: IpRow[]; total: number }
  | { status: 'ready'; rows: IpRow[]; total: number }
  | { status: 'error'; rows: IpRow[]; total: number; error: unknown }

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return v
}

export function useIpQuery(id: number, q: IpQuery, enabled: boolean, reloadKey: number): IpPage {
  const { api } = useServices()
  const [page, setPage] = useState<IpPage>({ status: 'loading', rows: [], total: 0 })
  const seq = useRef(0)
  const search = q.search.trim()

  useEffect(() => {
    if (!enabled) return
    const mine = ++seq.current
    api
      .queryIps({
        id,
        ...(search ? { search } : {}),
        sort: q.sort,
        dir: q.dir,
        offset: q.page * q.pageSize,
        limit: q.pageSize,
      })
      .then(
        (r) => mine === seq.current && setPage({ status: 'ready', rows: r.rows, total: r.total }),
        (error: unknown) =>
          mine === seq.current &&
          setPage((p) => ({ status: 'error', rows: p.rows, total: p.total, error })),
      )
  }, [api, id, search, q.sort, q.dir, q.page, q.pageSize, enabled, reloadKey])

  return page
}
