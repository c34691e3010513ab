import { expect, test, type Page } from '@playwright/test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_START_COMMANDS } from '../../preload/contract/settings'
import { SettingsStore } from '../../electron/core/settings/store'
import { findSiteProcs } from '../../electron/sim/front/procs'
import { pagesFor } from '../support/e2e/test'
import { lotusProcs, startedCount } from '../support/e2e/restartChecks'
import { startRealHost, type RealHost } from '../support/e2e/realHost'
import { RestartPage, type RestartStep } from './pages'
import type { RestartRun } from '../../preload/contract/restart'

/**
 * The browser host killed (SIGKILL) during a restart started in the window (in each kind of step, below), and
 * started again on the same MINERDESK_HOME: the Restart tab shows the run where it was; resuming
 * re-reads the site, and the restart finishes without any command sent twice.
 */

/** The browser host process of this home, found in /proc (its cmdline names web.cjs, its environment the home). */
function hostPid(home: string): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8')
      if (!cmd.includes('out/node/web.cjs')) continue
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0')
      if (env.includes(`MINERDESK_HOME=${home}`)) return Number(name)
    } catch {
      // gone
    }
  }
  throw new Error(`no browser host process for ${home}`)
}

/**
 * How each step is caught in the middle, deterministically: a frozen process (kill -STOP) keeps a
 * stop command or the pre-check waiting, a slow start script keeps the daemon's start command
 * running, a frozen worker keeps the post-check waiting for it.
 */
interface Catch {
  /** Before "run the rest" (after the pre-check); precheck: before the start. */
  before?: (host: RealHost) => Promise<void>
  /** The window shows the step in the middle. */
  reached: (w: RestartPage) => Promise<void>
  /** After the kill: let the frozen process go on. */
  after?: (host: RealHost) => Promise<void>
  /** Caught from the run as saved in MINERDESK_HOME instead (steps too short to catch on the screen). */
  saved?: (run: RestartRun) => boolean
  /** Frozen once `reached`, before waiting for `saved`. */
  freeze?: 'daemon' | 'miner'
}

function pidOf(host: RealHost, role: 'daemon' | 'miner' | 'worker'): number {
  const dir = host.sim!.site('site-1').siteDir
  const p = findSiteProcs(dir).find((x) => x.site === dir && x.role === role && (role !== 'daemon' || x.cmdline.startsWith('lotus daemon')) && (role !== 'miner' || x.cmdline.startsWith('lotus-miner run')))
  if (!p) throw new Error(`no ${role} process`)
  return p.pid
}
const signal = async (host: RealHost, role: 'daemon' | 'miner' | 'worker', sig: 'STOP' | 'CONT'): Promise<void> => void (await host.sim!.sshOk('site-1', `kill -${sig} ${pidOf(host, role)}`))
const sending = (w: RestartPage, step: RestartStep) => expect(w.stepBody(step).locator('[data-testid="wizard-command"][data-status="sending"]')).toHaveCount(1, { timeout: 60_000 })

// The window's way through each kind of catch: a pre-check waiting on a hung miner, a stop in
// flight, a start that may have been sent (the resend decision) and the post-check's frozen poll.
// Resuming after a kill in every step is proven at the engine by test/integration/restart-resume.test.ts.
const STEPS = ['precheck', 'stopMiner', 'startDaemon', 'postcheck'] as const

const CATCH: Record<(typeof STEPS)[number], Catch> = {
  precheck: { before: (h) => signal(h, 'miner', 'STOP'), reached: async () => undefined, after: (h) => signal(h, 'miner', 'CONT') },
  stopMiner: { before: (h) => signal(h, 'miner', 'STOP'), reached: (w) => sending(w, 'stopMiner'), after: (h) => signal(h, 'miner', 'CONT') },
  startDaemon: { reached: (w) => sending(w, 'startDaemon') },
  // The post-check is short: the daemon is frozen once the warm-up has what it needs from the chain,
  // so the post-check's poll waits for it; caught from the saved state as soon as it begins.
  postcheck: {
    reached: async (w) => {
      await expect(w.stepBody('startMiner').locator('[data-code="warmup-started"]')).toHaveCount(1, { timeout: 60_000 })
      await w.page.waitForTimeout(300)
    },
    freeze: 'daemon',
    saved: (run) => run.current === 'postcheck' && run.steps.find((x) => x.id === 'postcheck')?.status === 'running',
    after: (h) => signal(h, 'daemon', 'CONT')
  }
}

/** The newest run file of the home, as saved (read while it is being replaced: retried). */
function savedRun(home: string): RestartRun | null {
  const dir = join(home, 'wizard', 'runs')
  if (!existsSync(dir)) return null
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  let best: RestartRun | null = null
  for (const f of files) {
    try {
      const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as RestartRun
      if (!best || r.createdAt > best.createdAt) best = r
    } catch {
      // being written
    }
  }
  return best
}

async function openRestart(page: Page, host: RealHost, site: string): Promise<RestartPage> {
  const p = pagesFor(page)
  await p.app.open(host.url, `#/site/${site}/restart`)
  await p.site.waitFor(site)
  const w = new RestartPage(page)
  await expect(w.tab).toBeVisible()
  return w
}

