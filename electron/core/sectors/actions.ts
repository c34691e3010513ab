import { MinerDeskError, type MutationPreview, type MutationStep, type OpWarning, type TargetRefusal, type UpdateTargetCheck } from '../../../preload/contract'
import type { UpdateOverride } from '../../../preload/contract/sectors'
import { minerCalls } from '../lotus/minerApi'
import type { CallId, SectorInfo } from '../../../preload/contract/lotus/types'
import { digestSector } from '../health/sectorLog'
import { checkTarget, safeTargets } from '../health/updateTargets'
import type { ServiceContext } from '../runtime/context'
import { apiStepText, type StepRunner } from '../runtime/ops'
import { abortableCalls, isQueued, jobsBySector } from './sectorJobs'
import { requireState } from './states'
import { sectorGroup } from '../../../preload/contract/lotus/states'
import { minerIdOf } from './topology'

/**
 * The sector actions of the runbook as previews through ctx.ops: update-state (also
 * commitwait.sh / precommitwait.sh), remove.sh (abort the sector's jobs, then SectorRemove) and
 * pledge. Bulk actions carry one step per call and report a result per sector; one sector's
 * failure does not stop the others. Nothing is retried.
 */

const MAX_ERR = 300

/** SectorsStatus of each sector (one batch), or a not-found error naming every missing sector. */
async function currentStatuses(ctx: ServiceContext, siteId: string, sectors: readonly number[]): Promise<Map<number, SectorInfo>> {
  const { lotus } = ctx.sites.get(siteId)
  const unique = [...new Set(sectors)]
  const res = await lotus.miner.batch(unique.map((n) => minerCalls.sectorsStatus(n, false)))
  const states = new Map<number, SectorInfo>()
  const missing: string[] = []
  res.forEach((r, i) => {
    const n = unique[i] as number
    if (r.ok) states.set(n, r.value)
    else if (r.error.code === 'lotus/rpc') missing.push(`${n} (${r.error.message.slice(0, 120)})`)
    else throw new MinerDeskError(r.error)
  })
  if (missing.length > 0) {
    throw new MinerDeskError({
      code: 'not-found',
      message: `${missing.length === 1 ? 'sector' : 'sectors'} not found on ${siteId}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`,
      hint: 'check the sector numbers (lotus-miner sectors list)'
    })
  }
  return states
}

/** Each sector's state (SectorsStatus, one batch). */
async function currentStates(ctx: ServiceContext, siteId: string, sectors: readonly number[]): Promise<Map<number, string>> {
  return new Map([...(await currentStatuses(ctx, siteId, sectors))].map(([n, info]) => [n, info.State]))
}

/** What Lotus's handler does with a refused target, for the operator's preview and error. */
const REFUSAL_TEXT: Record<TargetRefusal, string> = {
  'not-a-transition': "Lotus's own handlers never move a sector from this state there",
  'no-commit-message': 'the sector has no commit message: Lotus fails it at once ("entered commit wait with no commit cid")',
  'no-precommit-message': 'the sector has no precommit message: Lotus fails it at once ("precommit message was nil")',
  'no-commr': 'the sector has no CommR/CommD: Lotus fails it ("sector had nil commR or commD")',
  'no-seed': 'the sector has no seed yet: the proof would be computed against no interactive randomness',
  'no-proof': 'the sector has no proof to submit',
  'not-committed': 'the sector has no commit message: finalizing drops the cache C1/C2 still need',
  'already-committed': 'the sector has a commit message: re-sealing it redoes a sector that may be on chain',
  'not-on-chain': 'the sector is not proving on chain',
  'use-remove': 'use remove (remove.sh): it aborts the sector\'s jobs and deletes its files'
}

function refusalLine(n: number, from: string, c: UpdateTargetCheck): string {
  return `sector ${n} (${from}) → ${c.state}: ${c.reasons.map((r) => REFUSAL_TEXT[r]).join('; ')}`
}

/** Runs a step; a failure is recorded (audited by the runner) and returned instead of thrown. */
async function attempt(runner: StepRunner, index: number, fn: () => Promise<string | void>): Promise<string | null> {
  try {
    await runner.run(index, fn)
    return null
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERR)
  }
}

