import { App } from 'antd'
import { useCallback, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { previewRemove, previewUpdateState } from '@renderer/pages/site/sectors/sectorsStore'
import type { FindingAction } from '@contract'
import { useOpDialog } from '@renderer/ops/useOpDialog'
import { navigate } from '@renderer/stores/navigation'
import { previewAbort, previewKillWorkers, previewRunWorker, previewUnmarkBad, startProvingCheck, syncCheckBad } from '@renderer/stores/siteops'
import { readSiteLogs } from './calls'

/**
 * What a finding's remedy button does: a change opens its preview (confirmed and audited like
 * every action), a read runs directly, a place opens the page that shows it. The same actions the
 * CLI prints as `minerdesk …` commands under each remedy.
 */
export function useFindingActions(siteId: string): { run: (a: FindingAction) => void; busy: string | null; element: ReactNode } {
  const { t } = useTranslation()
  const { message, modal } = App.useApp()
  const ops = useOpDialog(siteId)
  const [busy, setBusy] = useState<string | null>(null)

  const call = useCallback(
    async (key: string, fn: () => Promise<void>) => {
      setBusy(key)
      try {
        await fn()
      } catch (err) {
        void message.error(asMinerDeskError(err).message)
      } finally {
        setBusy(null)
      }
    },
    [message]
  )

  const run = useCallback(
    (a: FindingAction) => {
      switch (a.kind) {
        case 'abort':
          return ops.open({ title: t('siteops.action.job.abort'), make: () => previewAbort(siteId, { job: a.job }) })
        case 'update-state':
          return ops.open({ title: `${t('sectors.action.updateState')} ${a.state}`, make: () => previewUpdateState(siteId, a.sectors, a.state) })
        case 'remove':
          return ops.open({ title: t('sectors.action.remove'), make: () => previewRemove(siteId, a.sectors) })
        case 'runworker':
          return ops.open({ title: t(a.start === 'worker' ? 'siteops.action.workers.start' : 'siteops.action.workers.start-c2'), make: () => previewRunWorker(siteId, { kind: a.start }) })
        case 'killw':
          return ops.open({ title: t('siteops.action.workers.kill'), make: () => previewKillWorkers(siteId, a.flag) })
        case 'sync-unmark-bad':
          return ops.open({ title: t('findingsPanel.action.sync-unmark-bad'), make: () => previewUnmarkBad(siteId, a.cid) })
        case 'sync-check-bad':
          return void call('sync-check-bad', async () => {
            const r = await syncCheckBad(siteId, a.cid)
            modal.info({ title: `lotus sync check-bad ${a.cid}`, width: 640, content: <div className="md-mono md-wrap" data-testid="check-bad-reason">{r.reason || t('findingsPanel.notMarkedBad')}</div> })
          })
        case 'proving-check':
          return void call('proving-check', async () => {
            await startProvingCheck(siteId, a.deadline)
            navigate({ page: 'site', siteId, tab: 'proving' })
          })
        case 'read-logs':
          return void call('read-logs', async () => {
            const r = await readSiteLogs(siteId)
            void message.success(t('findingsPanel.logsRead', { files: r.sources.filter((s) => !s.error).length, events: r.events }))
          })
        case 'status':
          return navigate({ page: 'site', siteId, tab: 'sectors', sector: a.sector })
        case 'wps':
        case 'mpool-replace':
          return navigate({ page: 'site', siteId, tab: a.kind === 'wps' ? 'workers' : 'chain' })
        case 'restart':
          return navigate({ page: 'site', siteId, tab: 'restart' })
      }
    },
    [call, modal, message, ops, siteId, t]
  )

  return { run, busy, element: ops.element }
}
