import { randomBytes } from 'node:crypto'
import type { GoLogger } from '../common/golog'
import { goLogTime } from '../common/golog'
import type { DeadlineInfo, Partition, TipSet } from '../../../preload/contract/lotus/types'
import { WPOST_CHALLENGE_WINDOW } from '../common/clock'
import { bitfieldNumbers, METHOD, type ChainApi } from './chain'
import type { ChainWatch } from './chainWatch'

/**
 * The WindowPoSt scheduler (storage/wdpost, logger `wdpost`): for every deadline, a PoSt cycle
 * starts at Challenge + 10 with Lotus's log lines; recoveries are declared for the deadline two
 * ahead; the partitions' live sectors are checked (unprovable ones are skipped) and, once the
 * deadline is open, one SubmitWindowedPoSt for its partitions is pushed and waited for.
 */

const CHALLENGE_CONFIDENCE = 10
const SUBMIT_CONFIDENCE = 4
const VANILLA = 'generating vanilla proof: '

export interface WdPostDeps {
  chain: ChainApi
  watch: ChainWatch
  log: GoLogger
  epochMs: () => number
  /** Why a sector cannot be proven now, or null when it can (CheckProvable). */
  checkProvable: (n: number) => string | null
  /** slow-windowpost: computing each proof takes longer than the challenge window (slow storage). */
  slow?: boolean
}

function subtract(a: number[], b: number[]): number[] {
  const s = new Set(b)
  return a.filter((x) => !s.has(x))
}

export class WindowPoStScheduler {
  private handled = new Set<string>()
  private running = false

  constructor(private d: WdPostDeps) {}

  start(): void {
    this.d.log.info('wdpost/wdpost_sched.go:170', 'restarting window post scheduler')
    this.d.watch.onHead((ts) => void this.onHead(ts))
  }

  /** The node went away (ChainNotify closed) or came back. */
  connection(up: boolean): void {
    if (up) this.d.log.info('wdpost/wdpost_sched.go:170', 'restarting window post scheduler')
    else this.d.log.warn('wdpost/wdpost_sched.go:176', 'window post scheduler notifs channel closed')
  }

