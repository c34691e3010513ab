import type { ChainClock } from '../common/clock'
import type { TipSet } from '../../../preload/contract/lotus/types'
import type { ChainApi } from './chain'

/**
 * The miner's head tracking (events.ChainAt and the WindowPoSt scheduler's ChainNotify):
 * polls ChainHead once per epoch (at least every 250 ms on very fast sites), runs callbacks
 * registered for an epoch once the head reaches it, and tells listeners about new heads and
 * about the node going away / coming back.
 */
export class ChainWatch {
  head: TipSet | null = null
  private timer: NodeJS.Timeout | null = null
  private waiting: { epoch: number; cb: () => void }[] = []
  private listeners: ((ts: TipSet) => void)[] = []
  private connected = true

  constructor(
    private chain: ChainApi,
    private clock: ChainClock,
    private onConnection: (up: boolean) => void = () => {}
  ) {}

  start(): void {
    const every = Math.max(250, this.clock.epochSeconds * 1000)
    const tick = async () => {
      try {
        const ts = await this.chain.head()
        if (!this.connected) {
          this.connected = true
          this.onConnection(true)
        }
        if (!this.head || ts.Height !== this.head.Height) {
          this.head = ts
          for (const l of this.listeners) l(ts)
          const due = this.waiting.filter((w) => w.epoch <= ts.Height)
          this.waiting = this.waiting.filter((w) => w.epoch > ts.Height)
          for (const w of due) w.cb()
        }
      } catch {
        if (this.connected) {
          this.connected = false
          this.onConnection(false)
        }
      }
      this.timer = setTimeout(() => void tick(), every)
      this.timer.unref()
    }
    void tick()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
  }

  /** Runs `cb` when the head reaches `epoch` (at once when it already has). */
  at(epoch: number, cb: () => void): void {
    if (this.head && this.head.Height >= epoch) {
      setImmediate(cb)
      return
    }
    this.waiting.push({ epoch, cb })
  }

  onHead(l: (ts: TipSet) => void): void {
    this.listeners.push(l)
  }
}
