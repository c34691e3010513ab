import { E } from './events'
import type { HandlerDeps, HandlerKit } from './handlers'
import type { Handler } from './sealing'

/**
 * The failure states' handlers (storage/pipeline/states_failed.go) but CommitFailed: each waits
 * Lotus's failedCooldown (MinRetryTime after the last log entry, divided by the site speed), then
 * retries where Lotus retries or gives up where Lotus gives up.
 */

export function failedHandlers(d: HandlerDeps, k: HandlerKit): Record<string, Handler> {
  const { msg, cooldown, precommitOnChain, ticketExpired } = k

  const addPieceFailed: Handler = async ({ send }) => send(E.retryWaitDeals())

  const sealPreCommit1Failed: Handler = async ({ rec, send }) => {
    if (rec.pc1Fails > 3) return send(E.remove())
    await cooldown(rec)
    send(E.retrySealPreCommit1())
  }

  const sealPreCommit2Failed: Handler = async ({ rec, send }) => {
    await cooldown(rec)
    send(rec.pc2Fails > 3 ? E.retrySealPreCommit1() : E.retrySealPreCommit2())
  }

  const preCommitFailed: Handler = async ({ rec, send }) => {
    const head = await d.chain.head()
    if (rec.precommitMsg) {
      let mw
      try {
        mw = await d.chain.searchMsg(rec.precommitMsg)
      } catch {
        await cooldown(rec)
        return send(E.retryPreCommitWait())
      }
      if (!mw) return send(E.retryPreCommitWait())
      if (mw.Receipt.ExitCode === 0) return send(E.retryPreCommitWait())
      if (mw.Receipt.ExitCode === 7) return send(E.retryPreCommit())
    }
    const expired = ticketExpired(rec, head.Height)
    if (expired) return send(E.sealPreCommit1Failed(`ticket expired error: ${expired}`))
    if (precommitOnChain(rec)) {
      if (!rec.precommitMsg) {
        d.log.warn('pipeline/states_failed.go:160', `sector ${rec.n} is precommitted on chain, but we don't have precommit message`)
        return send(E.preCommitLanded(head.Cids.map((c) => c['/'])))
      }
      await cooldown(rec)
      return send(E.retryWaitSeed())
    }
    if (rec.precommitMsg) d.log.warn('pipeline/states_failed.go:181', 'retrying precommit even though the message failed to apply')
    await cooldown(rec)
    send(E.retryPreCommit())
  }

  const computeProofFailed: Handler = async ({ rec, send }) => {
    await cooldown(rec)
    send(rec.invalidProofs > 1 ? E.sealPreCommit1Failed('consecutive compute fails') : E.retryComputeProof())
  }

  const remoteCommitFailed: Handler = async ({ rec, send }) => {
    await cooldown(rec)
    if (rec.invalidProofs > 1) d.log.error('pipeline/states_failed.go:208', 'consecutive remote commit fails', { sector: rec.n, c1url: '', c2url: '' })
    send(E.retryComputeProof())
  }

  const finalizeFailed: Handler = async ({ rec, send }) => {
    await cooldown(rec)
    send(E.retryFinalize())
  }

  const dealsExpired: Handler = async ({ rec, send }) => {
    const si = await d.chain.sectorInfo(rec.n).catch((e: unknown) => {
      throw new Error(`getting sector info: ${msg(e)}`)
    })
    if (si) throw new Error("sector is committed on-chain, but we're in DealsExpired")
    send(E.remove())
  }

  const recoverDealIDs: Handler = async ({ send }) => send(E.updateDealIDs())

  return {
    AddPieceFailed: addPieceFailed,
    SealPreCommit1Failed: sealPreCommit1Failed,
    SealPreCommit2Failed: sealPreCommit2Failed,
    PreCommitFailed: preCommitFailed,
    ComputeProofFailed: computeProofFailed,
    RemoteCommitFailed: remoteCommitFailed,
    CommitFinalizeFailed: finalizeFailed,
    FinalizeFailed: finalizeFailed,
    DealsExpired: dealsExpired,
    RecoverDealIDs: recoverDealIDs,
    SnapDealsAddPieceFailed: addPieceFailed,
    FinalizeReplicaUpdateFailed: finalizeFailed
  }
}
