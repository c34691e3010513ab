import { findingsOfSector, MinerDeskError, type Finding, type ProvingSnapshot, type SiteSnapshot } from '../../../preload/contract'
import { type SectorDetail, type SectorFault } from '../../../preload/contract/sectors'
import type { Cid, Partition } from '../../../preload/contract/lotus/types'
import { sectorGroup, SECTOR_STATES } from '../../../preload/contract/lotus/states'
import { evaluate } from '../health/evaluate'
import { DEFAULT_THRESHOLDS } from '../health/facts'
import { digestSector, lastErrorText, lotusNext, type SectorDigest } from '../health/sectorLog'
import { sectorTimings, stageTiming } from '../health/stages'
import { checkTarget, safeTargets } from '../health/updateTargets'
import { nextDue } from '../health/kinds/sectorsFaulty'
import { ranges } from '../lotus/bitfield'
import { fullCalls } from '../lotus/fullApi'
import { minerCalls } from '../lotus/minerApi'
import type { ServiceContext } from '../runtime/context'
import { effectiveDurations } from '../settings/store'
import { sectorSizeOf } from './files'
import { jobsBySector } from './sectorJobs'
import { logEntries } from './sectorLog'
import { allTargets } from './states'
import { minerIdOf } from './topology'

/**
 * One sector for the sector page and `minerdesk status` (status.sh --log): SectorsStatus with
 * on-chain info, its jobs, whether the chain counts it faulty, and its diagnosis — the site's
 * findings that concern it, judged by the same health model as the Overview with this fresh status.
 */

const cid = (c: Cid | null | undefined): string | null => (c && typeof c['/'] === 'string' ? c['/'] : null)

function isSet(bf: readonly number[], n: number): boolean {
  return ranges([...bf]).some(([a, b]) => n >= a && n < b)
}

/** Faulty or recovering on chain: StateSectorPartition, then that deadline's partitions. */
async function chainFault(ctx: ServiceContext, siteId: string, actor: string, sector: number, proving: ProvingSnapshot | null, blockDelay: number): Promise<SectorFault | null> {
  const { lotus } = ctx.sites.get(siteId)
  const [loc] = await lotus.full.batch([fullCalls.stateSectorPartition(actor, sector)] as const)
  if (!loc.ok || !loc.value) return null
  const [parts] = await lotus.full.batch([fullCalls.stateMinerPartitions(actor, loc.value.Deadline)] as const)
  if (!parts.ok) return null
  const p: Partition | undefined = parts.value[loc.value.Partition]
  if (!p) return null
  const status = isSet(p.FaultySectors, sector) ? 'faulty' : isSet(p.RecoveringSectors, sector) ? 'recovering' : null
  if (!status) return null
  const row = proving?.deadlines[loc.value.Deadline]
  return { status, deadline: loc.value.Deadline, partition: loc.value.Partition, dueAt: proving && row ? nextDue(proving, row, blockDelay) : null }
}

/** The site's findings about this sector, with its fresh digest in place of the poller's. */
function judge(ctx: ServiceContext, siteId: string, snap: SiteSnapshot, d: SectorDigest, now: number): Finding[] {
  const { config, poller } = ctx.sites.get(siteId)
  const settings = ctx.store.getSettings()
  const mem = poller.healthMemory
  const sectors = new Map(Object.values(mem.sectors).map((x) => [x.n, x]))
  if (d.state !== 'Proving' && d.state !== 'Available' && d.state !== 'Removed') sectors.set(d.n, d)
  const durations = effectiveDurations(settings, config)
  const blockDelay = snap.daemon.blockDelay || 30
  const { findings: prev, ...base } = snap
  const all = evaluate(
    {
      siteId,
      now,
      snapshot: base,
      sectors,
      receipts: new Map(Object.entries(mem.receipts)),
      jobFirstSeen: mem.jobFirstSeen,
      timings: sectorTimings(sectors, snap.jobs?.list ?? [], now, { durations, blockDelay }, settings.stuckMultiple),
      ...ctx.health.extras(siteId),
      durations,
      blockDelay,
      factor: settings.stuckMultiple,
      thresholds: DEFAULT_THRESHOLDS
    },
    prev
  )
  return findingsOfSector(all, d.n)
}

export async function sectorDetail(ctx: ServiceContext, siteId: string, sector: number): Promise<SectorDetail> {
  const { lotus, config, poller } = ctx.sites.get(siteId)
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
  // The same findings as the Overview: from the site's latest poll (one now when there is none yet).
  const snap = poller.snapshot ?? (await poller.refresh().catch(() => null))
  const now = Date.now()
  const d = digestSector(info, now)
  const blockDelay = snap?.daemon.blockDelay || 30
  const timing = stageTiming(info.State, d.enteredAt, now, { durations: effectiveDurations(settings, config), blockDelay }, settings.stuckMultiple)
  const fault = await chainFault(ctx, siteId, actor.value, sector, snap?.proving ?? null, blockDelay).catch(() => null)
  const findings = snap ? judge(ctx, siteId, snap, d, now) : []
  const suggested = safeTargets(d)
  return {
    siteId,
    sector,
    minerId: minerIdOf(actor.value),
    takenAt: now,
    state: info.State,
    group: sectorGroup(info.State),
    commD: cid(info.CommD),
    commR: cid(info.CommR),
    ticketEpoch: info.Ticket?.Epoch ?? 0,
    seedEpoch: info.Seed?.Epoch ?? 0,
    preCommitMsg: cid(info.PreCommitMsg),
    commitMsg: cid(info.CommitMsg),
    retries: info.Retries ?? 0,
    lastErr: lastErrorText(d),
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
    log: logEntries(info.Log),
    enteredAt: d.enteredAt,
    timing,
    fault,
    diagnosis: { findings, next: lotusNext(d), clean: findings.length === 0 && fault === null },
    jobs: jobsRes.ok ? (jobsBySector(jobsRes.value, statsRes.ok ? statsRes.value : null).get(sector) ?? []) : [],
    updateTargets: { suggested, all: allTargets(), refused: SECTOR_STATES.filter((s) => !suggested.includes(s)).map((s) => checkTarget(d, s)).filter((c) => !c.ok) }
  }
}
