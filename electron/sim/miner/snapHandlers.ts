import { bitfieldNumbers } from './chain'
import { E } from './events'
import type { HandlerDeps, HandlerKit } from './handlers'
import type { Handler } from './sealing'
import type { SectorRecord } from './sectorTypes'

/**
 * The snap-deal states (storage/pipeline/states_replica_update.go) for the sim's CC sectors, which
 * carry no deals: they abort, fail or wait exactly where Lotus's handlers do.
 */

export function snapHandlers(d: HandlerDeps, k: HandlerKit): Record<string, Handler> {
  const { epochMs, msg, sleep, cooldown } = k

  const checkReplicaUpdate = (rec: SectorRecord): string | null => (rec.ccUpdate ? null : 'replica update on sector not marked for update')

  const replicaUpdateFailed: Handler = async ({ rec }) => {
    await cooldown(rec)
    const err = checkReplicaUpdate(rec)
    if (err) {
      d.log.error('pipeline/states_failed.go:263', `sanity check error, not proceeding: +${err}`)
      throw new Error(`checkReplica sanity check error: ${err}`)
    }
  }

  const waitMutable: Handler = async ({ rec, send }) => {
    const loc = await locateSector(rec.n)
    if (!loc) {
      d.log.error('pipeline/states_replica_update.go:235', `handleWaitMutable: api error, not proceeding: sector ${rec.n} not found in any partition`)
      return
    }
    for (;;) {
      const di = await d.chain.provingDeadline()
      if (loc !== di.Index && loc !== (di.Index + 1) % di.WPoStPeriodDeadlines) return send(E.deadlineMutable())
      await sleep(epochMs() * 10)
    }
  }

  async function locateSector(n: number): Promise<number | null> {
    const dls = await d.chain.deadlines()
    for (let dl = 0; dl < dls.length; dl++) {
      const parts = await d.chain.partitions(dl)
      if (parts.some((p) => bitfieldNumbers(p.AllSectors).includes(n))) return dl
    }
    return null
  }

  /** Snap-deal states for a CC sector: abort where Lotus aborts, fail where Lotus's handler fails. */
  const noDeals: Handler = async ({ send }) => send(E.abortUpgrade('sector had no deals'))

  const abortUpgrade: Handler = async ({ rec }) => {
    if (!rec.ccUpdate) throw new Error('should never reach AbortUpgrade as a non-CCUpdate sector')
  }

  const snapDealsExpired: Handler = async ({ rec }) => {
    if (!rec.ccUpdate) throw new Error('should never reach SnapDealsDealsExpired as a non-CCUpdate sector')
  }

  const proveReplicaUpdate: Handler = async ({ rec }) => {
    throw new Error(`invalid sector ${rec.n} with nil UpdateSealed or UpdateUnsealed output`)
  }

  const submitReplicaUpdate: Handler = async ({ rec, send }) => {
    if (checkReplicaUpdate(rec)) return send(E.submitReplicaUpdateFailed())
  }

  const replicaUpdateWait: Handler = async ({ send }) => {
    d.log.error('pipeline/states_replica_update.go:293', 'handleReplicaUpdateWait: no replica update message cid recorded')
    send(E.submitReplicaUpdateFailed())
  }

  const finalizeReplicaUpdate: Handler = async ({ rec, send }) => {
    // Lotus schedules FinalizeReplicaUpdate where the update cache is: no worker has one, so the
    // request waits in the scheduler queue (until the sector's jobs are aborted).
    try {
      await d.manager.waitForever(rec, 'seal/v0/finalize/replicaupdate')
    } catch (e) {
      send(E.finalizeFailed(`finalize sector: ${msg(e)}`))
    }
  }

  const updateActivating: Handler = async () => {
    throw new Error('nil sector.ReplicaUpdateMessage!')
  }

  const releaseSectorKey: Handler = async ({ send }) => send(E.keyReleased())

  const releaseSectorKeyFailed: Handler = async ({ rec, send }) => {
    await cooldown(rec)
    send(E.updateActive())
  }

  const snapRecoverDealIDs: Handler = async ({ send }) => send(E.updateDealIDs())

  return {
    UpdateReplica: noDeals,
    ProveReplicaUpdate: proveReplicaUpdate,
    SubmitReplicaUpdate: submitReplicaUpdate,
    WaitMutable: waitMutable,
    ReplicaUpdateWait: replicaUpdateWait,
    FinalizeReplicaUpdate: finalizeReplicaUpdate,
    UpdateActivating: updateActivating,
    ReleaseSectorKey: releaseSectorKey,
    SnapDealsDealsExpired: snapDealsExpired,
    SnapDealsRecoverDealIDs: snapRecoverDealIDs,
    ReplicaUpdateFailed: replicaUpdateFailed,
    ReleaseSectorKeyFailed: releaseSectorKeyFailed,
    AbortUpgrade: abortUpgrade
  }
}