  private async onHead(ts: TipSet): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      const di = await this.d.chain.provingDeadline()
      const key = `${di.PeriodStart}/${di.Index}`
      if (!this.handled.has(key) && ts.Height >= di.Challenge + CHALLENGE_CONFIDENCE && ts.Height < di.Close) {
        this.handled.add(key)
        void this.cycle(di, ts).catch((e: unknown) => this.d.log.error('wdpost/wdpost_run.go:101', `runPoStCycle failed: ${(e as Error).message}`))
      }
    } catch {
      // The node is away; the next head retries.
    } finally {
      this.running = false
    }
  }

  private async cycle(di: DeadlineInfo, ts: TipSet): Promise<void> {
    const start = Date.now()
    const cycle = goLogTime(new Date(start))
    const log = this.d.log
    log.info('wdpost/wdpost_run.go:261', 'starting PoSt cycle', { cycle, manual: false, ts: `[${ts.Cids.map((c) => c['/']).join(' ')}]`, deadline: di.Index })
    void this.declareRecoveries((di.Index + 2) % di.WPoStPeriodDeadlines)

    const partitions = await this.d.chain.partitions(di.Index)
    const deadlines = await this.d.chain.deadlines()
    const proven = new Set(bitfieldNumbers(deadlines[di.Index]?.PostSubmissions))
    const posts: { Index: number; Skipped: number[] }[] = []
    let skipCount = 0
    partitions.forEach((p: Partition, idx) => {
      if (proven.has(idx)) return
      const toProve = [...new Set([...subtract(bitfieldNumbers(p.LiveSectors), bitfieldNumbers(p.FaultySectors)), ...bitfieldNumbers(p.RecoveringSectors)])]
      const bad = toProve.filter((n) => {
        const why = this.d.checkProvable(n)
        if (why?.startsWith(VANILLA)) log.warn('sealer/faults.go:157', 'CheckProvable Sector FAULT: generating vanilla proof', { sector: n, err: why.slice(VANILLA.length) })
        return why !== null
      })
      log.warn('wdpost/wdpost_run.go:236', 'Checked sectors', { checked: toProve.length, good: toProve.length - bad.length })
      skipCount += bad.length
      if (toProve.length - bad.length > 0) posts.push({ Index: idx, Skipped: bad })
    })
    if (posts.length > 0) {
      const rand = randomBytes(32)
      rand[31] = (rand[31] as number) & 0x3f
      log.info('wdpost/wdpost_run.go:399', 'running window post', { cycle, 'chain-random': rand.toString('base64'), deadline: di, height: ts.Height, skipped: skipCount })
      if (this.d.slow) {
        // Reading the vanilla proofs off slow storage takes past the deadline's close (in seconds
        // of simulated time): the proof is never submitted and the partitions go faulty.
        const t0 = Date.now()
        await new Promise((r) => setTimeout(r, WPOST_CHALLENGE_WINDOW * 1.05 * this.d.epochMs()))
        // Seconds as they passed (the site's block time is scaled by its speed too).
        log.info('wdpost/wdpost_run.go:419', 'computing window post', { cycle, batch: 0, elapsed: (Date.now() - t0) / 1000, skip: skipCount, err: null })
        log.info('wdpost/wdpost_run.go:263', 'post cycle done', { cycle, took: (Date.now() - start) / 1000 })
        return
      }
      const t0 = Date.now()
      // Vanilla proofs + SNARK: a few seconds, more for more partitions.
      await new Promise((r) => setTimeout(r, Math.min(4000, 600 + 400 * posts.length)))
      log.info('wdpost/wdpost_run.go:419', 'computing window post', { cycle, batch: 0, elapsed: (Date.now() - t0) / 1000, skip: skipCount, err: null })
    }
    log.info('wdpost/wdpost_run.go:263', 'post cycle done', { cycle, took: (Date.now() - start) / 1000 })
    if (posts.length === 0) return

    // Submit once the deadline is open.
    const submitAt = di.Open + SUBMIT_CONFIDENCE
    await new Promise<void>((r) => this.d.watch.at(submitAt, r))
    const head = this.d.watch.head
    const params = { Deadline: di.Index, Partitions: posts, ChainCommitEpoch: head ? head.Height - 4 : di.Challenge }
    let cid: string
    try {
      cid = await this.d.chain.push(METHOD.SubmitWindowedPoSt, params, '0', String(5n * 10n ** 18n))
    } catch (e) {
      log.error('wdpost/wdpost_run.go:159', `submitPoStMessage failed: pushing message to mpool: ${(e as Error).message}`)
      return
    }
    log.info('wdpost/wdpost_run.go:648', `Submitted window post: ${cid} (deadline ${di.Index})`)
    const rec = await this.d.chain.waitMsg(cid, this.d.epochMs())
    if (rec.Receipt.ExitCode === 0) {
      log.info('wdpost/wdpost_run.go:658', 'Window post submission successful', { cid, deadline: di.Index, epoch: rec.Height, ts: rec.TipSet })
    } else {
      log.error('wdpost/wdpost_run.go:662', `Submitting window post ${cid} failed: exit ${rec.Receipt.ExitCode}`)
    }
  }

  private async declareRecoveries(dl: number): Promise<void> {
    const log = this.d.log
    try {
      const parts = await this.d.chain.partitions(dl)
      let faulty = 0
      const recoveries: { Deadline: number; Partition: number; Sectors: number[] }[] = []
      parts.forEach((p, idx) => {
        const unrecovered = subtract(bitfieldNumbers(p.FaultySectors), bitfieldNumbers(p.RecoveringSectors))
        if (unrecovered.length === 0) return
        faulty += unrecovered.length
        const good = unrecovered.filter((n) => this.d.checkProvable(n) === null)
        log.warn('wdpost/wdpost_run.go:236', 'Checked sectors', { checked: unrecovered.length, good: good.length })
        if (good.length > 0) recoveries.push({ Deadline: dl, Partition: idx, Sectors: good })
      })
      const total = recoveries.reduce((a, r) => a + r.Sectors.length, 0)
      if (total === 0) {
        if (faulty !== 0) log.warn('wdpost/wdpost_run_faults.go:147', 'No recoveries to declare', { deadline: dl, faulty })
        return
      }
      log.info('wdpost/wdpost_run_faults.go:153', `attempting recovery declarations for ${total} sectors`)
      const cid = await this.d.chain.push(METHOD.DeclareFaultsRecovered, { Recoveries: recoveries }, '0', String(5n * 10n ** 18n))
      log.warn('wdpost/wdpost_run_faults.go:180', 'declare faults recovered Message CID', { cid })
      const rec = await this.d.chain.waitMsg(cid, this.d.epochMs())
      if (rec.Receipt.ExitCode !== 0) log.error('wdpost/wdpost_run_faults.go:227', `checking sector recoveries: declare faults recovered wait non-0 exit code: ${rec.Receipt.ExitCode}`)
    } catch (e) {
      log.error('wdpost/wdpost_run_faults.go:206', `getting partitions: ${(e as Error).message}`)
    }
  }
}
