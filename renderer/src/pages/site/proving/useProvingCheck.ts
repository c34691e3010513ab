import { useCallback, useEffect, useRef, useState } from 'react'
import { asMinerDeskError, getApi } from '@renderer/api'
import type { ErrorInfo, ProvingCheckRow, ProvingCheckState } from '@contract'

/**
 * The site's latest `proving check --slow`: loaded when the tab opens (a check started earlier,
 * or by another window, is found again), then kept up to date from `siteops:provingCheck`
 * events, whose new rows are appended (events come at most every 200 ms).
 */
export interface ProvingCheckView {
  check: Omit<ProvingCheckState, 'rows'> | null
  rows: readonly ProvingCheckRow[]
  error: ErrorInfo | null
  starting: boolean
  start(deadline: number): Promise<void>
  cancel(): Promise<void>
}

export function useProvingCheck(siteId: string): ProvingCheckView {
  const [state, setState] = useState<{ check: Omit<ProvingCheckState, 'rows'> | null; rows: readonly ProvingCheckRow[] }>({ check: null, rows: [] })
  const [error, setError] = useState<ErrorInfo | null>(null)
  const [starting, setStarting] = useState(false)
  const current = useRef<string | null>(null)

  const adopt = useCallback((s: ProvingCheckState) => {
    const { rows, ...check } = s
    current.current = s.id
    setState({ check, rows })
  }, [])

  useEffect(() => {
    let live = true
    const api = getApi()
    const off = api.events.onSiteopsProvingCheck((u) => {
      if (u.siteId !== siteId || u.id !== current.current) return
      const { newRows, ...check } = u
      setState((prev) => ({ check, rows: newRows.length > 0 ? prev.rows.concat(newRows) : prev.rows }))
    })
    api.siteops.provingChecks(siteId).then(
      (list) => {
        if (live && list[0] && current.current === null) adopt(list[0])
      },
      () => undefined
    )
    return () => {
      live = false
      off()
    }
  }, [siteId, adopt])

  const start = useCallback(
    async (deadline: number) => {
      setStarting(true)
      setError(null)
      try {
        const s = await getApi().siteops.provingCheckStart(siteId, deadline)
        adopt(s)
        // Rows (or the end) may have come before this call answered: read the state once more.
        const { rows: againRows, ...againCheck } = await getApi().siteops.provingCheckGet(s.id)
        const newer = (prev: { check: Omit<ProvingCheckState, 'rows'> | null; rows: readonly ProvingCheckRow[] }) =>
          againRows.length > prev.rows.length || (prev.check?.status === 'running' && againCheck.status !== 'running')
        if (current.current === s.id) setState((prev) => (newer(prev) ? { check: againCheck, rows: againRows } : prev))
      } catch (err) {
        setError(asMinerDeskError(err).toInfo())
      } finally {
        setStarting(false)
      }
    },
    [siteId, adopt]
  )

  const cancel = useCallback(async () => {
    if (!current.current) return
    try {
      await getApi().siteops.provingCheckCancel(current.current)
    } catch (err) {
      setError(asMinerDeskError(err).toInfo())
    }
  }, [])

  return { check: state.check, rows: state.rows, error, starting, start, cancel }
}
