/**
 * A one-shot deadline that can be paused: connect timeouts must not count the time an operator
 * spends reading a host-key fingerprint or typing a passphrase.
 */
export class PausableDeadline {
  private remaining: number
  private startedAt = 0
  private timer: NodeJS.Timeout | null = null
  private done = false
  private pauses = 0

  constructor(
    ms: number,
    private readonly onExpire: () => void
  ) {
    this.remaining = ms
    this.arm()
  }

  private arm(): void {
    this.startedAt = Date.now()
    this.timer = setTimeout(() => {
      this.done = true
      this.onExpire()
    }, Math.max(0, this.remaining))
    this.timer.unref()
  }

  pause(): void {
    if (this.done || this.pauses++ > 0 || !this.timer) return
    clearTimeout(this.timer)
    this.timer = null
    this.remaining -= Date.now() - this.startedAt
  }

  resume(): void {
    if (this.done || this.pauses === 0 || --this.pauses > 0) return
    this.arm()
  }

  clear(): void {
    this.done = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
