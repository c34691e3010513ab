import type { ChainClock } from '../common/clock'
import type { GoLogger } from '../common/golog'
import { bitfieldNumbers, METHOD, type ChainApi } from './chain'
import { BATCH_WAIT_SECONDS, TERMINATE_BATCH_WAIT_SECONDS } from './durations'

/**
 * Message batchers of the sealing pipeline (precommit_batch.go, commit_batch.go,
 * terminate_batch.go): sectors join a batch, the batch is pushed as one message after a short
 * wait, and each sector learns the message CID or the batch's error.
 */

interface Entry<T> {
  n: number
  data: T
  resolve: (cid: string) => void
  reject: (e: Error) => void
}

class Batcher<T> {
  private todo: Entry<T>[] = []
  private timer: NodeJS.Timeout | null = null
  private inflight: Promise<void> | null = null
  private stopped = false

  constructor(
    private waitMs: () => number,
    /** Sends the entries it takes; returns the message CID and the entries it left out, with why. */
    private send: (entries: Entry<T>[]) => Promise<{ cid: string | null; failed: Map<number, string> }>
  ) {}

  add(n: number, data: T): Promise<string> {
    return new Promise((resolve, reject) => {
      this.todo = this.todo.filter((e) => e.n !== n)
      this.todo.push({ n, data, resolve, reject })
      if (!this.timer && !this.stopped) {
        this.timer = setTimeout(() => void this.flush(), this.waitMs())
        this.timer.unref()
      }
    })
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const batch = this.todo
    this.todo = []
    if (batch.length === 0 || this.stopped) return Promise.resolve()
    const run = (async () => {
      try {
        const { cid, failed } = await this.send(batch)
        for (const e of batch) {
          const why = failed.get(e.n)
          if (why !== undefined) e.reject(new Error(why))
          else if (cid !== null) e.resolve(cid)
        }
      } catch (err) {
        for (const e of batch) e.reject(err as Error)
      }
    })()
    this.inflight = run.finally(() => {
      if (this.inflight === run) this.inflight = null
    })
    return this.inflight
  }

  /**
   * At shutdown: nothing more is sent; a message being sent finishes first, so the sectors in it
   * learn its CID before the miner exits (the sectors still waiting send again after a restart).
   */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.inflight?.catch(() => undefined)
  }

  pending(): number[] {
    return this.todo.map((e) => e.n)
  }
}

export interface PreCommitData {
  sealProof: number
  commR: string
  ticketEpoch: number
  expiration: number
}

const ATTO = 10n ** 18n

export class Batchers {
  readonly precommit: Batcher<PreCommitData>
  readonly commit: Batcher<null>
  readonly terminate: Batcher<null>

  async stop(): Promise<void> {
    await Promise.all([this.precommit.stop(), this.commit.stop(), this.terminate.stop()])
  }

  constructor(chain: ChainApi, clock: ChainClock, log: GoLogger) {
    this.precommit = new Batcher(
      () => clock.scaleMs(BATCH_WAIT_SECONDS),
      async (entries) => {
        const params = {
          Sectors: entries.map((e) => ({
            SealProof: e.data.sealProof,
            SectorNumber: e.n,
            SealedCID: { '/': e.data.commR },
            SealRandEpoch: e.data.ticketEpoch,
            DealIDs: null,
            Expiration: e.data.expiration,
            UnsealedCid: null
          }))
        }
        try {
          return { cid: await chain.push(METHOD.PreCommitSectorBatch2, params, '0', String((2n * ATTO * BigInt(entries.length)) / 100n)), failed: new Map() }
        } catch (err) {
          const msg = (err as Error).message
          log.warn('pipeline/precommit_batch.go:125', 'PreCommitBatcher processBatch error', { error: `pushing message to mpool: ${msg}` })
          throw new Error(msg)
        }
      }
    )
    this.commit = new Batcher(
      () => clock.scaleMs(BATCH_WAIT_SECONDS),
      async (entries) => {
        // getSectorCollateral: a sector without its precommit on chain (proven already, or
        // expired) is left out of the batch with its own error; the others go on.
        const failed = new Map<number, string>()
        for (const e of entries) {
          const pci = await chain.preCommitInfo(e.n).catch((err: unknown) => {
            failed.set(e.n, `getting precommit info: ${(err as Error).message}`)
            return undefined
          })
          if (pci === null) failed.set(e.n, 'precommit info not found on chain')
        }
        const take = entries.filter((e) => !failed.has(e.n))
        if (take.length === 0) return { cid: null, failed }
        try {
          return { cid: await chain.push(METHOD.ProveCommitAggregate, { SectorNumbers: take.map((e) => e.n) }, '0', String((3n * ATTO * BigInt(take.length)) / 100n)), failed }
        } catch (err) {
          const msg = (err as Error).message
          // Lotus simulates the batch's message before sending it (simulateMsgGas): an actor
          // error shows there, in the batch's one result; a send error is the batcher's.
          if (/estimating gas used/.test(msg)) {
            log.error('pipeline/commit_batch.go:453', `simulating CommitBatch message failed: ${msg}`)
            throw new Error(`simulating CommitBatch message failed: ${msg}`)
          }
          log.error('pipeline/commit_batch.go:233', 'CommitBatcher processBatch error', { error: `sending message failed (params size: ${entries.length * 8}, sectors: ${entries.length}, agg: true): ${msg}` })
          throw new Error(`sending message failed: ${msg}`)
        }
      }
    )
    this.terminate = new Batcher(
      () => clock.scaleMs(TERMINATE_BATCH_WAIT_SECONDS),
      async (entries) => {
        const want = new Set(entries.map((e) => e.n))
        const deadlines = await chain.deadlines()
        const terminations: { Deadline: number; Partition: number; Sectors: number[] }[] = []
        for (let dl = 0; dl < deadlines.length && want.size > 0; dl++) {
          const parts = await chain.partitions(dl)
          parts.forEach((p, pi) => {
            const hit = bitfieldNumbers(p.LiveSectors).filter((n) => want.has(n))
            if (hit.length > 0) {
              terminations.push({ Deadline: dl, Partition: pi, Sectors: hit })
              for (const n of hit) want.delete(n)
            }
          })
        }
        const cid = await chain.push(METHOD.TerminateSectors, { Terminations: terminations }, '0', String(ATTO / 2n))
        log.info('pipeline/terminate_batch.go:229', 'Sent TerminateSectors message', { cid, from: chain.maddr, terminations: terminations.length })
        return { cid, failed: new Map() }
      }
    )
  }
}
