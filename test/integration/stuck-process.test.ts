import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { describeProcessTree, nodeReport } from '../support/stuckProcess'

/**
 * The harness describes an `up` that hangs before killing it; these prove the description names
 * what a stuck process waits on, both when it idles in its event loop and when it is blocked.
 */

const children: ChildProcess[] = []
const dirs: string[] = []

function node(dir: string, code: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${dir}`, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  // Ready once it printed its first line (signal handlers are installed by then).
  return new Promise((resolve) => child.stdout!.once('data', () => resolve(child)))
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe.runIf(process.platform === 'linux')('stuck process description', () => {
  it('shows an idle process waiting on its timer, with a Node report of its handles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-stuck-'))
    dirs.push(dir)
    const child = await node(dir, "setInterval(() => {}, 60000); console.log('ready')")
    const tree = describeProcessTree(child.pid!)
    expect(tree).toContain(`pid ${child.pid} (node)`)
    expect(tree).toMatch(/threads: \d+ node /)
    const report = await nodeReport(child.pid!, dir)
    expect(report).toContain('node report: JS')
    expect(report).toMatch(/active libuv handles: .*timer/)
  })

  it('shows the blocking child of a process stuck in a synchronous call, and that it cannot report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-stuck-'))
    dirs.push(dir)
    const child = await node(dir, "console.log('ready'); require('child_process').execFileSync('sleep', ['30'])")
    let tree = ''
    for (let i = 0; i < 50 && !tree.includes('(sleep)'); i++) {
      await new Promise((r) => setTimeout(r, 50))
      tree = describeProcessTree(child.pid!)
    }
    expect(tree).toMatch(/pid \d+ \(sleep\) state S ppid \d+: sleep 30/)
    expect(await nodeReport(child.pid!, dir, 800)).toContain('none within 800 ms')
  })
})