test.describe('restart wizard: the browser host killed during a step', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: { sites: 1, sectors: 30, speed: 60, workers: { pc1: 0, pc2: 0, c2: 1 } } })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  for (const step of STEPS) {
    test(`killed during "${step}", the restart is taken up where it was and finishes`, async ({ page }, info) => {
      const since = new Date().toISOString()
      const c = CATCH[step]
      if (step === 'startDaemon') {
        // A start script that takes a few seconds: the host dies while it runs; the remote shell goes on.
        const store = new SettingsStore({ home: host.home })
        const cmds = store.getSite('site-1')!.startCommands
        store.updateSite('site-1', { startCommands: { ...cmds, daemon: `sleep 4; ${DEFAULT_START_COMMANDS.daemon}` } })
        await host.restartHost()
      }
      let w = await openRestart(page, host, 'site-1')
      await expect(w.start).toBeVisible({ timeout: 30_000 })
      const pid = hostPid(host.home)
      if (step === 'precheck') {
        // The miner hangs: the pre-check waits for it; the host dies meanwhile.
        await c.before!(host)
        const runs = join(host.home, 'wizard', 'runs')
        const known = new Set(existsSync(runs) ? readdirSync(runs) : [])
        await w.start.click()
        await expect.poll(() => (existsSync(runs) ? readdirSync(runs).filter((f) => f.endsWith('.json') && !known.has(f)).length : 0)).toBe(1)
      } else {
        await w.start.click()
        await expect(w.toolbar).toHaveAttribute('data-phase', /ready|waiting/, { timeout: 30_000 })
        if ((await w.runPhase()) === 'waiting') await w.override('test site: no proof at stake')
        await c.before?.(host)
        await w.confirmRunAll()
        await c.reached(w)
        if (c.freeze) await signal(host, c.freeze, 'STOP')
        if (c.saved) await expect.poll(() => { const r = savedRun(host.home); return r !== null && c.saved!(r) }, { intervals: [5], timeout: 90_000 }).toBe(true)
      }
      process.kill(pid, 'SIGKILL')
      await page.screenshot({ path: info.outputPath(`killed-${step}.png`), fullPage: true })
      await c.after?.(host)
      if (step === 'startDaemon') new SettingsStore({ home: host.home }).updateSite('site-1', { startCommands: { ...new SettingsStore({ home: host.home }).getSite('site-1')!.startCommands, daemon: DEFAULT_START_COMMANDS.daemon } })
      await host.restartHost()

      // The Overview names the interrupted restart; it leads to the Restart tab, where the run is shown where it was.
      const p = pagesFor(page)
      await p.app.open(host.url)
      await page.getByTestId('unfinished-restart-site-1').click()
      w = new RestartPage(page)
      await expect(w.tab).toBeVisible()
      await expect(w.interrupted).toBeVisible({ timeout: 30_000 })
      await expect(w.toolbar).toHaveAttribute('data-phase', 'interrupted')
      await expect(w.step(step)).not.toHaveAttribute('data-status', 'ok')
      await page.screenshot({ path: info.outputPath(`interrupted-${step}.png`), fullPage: true })
      await w.resume.click()
      let stopsSent = 1
      await expect(w.toolbar).toHaveAttribute('data-phase', /ready|waiting/, { timeout: 60_000 })
      if ((await w.runPhase()) === 'waiting') {
        const kind = await w.decision.getAttribute('data-kind')
        if (kind === 'resend') {
          // A command that may have been sent whose effect does not show: shown with the audit log's entry.
          expect(['startDaemon', 'stopMiner']).toContain(step)
          await expect(w.decision.getByTestId('wizard-resend-audit')).toContainText('started')
          await page.screenshot({ path: info.outputPath(`resend-${step}.png`), fullPage: true })
          if (step === 'startDaemon') {
            // The slow start script has not started the daemon yet: checked again once it has, not sent again.
            await expect.poll(() => lotusProcs(host, 'site-1').daemon.length, { timeout: 20_000 }).toBe(1)
            await page.getByTestId('wizard-recheck').click()
            await expect(w.toolbar).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 })
          } else {
            // The stop never reached the frozen miner (seen on a loaded machine; most likely its
            // command ended with the host's SSH session before sending) and the miner runs: sent
            // again, as the operator would.
            await page.getByTestId('wizard-resend').click()
            await expect(w.decision).toHaveAttribute('data-kind', 'confirm', { timeout: 30_000 })
            await w.confirmDecision()
            stopsSent = 2
          }
        } else {
          // The pre-check asks again when a proof came due meanwhile.
          expect(kind).toBe('verdict')
          await w.override('test site: no proof at stake')
        }
      }
      if (step !== 'precheck') await expect(w.stepBody(step).locator('[data-code="resume"]')).toHaveCount(1)
      await w.confirmRunAll()
      await expect(w.toolbar).toHaveAttribute('data-phase', 'done', { timeout: 120_000 })
      await expect(w.outcome).toHaveAttribute('data-ok', 'true')

      const procs = lotusProcs(host, 'site-1')
      expect(procs.daemon).toHaveLength(1)
      expect(procs.miner).toHaveLength(1)
      expect(await startedCount(host, 'site-1', since)).toEqual({ 'wizard.stop-miner': stopsSent, 'wizard.stop-daemon': 1, 'wizard.start-daemon': 1, 'wizard.start-miner': 1 })
    })
  }
})
