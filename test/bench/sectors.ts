import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { chromiumLaunchOptions } from '../support/chromium'
import { startSimSites } from '../support/simSites'
import { pct, round } from './common'
import type { Bench, Metric } from './types'

/**
 * The sectors screen of a site with 200,000 and with 1,000,000 sectors (a large provider's
 * count), in Chromium through the browser host (`out/node/web.cjs`, as `npm run web` runs it)
 * over real sshd: from opening the tab to the first rows painted — the `sectors:list` call, its
 * runs over the WebSocket, the typed-array model and the virtual grid — under 1.5 s; a filter
 * change (group buttons, number search) to the next painted frame under 100 ms (p95); scrolling
 * reaches the last sector; the simulated site starts in under 30 s and the browser host (the
 * main side) stays under 500 MB.
 */
const ROOT = resolve(__dirname, '../..')

async function startWebHost(sshConfig: string, home: string): Promise<{ child: ChildProcess; url: string }> {
  const appBuild = (await import(join(ROOT, 'electron/tools/app-build.mjs'))) as { ensureAppBuild(o?: { quiet?: boolean }): void }
  const bundles = (await import(join(ROOT, 'electron/tools/bundle.mjs'))) as { ensureBundle(n: string): Promise<string> }
  appBuild.ensureAppBuild({ quiet: true })
  const web = await bundles.ensureBundle('web')
  const child = spawn(process.execPath, [web, '--port', '0', '--ssh-config', sshConfig], { env: { ...process.env, MINERDESK_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the browser host did not start:\n${log}`)), 60_000)
    const on = (b: Buffer) => {
      log += b.toString()
      const m = /MinerDesk is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(log)
      if (m?.[1]) {
        clearTimeout(timer)
        done({ child, url: m[1] })
      }
    }
    child.stdout?.on('data', on)
    child.stderr?.on('data', on)
    child.once('exit', (code) => fail(new Error(`the browser host exited with ${code}:\n${log}`)))
  })
}

// In-page scripts are strings: this file is compiled without the DOM library.
const OPEN_TAB = `(async () => {
  const t0 = performance.now()
  location.hash = '#/site/site-1/sectors'
  const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
  for (;;) {
    await new Promise((r) => requestAnimationFrame(r))
    if (document.querySelector('[data-testid="sector-row"]')) break
    if (performance.now() - t0 > 60000) throw new Error('no sector row after 60 s')
  }
  await painted()
  return performance.now() - t0
})()`

const CLICK = (testId: string) => `(async () => {
  const rows = () => document.querySelector('[data-testid="sectors-grid"]').getAttribute('data-rows')
  const before = rows()
  const t0 = performance.now()
  document.querySelector('[data-testid="${testId}"]').click()
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
  return { ms: performance.now() - t0, before, after: rows() }
})()`

// The number search is a deferred value: wait for the grid to show the new rows, then their frame.
const SEARCH = (text: string) => `(async () => {
  const input = document.querySelector('[data-testid="sectors-search"] input')
  const rows = () => document.querySelector('[data-testid="sectors-grid"]').getAttribute('data-rows')
  const before = rows()
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set
  const t0 = performance.now()
  setter.call(input, ${JSON.stringify(text)})
  input.dispatchEvent(new Event('input', { bubbles: true }))
  while (rows() === before && performance.now() - t0 < 5000) await new Promise((r) => requestAnimationFrame(r))
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
  return { ms: performance.now() - t0, before, after: rows() }
})()`

async function openSite(page: Page, url: string): Promise<void> {
  const u = new URL(url)
  u.hash = '#/site/site-1/chain'
  // A new document each time: nothing of the previous model survives.
  await page.goto('about:blank')
  await page.goto(u.toString())
  // The site page shows its tabs once the first snapshot of the site arrived.
  await page.getByTestId('chain-tab').waitFor({ timeout: 120_000 })
}

// Scrolls the grid to its end the way an operator would (End on the scrollbar), then reads the last row shown.
const SCROLL_TO_END = `(async () => {
  const body = document.querySelector('[data-testid="sectors-grid-body"]')
  body.scrollTop = body.scrollHeight
  body.dispatchEvent(new Event('scroll'))
  for (let i = 0; i < 5; i++) await new Promise((r) => requestAnimationFrame(r))
  const box = body.getBoundingClientRect()
  const rows = [...body.querySelectorAll('[data-testid="sector-row"]')].filter((r) => { const b = r.getBoundingClientRect(); return b.top >= box.top - 1 && b.bottom <= box.bottom + 1 })
  const last = rows[rows.length - 1]
  const expected = Number(document.querySelector('[data-testid="sectors-grid"]').getAttribute('data-last-sector'))
  return { last: Number(last?.getAttribute('data-sector')), expected, scale: Number(body.getAttribute('data-scale')), height: body.scrollHeight }
})()`

/** Resident memory of a process now and at its peak (Linux /proc), in MB. */
function rssOf(pid: number): { now: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { now: round(kb('VmRSS') / 1024), peak: round(kb('VmHWM') / 1024) }
  } catch {
    return null
  }
}

function sectorsBench(SECTORS: number, name: string, estimate: string, extra: { upTargetS?: number; memTargetMB?: number }): Bench {
  return {
    name,
    estimate,
    async run({ quick }) {
      const sim = await startSimSites({ sites: 1, sectors: SECTORS, speed: 60, timeoutMs: 300_000 })
      const home = mkdtempSync(join(tmpdir(), 'md-bench-sectors-'))
      let host: ChildProcess | null = null
      const browser = await chromium.launch(chromiumLaunchOptions())
      const upS = round(sim.upMs / 1000, 1)
      const metrics: Metric[] = [
        extra.upTargetS
          ? { name: `up of a site with ${SECTORS.toLocaleString('en')} sectors`, value: upS, unit: 's', target: `< ${extra.upTargetS} s`, ok: upS < extra.upTargetS }
          : { name: `up of a site with ${SECTORS.toLocaleString('en')} sectors`, value: upS, unit: 's' }
      ]
      try {
        const started = await startWebHost(sim.sshConfigPath, home)
        host = started.child
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
        const firstPaint: number[] = []
        for (let i = 0; i < (quick ? 2 : 4); i++) {
          await openSite(page, started.url)
          firstPaint.push(await page.evaluate<number>(OPEN_TAB))
        }
        const total = Number(await page.getByTestId('sectors-grid').getAttribute('data-rows'))
        metrics.push({ name: 'rows in the grid (all but removed)', value: total, unit: 'count', ok: total >= SECTORS - 50 })
        const worstOpen = Math.max(...firstPaint)
        metrics.push({ name: 'open the tab → first rows painted, first time (SSH/RPC warm-up)', value: round(firstPaint[0] as number), unit: 'ms' })
        metrics.push({ name: `open the tab → first rows painted, p50 of ${firstPaint.length} fresh pages`, value: round(pct(firstPaint, 50)), unit: 'ms' })
        metrics.push({ name: `open the tab → first rows painted, worst of ${firstPaint.length}`, value: round(worstOpen), unit: 'ms', target: '< 1500 ms', ok: worstOpen < 1500 })

        const changes: { name: string; ms: number }[] = []
        for (let round_ = 0; round_ < (quick ? 2 : 5); round_++) {
          for (const g of ['sealing', 'proving', 'failed', 'stuck', 'removed', 'all']) {
            const r = await page.evaluate<{ ms: number }>(CLICK(`sectors-group-${g}`))
            changes.push({ name: `group ${g}`, ms: r.ms })
          }
          for (const text of ['1999', '150000-150100', '']) {
            const r = await page.evaluate<{ ms: number }>(SEARCH(text))
            changes.push({ name: `search "${text}"`, ms: r.ms })
          }
        }
        const ms = changes.map((c) => c.ms)
        const p95 = pct(ms, 95)
        const worst = changes.reduce((a, b) => (b.ms > a.ms ? b : a))
        metrics.push({ name: `filter change → next frame, p50 of ${ms.length}`, value: round(pct(ms, 50), 1), unit: 'ms' })
        metrics.push({ name: `filter change → next frame, p95 of ${ms.length}`, value: round(p95, 1), unit: 'ms', target: '< 100 ms', ok: p95 < 100 })
        metrics.push({ name: `filter change → next frame, worst (${worst.name})`, value: round(worst.ms, 1), unit: 'ms' })
        const tookMs = Number((/用时 (\d+) ms|in (\d+) ms/.exec(await page.getByTestId('sectors-footer').innerText()) ?? []).slice(1).find(Boolean))
        if (Number.isFinite(tookMs)) metrics.push({ name: 'sectors:list on the main side (SectorsSummary, lists, details)', value: tookMs, unit: 'ms' })
        // The group "all" in sector order: the last row of the grid is the highest-numbered sector.
        await page.evaluate(SEARCH(''))
        await page.evaluate(CLICK('sectors-group-proving'))
        const end = await page.evaluate<{ last: number; expected: number; scale: number; height: number }>(SCROLL_TO_END)
        // The site's Proving sectors are numbered from 0 up to about its size (a few are still sealing).
        const ok = end.last === end.expected && end.last >= SECTORS - 20
        metrics.push({ name: `scrolled to the end: last sector shown (the list's last is ${end.expected})`, value: end.last, unit: 'count', ok })
        metrics.push({ name: 'scroll scale (rows px per scrollbar px; 1 = unscaled)', value: round(end.scale, 2), unit: 'x' })
        await page.close()
        const mem = host.pid ? rssOf(host.pid) : null
        if (mem) {
          metrics.push({ name: 'browser host (main side) resident memory now', value: mem.now, unit: 'MB' })
          metrics.push(
            extra.memTargetMB
              ? { name: 'browser host (main side) resident memory, peak', value: mem.peak, unit: 'MB', target: `< ${extra.memTargetMB} MB`, ok: mem.peak < extra.memTargetMB }
              : { name: 'browser host (main side) resident memory, peak', value: mem.peak, unit: 'MB' }
          )
        }
        const kinds = [...new Set(changes.map((c) => c.name))]
        const notes = [`filter changes, worst per kind: ${kinds.map((k) => `${k} ${round(Math.max(...changes.filter((c) => c.name === k).map((c) => c.ms)))} ms`).join(', ')}`]
        return { name, metrics, notes }
      } finally {
        await browser.close()
        host?.kill('SIGTERM')
        await sim.down()
        rmSync(home, { recursive: true, force: true })
      }
    }
  }
}

export const sectorsBench200k = sectorsBench(200_000, 'sectors-200k', '2 min (quick: 1 min)', {})
export const sectorsBench1m = sectorsBench(1_000_000, 'sectors-1m', '3 min (quick: 2 min)', { upTargetS: 30, memTargetMB: 500 })
