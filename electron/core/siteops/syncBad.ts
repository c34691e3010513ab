import { MinerDeskError, type MutationPreview, type OpWarning } from '../../../preload/contract'
import { fullCalls } from '../lotus/fullApi'
import { apiStepText } from '../runtime/ops'
import type { ServiceContext } from '../runtime/context'

/**
 * `lotus sync check-bad <cid>` (SyncCheckBad, read: the reason the node marked a block bad, ''
 * when it did not) and `lotus sync unmark-bad <cid>` / `--all` (SyncUnmarkBad /
 * SyncUnmarkAllBad, admin), the operator's remedy for a sync worker stuck on a block marked bad
 * (cli/sync.go). Unmarking lets the node validate that chain again: it is a preview like every change.
 */

export async function syncCheckBad(ctx: ServiceContext, siteId: string, cid: string): Promise<{ cid: string; reason: string }> {
  const { lotus } = ctx.sites.get(siteId)
  const [r] = await lotus.full.batch([fullCalls.syncCheckBad({ '/': cid })] as const)
  if (!r.ok) throw new MinerDeskError(r.error)
  return { cid, reason: r.value }
}

export async function previewUnmarkBad(ctx: ServiceContext, siteId: string, cid: string | null): Promise<MutationPreview> {
  const { config, lotus } = ctx.sites.get(siteId)
  const call = cid === null ? fullCalls.syncUnmarkAllBad() : fullCalls.syncUnmarkBad({ '/': cid })
  const warnings: OpWarning[] = []
  if (cid !== null) {
    const { reason } = await syncCheckBad(ctx, siteId, cid)
    warnings.push(
      reason
        ? { key: 'markedBadBecause', params: { reason: reason.slice(0, 300) }, text: `Lotus marked it bad because: ${reason.slice(0, 300)}` }
        : { key: 'notMarkedBad', params: { cid, site: siteId }, text: `${cid} is not marked bad on ${siteId}: unmarking changes nothing` }
    )
  } else warnings.push({ key: 'unmarkAllBad', params: {}, text: 'drops the whole bad-block cache: every block Lotus refused is validated again when a chain brings it' })
  return ctx.ops.preview({
    site: siteId,
    action: 'sync.unmark-bad',
    params: cid === null ? { all: 1 } : { cid },
    steps: [{ kind: 'api', host: config.alias, text: apiStepText(call.method, call.params) }],
    warnings,
    execute: async (s) => {
      await s.run(0, async () => {
        await lotus.full.batch([call] as const).then(([r]) => {
          if (!r.ok) throw new MinerDeskError(r.error)
        })
        return cid === null ? 'bad-block cache dropped' : `${cid} unmarked`
      })
      s.data({ unmarked: cid ?? 'all' })
    }
  })
}
