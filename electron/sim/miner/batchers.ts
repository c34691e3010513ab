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

  constructor(
    private waitMs: () => number,
    private send: (entries: Entry<T>[]) => Promise<string>
  ) {}

  add(n: number, data: T): Promise<string> {
    return new Promise((resolve, reject) => {
      this.todo = this.todo.filter((e) => e.n !== n)
      this.todo.push({ n, data, resolve, reject })
      if (!this.timer) {
        this.timer = setTimeout(() => void this.flush(), this.waitMs())
        this.timer.unref()
      }
    })
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const batch = this.todo
    this.todo = []
    if (batch.length === 0) return
    try {
      const cid = await this.send(batch)
      for (const e of batch) e.resolve(cid)
    } catch (err) {
      for (const e of batch) e.reject(err as Error)
    }
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
          return await chain.push(METHOD.PreCommitSectorBatch2, params, '0', String((2n * ATTO * BigInt(entries.length)) / 100n))
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
        try {
          return await chain.push(METHOD.ProveCommitAggregate, { SectorNumbers: entries.map((e) => e.n) }, '0', String((3n * ATTO * BigInt(entries.length)) / 100n))
        } catch (err) {
          const msg = (err as Error).message
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
        return cid
      }
    )
  }
}
