import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { AppInfo, ServerFrame } from '../../preload/contract'
import { cliBundle, runCli } from '../support/restartHarness'
import { buildWebHost, startWebHostProcess, stopWebHostProcess } from '../support/webHost'

/**
 * MINERDESK_HOME as an operator may find it: a settings.json that is not JSON, and FIFOs where
 * MinerDesk keeps its files. The CLI and the browser host (their real processes) never hang on a
 * FIFO, and say — on every run, until it is dealt with — that the settings were unusable and
 * where the unusable copy is kept, instead of quietly showing "No sites".
 */

let cli: string
const homes: string[] = []
const newHome = (): string => {
  const h = mkdtempSync(join(tmpdir(), 'md-home-state-'))
  homes.push(h)
  return h
}

beforeAll(async () => {
  ;[cli] = await Promise.all([cliBundle(), buildWebHost()])
}, 180_000)
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true })
})

async function cliRun(home: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = runCli(cli, home, args)
  const timer = setTimeout(() => r.kill(), 20_000)
  const code = await r.done
  clearTimeout(timer)
  return { code, stdout: r.lines.join('\n'), stderr: r.stderr() }
}

describe('an unusable settings.json', () => {
  it('is reported by every CLI run with the path of the kept copy, until restored or removed', async () => {
    const home = newHome()
    writeFileSync(join(home, 'settings.json'), '{"version":1,"settings":{"language":"zh-CN"},"sites":[{"id":"sh-01"')
    const first = await cliRun(home, ['sites'])
    expect(first.code).toBe(0)
    const kept = readdirSync(home).find((n) => n.startsWith('settings.json.bad-'))!
    expect(kept).toBeTruthy()
    expect(first.stderr).toContain(`minerdesk: WARNING: ${join(home, 'settings.json')} could not be used (not JSON:`)
    expect(first.stderr).toContain(`it is kept as ${join(home, kept)}`)
    expect(first.stderr).toContain(`mv '${join(home, kept)}' '${join(home, 'settings.json')}'`)
    // The next run finds no settings.json at all, and still says why there are no sites.
    const again = await cliRun(home, ['--json', 'sites'])
    expect(JSON.parse(again.stdout)).toEqual({ sites: [] })
    expect(again.stderr).toContain(`it is kept as ${join(home, kept)}`)
    rmSync(join(home, kept))
    expect((await cliRun(home, ['sites'])).stderr).toBe('')
  })

  it('is in the browser host\'s app:info for the window, and a FIFO in its place hangs nothing', async () => {
    const home = newHome()
    execFileSync('mkfifo', [join(home, 'settings.json')])
    mkdirSync(join(home, 'wizard', 'runs'), { recursive: true })
    const fifoRun = join(home, 'wizard', 'runs', '6f1d2c3b-0000-4000-8000-000000000001.json')
    execFileSync('mkfifo', [fifoRun])
    execFileSync('mkfifo', [join(home, 'autopledge.json')])
    execFileSync('mkfifo', [join(home, 'demo.json')])

    // The CLI: settings reported, the FIFO run skipped (not found), nothing waits on a FIFO.
    const sites = await cliRun(home, ['sites'])
    expect(sites.code).toBe(0)
    expect(sites.stderr).toContain('could not be used (not a regular file (a FIFO))')
    const report = await cliRun(home, ['restart-report', '6f1d2c3b-0000-4000-8000-000000000001'])
    expect(report.code).toBe(4)
    expect(existsSync(fifoRun)).toBe(true)

    // The browser host starts, serves, and tells the window.
    const host = await startWebHostProcess(home)
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })
      const info = await new Promise<AppInfo>((resolve, reject) => {
        ws.on('message', (d) => {
          const f = JSON.parse(String(d)) as ServerFrame
          if (f.t !== 'result' || f.id !== 1) return
          if (f.result.ok) resolve(f.result.value as AppInfo)
          else reject(new Error(f.result.error.message))
        })
        ws.on('open', () => ws.send(JSON.stringify({ t: 'call', id: 1, channel: 'app:info', args: [] })))
        ws.on('error', reject)
      })
      ws.close()
      expect(info.settingsProblem).toMatchObject({ file: join(home, 'settings.json'), reason: 'not a regular file (a FIFO)' })
      expect(info.settingsProblem!.movedTo).toMatch(/settings\.json\.bad-/)
      expect(host.child.exitCode).toBeNull()
    } finally {
      await stopWebHostProcess(host.child)
    }
  }, 90_000)
})
