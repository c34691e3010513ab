/**
 * At most `max` channels open at once on one SSH connection (stock sshd allows 10 sessions;
 * MinerDesk keeps below that). Waiters are served in order; a release is idempotent.
 */
export class ChannelQueue {
  private active = 0
  private peakActive = 0
  private readonly waiters: Array<{ grant: () => void; fail: (err: unknown) => void }> = []
  private failure: unknown = null

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxChannels must be a positive integer, not ${max}`)
  }

  get stats(): { active: number; waiting: number; peak: number } {
    return { active: this.active, waiting: this.waiters.length, peak: this.peakActive }
  }

  /** Resolves with a release function once a channel may be opened. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.failure !== null) return Promise.reject(this.failure)
    if (signal?.aborted) return Promise.reject(signal.reason)
    const makeRelease = (): (() => void) => {
      let released = false
      return () => {
        if (released) return
        released = true
        this.active--
        this.pump()
      }
    }
    if (this.active < this.max) {
      this.take()
      return Promise.resolve(makeRelease())
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort)
          this.take()
          resolve(makeRelease())
        },
        fail: (err: unknown) => {
          signal?.removeEventListener('abort', onAbort)
          reject(err)
        }
      }
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter)
        if (i >= 0) this.waiters.splice(i, 1)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
    })
  }

  /** The connection is gone: every waiter (and every later acquire) fails with `err`. */
  failAll(err: unknown): void {
    this.failure = err
    for (const w of this.waiters.splice(0)) w.fail(err)
  }

  private take(): void {
    this.active++
    if (this.active > this.peakActive) this.peakActive = this.active
  }

  private pump(): void {
    while (this.active < this.max && this.waiters.length > 0 && this.failure === null) this.waiters.shift()?.grant()
  }
}