export async function previewUpdateState(ctx: ServiceContext, siteId: string, sectors: readonly number[], typed: string, override?: UpdateOverride): Promise<MutationPreview> {
  const state = requireState(typed)
  const { config, lotus } = ctx.sites.get(siteId)
  const unique = [...new Set(sectors)]
  const statuses = await currentStatuses(ctx, siteId, unique)
  const states = new Map([...statuses].map(([n, info]) => [n, info.State]))
  // Safety first (health/updateTargets.ts): a target Lotus's handlers cannot take is refused
  // before anything is sent, unless the operator explicitly overrides (the audit log says so).
  const now = Date.now()
  const refused = unique.flatMap((n) => {
    const d = digestSector(statuses.get(n)!, now)
    const c = checkTarget(d, state)
    return c.ok ? [] : [{ n, from: d.state, check: c, safe: safeTargets(d) }]
  })
  if (refused.length > 0 && !override) {
    const first = refused[0]!
    throw new MinerDeskError({
      code: 'mutation/refused',
      message: `update-state to ${state} refused before anything was sent: ${refused.slice(0, 5).map((r) => refusalLine(r.n, r.from, r.check)).join('; ')}${refused.length > 5 ? ` (and ${refused.length - 5} more)` : ''}`,
      hint: first.safe.length > 0 ? `targets Lotus can take from here: ${first.safe.join(', ')}` : 'no update-state target is safe for this sector: read its log, or remove it',
      params: { state, sectors: refused.map((r) => r.n).slice(0, 20).join(','), reasons: [...new Set(refused.flatMap((r) => r.check.reasons))].join(',') }
    })
  }
  const warnings: OpWarning[] = []
  for (const r of refused) {
    warnings.push({ key: 'updateOverride', params: { sector: r.n, from: r.from, state }, text: `OVERRIDE: ${refusalLine(r.n, r.from, r.check)}` })
    for (const reason of r.check.reasons) warnings.push({ key: `sectors.refusal.${reason}`, params: { state }, text: REFUSAL_TEXT[reason] })
  }
  // One sector is named (`…Sector`), several are counted (`…Sectors`).
  const which = (key: string, list: number[]): { key: string } & Record<string, string | number> => (list.length === 1 ? { key: `${key}Sector`, sector: list[0] as number } : { key: `${key}Sectors`, count: list.length })
  const onChain = unique.filter((n) => sectorGroup(states.get(n) ?? '') === 'proving')
  if (onChain.length > 0 && sectorGroup(state) !== 'proving') {
    const { key, ...n } = which('updateLive', onChain)
    warnings.push({ key, params: { ...n, state }, text: `${onChain.length === 1 ? `sector ${onChain[0]} is` : `${onChain.length} sectors are`} proving on chain: moving ${onChain.length === 1 ? 'it' : 'them'} to ${state} re-runs sealing steps of a live sector` })
  }
  if (state === 'Removed') warnings.push({ key: 'updateToRemoved', params: {}, text: 'update-state to Removed skips Removing: the sector\'s files are NOT deleted. Use remove (remove.sh) to delete a sector.' })
  if (state === 'Proving' && unique.some((n) => sectorGroup(states.get(n) ?? '') !== 'proving')) warnings.push({ key: 'updateToProving', params: {}, text: 'Proving marks a sector as sealed without checking that its commit landed on chain' })
  const same = unique.filter((n) => states.get(n) === state)
  if (same.length > 0) {
    const { key, ...n } = which('updateSame', same)
    warnings.push({ key, params: { ...n, state }, text: `${same.length === 1 ? `sector ${same[0]} is` : `${same.length} sectors are`} already in ${state}: this re-runs the state's handler` })
  }
  const steps: MutationStep[] = unique.map((n) => ({ kind: 'api', host: config.alias, text: apiStepText('SectorsUpdate', [n, state]) }))
  return ctx.ops.preview({
    site: siteId,
    action: 'sector.update-state',
    params: {
      ...(unique.length === 1 ? { sector: unique[0] as number, state, from: states.get(unique[0] as number) ?? '' } : { count: unique.length, state }),
      ...(refused.length > 0 ? { override: refused.map((r) => r.n).join(',') } : {})
    },
    steps,
    warnings,
    ...(refused.length > 0 ? { auditDetail: `override: sent although refused as unsafe (${refused.map((r) => `${r.n}: ${r.check.reasons.join('+')}`).join(', ').slice(0, 500)})` } : {}),
    execute: async (runner) => {
      const results: Record<string, string> = {}
      for (const [i, n] of unique.entries()) {
        const err = await attempt(runner, i, async () => {
          await lotus.miner.sectorsUpdate(n, state)
          return `${n}: ${states.get(n)} → ${state}`
        })
        results[String(n)] = err === null ? 'ok' : `error: ${err}`
      }
      runner.data(results)
    }
  })
}

