import { E } from './events'
import type { HandlerDeps, HandlerKit } from './handlers'
import type { Handler } from './sealing'

/**
 * How a sector ends (storage/pipeline/states_failed.go, fsm_events.go): termination through the
 * terminate batcher, the wait for its message and for finality, removal of its files, and the
 * fault states.
 */

/** WinningPoStSectorSetLookback (TerminateFinality). */
const WINNING_POST_LOOKBACK = 10

export function endHandlers(d: HandlerDeps, k: HandlerKit): Record<string, Handler> {
  const { epochMs, msg, sleep, cooldown, precommitOnChain } = k

  const terminating: Handler = async ({ rec, send }) => {
    let si
    try {
      si = await d.chain.sectorInfo(rec.n)
    } catch (e) {
      return send(E.terminateFailed(`getting sector info: ${msg(e)}`))
    }
    if (!si) {
      if (precommitOnChain(rec)) return send(E.terminateFailed('sector was precommitted but not proven, remove instead of terminating'))
      return send(E.remove())
    }
    try {
      const cid = await d.batchers.terminate.add(rec.n, null)
      send(E.terminating(cid))
    } catch (e) {
      send(E.terminateFailed(`queueing termination: ${msg(e)}`))
    }
  }

  const terminateWait: Handler = async ({ rec, send }) => {
    if (!rec.terminateMsg) {
      const head = await d.chain.head()
      return send(E.terminated(head.Height))
    }
    const mw = await d.chain.waitMsg(rec.terminateMsg, epochMs())
    if (mw.Receipt.ExitCode !== 0) return send(E.terminateFailed(`terminate message failed to execute: exit ${mw.Receipt.ExitCode}: <nil>`))
    send(E.terminated(mw.Height))
  }

  const terminateFinality: Handler = async ({ rec, send }) => {
    for (;;) {
      const head = await d.chain.head()
      if (head.Height >= rec.terminatedAt + WINNING_POST_LOOKBACK) return send(E.remove())
      await sleep((rec.terminatedAt + WINNING_POST_LOOKBACK - head.Height) * epochMs())
    }
  }

  const terminateFailed: Handler = async ({ rec, send }) => {
    if (precommitOnChain(rec)) return
    await cooldown(rec)
    send(E.terminate())
  }

  const removing: Handler = async ({ rec, send }) => {
    try {
      d.manager.removeSector(rec)
    } catch (e) {
      return send(E.removeFailed(msg(e)))
    }
    send(E.removed())
  }

  const removeFailed: Handler = async ({ rec, send }) => {
    await cooldown(rec)
    send(E.remove())
  }

  const faultReported: Handler = async ({ rec }) => {
    if (!rec.faultReportMsg) throw new Error('entered fault reported state without a FaultReportMsg cid')
  }

  return {
    Terminating: terminating,
    TerminateWait: terminateWait,
    TerminateFinality: terminateFinality,
    TerminateFailed: terminateFailed,
    Removing: removing,
    RemoveFailed: removeFailed,
    FaultReported: faultReported
  }
}
