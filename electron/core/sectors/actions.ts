import { MinerDeskError, type MutationPreview, type MutationStep } from '../../../preload/contract'
import { minerCalls } from '../lotus/minerApi'
import type { CallId } from '../../../preload/contract/lotus/types'
import type { ServiceContext } from '../runtime/context'
import { apiStepText, type StepRunner } from '../runtime/ops'
import { abortableCalls, isQueued, jobsBySector } from './sectorJobs'
import { requireState, stateGroup } from './states'
import { minerIdOf } from './topology'

/**
 * The sector actions of the runbook as previews through ctx.ops: update-state (also
 * commitwait.sh / precommitwait.sh), remove.sh (abort the sector's jobs, then SectorRemove) and
 * pledge. Bulk actions carry one step per call and report a result per sector; one sector's
 * failure does not stop the others. Nothing is retried.
 */

const MAX_ERR = 300

/** SectorsStatus of each sector (one batch): its state, or a not-found error naming every missing sector. */
async function currentStates(ctx: ServiceContext, siteId: string, sectors: readonly number[]): Promise<Map<number, string>> {
  const { lotus } = ctx.sites.get(siteId)
  const unique = [...new Set(sectors)]
  const res = await lotus.miner.batch(unique.map((n) => minerCalls.sectorsStatus(n, false)))
  const states = new Map<number, string>()
  const missing: string[] = []
  res.forEach((r, i) => {
    const n = unique[i] as number
    if (r.ok) states.set(n, r.value.State)
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

/** Runs a step; a failure is recorded (audited by the runner) and returned instead of thrown. */
async function attempt(runner: StepRunner, index: number, fn: () => Promise<string | void>): Promise<string | null> {
  try {
    await runner.run(index, fn)
    return null
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERR)
  }
}

export async function previewUpdateState(ctx: ServiceContext, siteId: string, sectors: readonly number[], typed: string): Promise<MutationPreview> {
  const state = requireState(typed)
  const { config, lotus } = ctx.sites.get(siteId)
  const unique = [...new Set(sectors)]
  const states = await currentStates(ctx, siteId, unique)
  const warnings: string[] = []
  const onChain = unique.filter((n) => stateGroup(states.get(n) ?? '') === 'proving')
  if (onChain.length > 0 && stateGroup(state) !== 'proving') {
    warnings.push(`${onChain.length === 1 ? `sector ${onChain[0]} is` : `${onChain.length} sectors are`} proving on chain: moving ${onChain.length === 1 ? 'it' : 'them'} to ${state} re-runs sealing steps of a live sector`)
  }
  if (state === 'Removed') warnings.push('update-state to Removed skips Removing: the sector\'s files are NOT deleted. Use remove (remove.sh) to delete a sector.')
  if (state === 'Proving' && unique.some((n) => stateGroup(states.get(n) ?? '') !== 'proving')) warnings.push('Proving marks a sector as sealed without checking that its commit landed on chain')
  const same = unique.filter((n) => states.get(n) === state)
  if (same.length > 0) warnings.push(`${same.length === 1 ? `sector ${same[0]} is` : `${same.length} sectors are`} already in ${state}: this re-runs the state's handler`)
  const steps: MutationStep[] = unique.map((n) => ({ kind: 'api', host: config.alias, text: apiStepText('SectorsUpdate', [n, state]) }))
  return ctx.ops.preview({
    site: siteId,
    action: 'sector.update-state',
    params: unique.length === 1 ? { sector: unique[0] as number, state, from: states.get(unique[0] as number) ?? '' } : { count: unique.length, state },
    steps,
    warnings,
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
  const warnings: string[] = []
  for (const n of unique) {
    const sectorJobs = jobs.get(n) ?? []
    const aborts = abortableCalls(sectorJobs, minerId, n).map((call) => {
      const j = sectorJobs.find((x) => x.id === call.ID)
      steps.push({ kind: 'api', host: config.alias, text: apiStepText('SealingAbort', [call]) })
      warnings.push(`sector ${n}: aborts its ${j?.task ?? ''} job (${j?.state ?? ''} on ${j?.hostname || '?'}); the worker process may keep computing until it notices`)
      return { index: steps.length - 1, call, task: j?.task ?? '' }
    })
    steps.push({ kind: 'api', host: config.alias, text: apiStepText('SectorRemove', [n]) })
    plan.push({ n, aborts, remove: steps.length - 1 })
    const queued = sectorJobs.filter(isQueued)
    if (queued.length > 0) warnings.push(`sector ${n}: ${queued.length} queued task(s) (${queued.map((q) => q.task).join(', ')}) have no call to abort; Lotus drops them when the sector is removed`)
    const st = states.get(n) ?? ''
    if (stateGroup(st) === 'proving' || st === 'Faulty' || st === 'FaultReported') {
      warnings.push(`sector ${n} is ${st} — active on chain: SectorRemove deletes its data but does NOT terminate it, so WindowPoSt will fault it (penalties). lotus-miner sectors terminate is the on-chain way out.`)
    }
    if (st === 'Removed') warnings.push(`sector ${n} is already Removed`)
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
  for (const [s, c] of Object.entries(summary)) if (stateGroup(s) === 'sealing') sealing += c
  return ctx.ops.preview({
    site: siteId,
    action: 'sector.pledge',
    params: { sealing },
    steps: [{ kind: 'api', host: config.alias, text: apiStepText('PledgeSector', []) }],
    warnings: [`${sealing} sector(s) are sealing now; a pledged sector needs an AP and a PC1 slot, and a pre-commit deposit when it precommits`],
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
