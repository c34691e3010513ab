import { MinerDeskError } from '../../../preload/contract'
import { type SectorDetail } from '../../../preload/contract/sectors'
import { minerCalls } from '../lotus/minerApi'
import type { Cid } from '../../../preload/contract/lotus/types'
import type { ServiceContext } from '../runtime/context'
import { effectiveDurations } from '../settings/store'
import { diagnose, enteredAt, lastError, logEntries } from './diagnosis'
import { sectorSizeOf } from './files'
import { jobsBySector } from './sectorJobs'
import { expectedSecFor, isStuck, stateGroup, updateTargets } from './states'
import { minerIdOf } from './topology'

/** One sector for the sector page and `minerdesk status` (status.sh --log): SectorsStatus with on-chain info, its jobs, the diagnosis. */

const cid = (c: Cid | null | undefined): string | null => (c && typeof c['/'] === 'string' ? c['/'] : null)

export async function sectorDetail(ctx: ServiceContext, siteId: string, sector: number): Promise<SectorDetail> {
  const { lotus, config } = ctx.sites.get(siteId)
  const settings = ctx.store.getSettings()
  const [status, actor, jobsRes, statsRes] = await lotus.miner.batch([
    minerCalls.sectorsStatus(sector, true),
    minerCalls.actorAddress(),
    minerCalls.workerJobs(),
    minerCalls.workerStats()
  ] as const)
  if (!status.ok) {
    if (status.error.code === 'lotus/rpc') {
      throw new MinerDeskError({ code: 'not-found', message: `sector ${sector} not found on ${siteId}`, hint: 'check the number (lotus-miner sectors list)', details: status.error.message })
    }
    throw new MinerDeskError(status.error)
  }
  if (!actor.ok) throw new MinerDeskError(actor.error)
  const info = status.value
  const log = logEntries(info.Log)
  const entered = enteredAt(info.Log)
  const expectedSec = expectedSecFor(info.State, effectiveDurations(settings, config))
  const now = Date.now()
  return {
    siteId,
    sector,
    minerId: minerIdOf(actor.value),
    takenAt: now,
    state: info.State,
    group: stateGroup(info.State),
    commD: cid(info.CommD),
    commR: cid(info.CommR),
    ticketEpoch: info.Ticket?.Epoch ?? 0,
    seedEpoch: info.Seed?.Epoch ?? 0,
    preCommitMsg: cid(info.PreCommitMsg),
    commitMsg: cid(info.CommitMsg),
    retries: info.Retries ?? 0,
    lastErr: lastError(info.LastErr ?? '', log),
    deals: info.Deals ?? [],
    sealProof: info.SealProof ?? -1,
    sectorSize: sectorSizeOf(info.SealProof ?? -1),
    onChain: {
      activation: info.Activation ?? 0,
      expiration: info.Expiration ?? 0,
      initialPledge: info.InitialPledge ?? '0',
      dealWeight: info.DealWeight ?? '0',
      verifiedDealWeight: info.VerifiedDealWeight ?? '0',
      onTime: info.OnTime ?? 0,
      early: info.Early ?? 0
    },
    log,
    enteredAt: entered,
    expectedSec,
    stuck: isStuck(entered === null ? null : (now - entered) / 1000, expectedSec, settings.stuckMultiple),
    diagnosis: diagnose({ state: info.State, lastErr: info.LastErr ?? '', retries: info.Retries ?? 0, log }),
    jobs: jobsRes.ok ? (jobsBySector(jobsRes.value, statsRes.ok ? statsRes.value : null).get(sector) ?? []) : [],
    updateTargets: updateTargets(info.State)
  }
}