export async function previewRemove(ctx: ServiceContext, siteId: string, sectors: readonly number[]): Promise<MutationPreview> {
  const { config, lotus } = ctx.sites.get(siteId)
  const unique = [...new Set(sectors)]
  const states = await currentStates(ctx, siteId, unique)
  const [actor, jobsRes, statsRes] = await lotus.miner.batch([minerCalls.actorAddress(), minerCalls.workerJobs(), minerCalls.workerStats()] as const)
  if (!actor.ok) throw new MinerDeskError(actor.error)
  if (!jobsRes.ok) throw new MinerDeskError(jobsRes.error)
  const minerId = minerIdOf(actor.value)
  const jobs = jobsBySector(jobsRes.value, statsRes.ok ? statsRes.value : null)

  const steps: MutationStep[] = []
  const plan: { n: number; aborts: { index: number; call: CallId; task: string }[]; remove: number }[] = []
  const warnings: OpWarning[] = []
  for (const n of unique) {
    const sectorJobs = jobs.get(n) ?? []
    const aborts = abortableCalls(sectorJobs, minerId, n).map((call) => {
      const j = sectorJobs.find((x) => x.id === call.ID)
      steps.push({ kind: 'api', host: config.alias, text: apiStepText('SealingAbort', [call]) })
      warnings.push({ key: 'removeAbortsJob', params: { sector: n, task: j?.task ?? '', state: j?.state ?? '', host: j?.hostname || '?' }, text: `sector ${n}: aborts its ${j?.task ?? ''} job (${j?.state ?? ''} on ${j?.hostname || '?'}); the worker process may keep computing until it notices` })
      return { index: steps.length - 1, call, task: j?.task ?? '' }
    })
    steps.push({ kind: 'api', host: config.alias, text: apiStepText('SectorRemove', [n]) })
    plan.push({ n, aborts, remove: steps.length - 1 })
    const queued = sectorJobs.filter(isQueued)
    if (queued.length > 0) warnings.push({ key: 'removeQueued', params: { sector: n, count: queued.length, tasks: queued.map((q) => q.task).join(', ') }, text: `sector ${n}: ${queued.length} queued task(s) (${queued.map((q) => q.task).join(', ')}) have no call to abort; Lotus drops them when the sector is removed` })
    const st = states.get(n) ?? ''
    if (sectorGroup(st) === 'proving' || st === 'Faulty' || st === 'FaultReported') {
      warnings.push({ key: 'removeLiveSector', params: { sector: n, state: st }, text: `sector ${n} is ${st} — active on chain: SectorRemove deletes its data but does NOT terminate it, so WindowPoSt will fault it (penalties). lotus-miner sectors terminate is the on-chain way out.` })
    }
    if (st === 'Removed') warnings.push({ key: 'removeAlreadyRemoved', params: { sector: n }, text: `sector ${n} is already Removed` })
  }
  return ctx.ops.preview({
    site: siteId,
    action: 'sector.remove',
    params: unique.length === 1 ? { sector: unique[0] as number, state: states.get(unique[0] as number) ?? '' } : { count: unique.length },
    steps,
    warnings,
    // remove.sh deletes a sector for good: the operator types the sector number (or, for many, how many).
    typeToConfirm: unique.length === 1 ? String(unique[0]) : String(unique.length),
    execute: async (runner) => {
      const results: Record<string, string> = {}
      for (const p of plan) {
        const abortErrors: string[] = []
        for (const a of p.aborts) {
          const err = await attempt(runner, a.index, async () => {
            await lotus.miner.sealingAbort(a.call)
            return `aborted ${a.task} ${a.call.ID}`
          })
          if (err !== null) abortErrors.push(`abort ${a.task}: ${err}`)
        }
        const err = await attempt(runner, p.remove, async () => {
          await lotus.miner.sectorRemove(p.n)
          return `sector ${p.n}: SectorRemove sent (Removing → Removed)`
        })
        results[String(p.n)] = err === null ? (abortErrors.length ? `removed; ${abortErrors.join('; ')}` : 'removed') : `error: ${err}`
      }
      runner.data(results)
    }
  })
}

export async function previewPledge(ctx: ServiceContext, siteId: string): Promise<MutationPreview> {
  const { config, lotus } = ctx.sites.get(siteId)
  const summary = await lotus.miner.sectorsSummary()
  let sealing = 0
  // A state this MinerDesk does not know (a newer Lotus) is counted as sealing: the pledge preview never undercounts.
  for (const [s, c] of Object.entries(summary)) if (sectorGroup(s) === 'sealing' || sectorGroup(s) === 'other') sealing += c
  return ctx.ops.preview({
    site: siteId,
    action: 'sector.pledge',
    params: { sealing },
    steps: [{ kind: 'api', host: config.alias, text: apiStepText('PledgeSector', []) }],
    warnings: [{ key: 'pledgeCost', params: { count: sealing }, text: `${sealing} sector(s) are sealing now; a pledged sector needs an AP and a PC1 slot, and a pre-commit deposit when it precommits` }],
    execute: async (runner) => {
      let number = -1
      await runner.run(0, async () => {
        const id = await lotus.miner.pledgeSector()
        number = id.Number
        return `Created CC sector:  ${id.Number}`
      })
      runner.data({ sector: number })
    }
  })
}
