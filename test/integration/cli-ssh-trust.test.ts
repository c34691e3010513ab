import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliBundle, runCli } from '../support/restartHarness'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * SSH trust as OpenSSH has it, through the real CLI and real sshd: an operator's config with
 * `StrictHostKeyChecking no` connects (as ssh would), records the key in known_hosts ("Permanently
 * added", as ssh does), and the CLI says on every run that host-key checking is off for that host;
 * the same site with checking left on says nothing.
 */

let sim: SimSites
let cli: string
const dirs: string[] = []

beforeAll(async () => {
  ;[sim, cli] = await Promise.all([startSimSites({ sites: 1, sectors: 4, speed: 60, workers: { pc1: 1, pc2: 0, c2: 0 } }), cliBundle()])
}, 150_000)

afterAll(async () => {
  await sim?.down()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** The simulator's ssh_config with its own known_hosts file and, when given, a StrictHostKeyChecking line. */
function sshConfig(dir: string, strict: string | null): { path: string; knownHosts: string } {
  const knownHosts = join(dir, 'known_hosts')
  const text = readFileSync(sim.sshConfigPath, 'utf8')
    .replace(/^(\s*)UserKnownHostsFile .*$/gm, `$1UserKnownHostsFile ${knownHosts}`)
    .replace(/^(\s*)IdentitiesOnly yes$/gm, strict ? `$1IdentitiesOnly yes\n$1StrictHostKeyChecking ${strict}` : '$&')
  const path = join(dir, 'ssh_config')
  writeFileSync(path, text)
  return { path, knownHosts }
}

async function cliRun(home: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = runCli(cli, home, args)
  const timer = setTimeout(() => r.kill(), 60_000)
  const code = await r.done
  clearTimeout(timer)
  return { code, stdout: r.lines.join('\n'), stderr: r.stderr() }
}

describe('StrictHostKeyChecking no through the CLI', () => {
  it('connects, records the host key as OpenSSH does, and warns on every run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-ssh-trust-'))
    dirs.push(dir)
    const home = join(dir, 'home')
    const cfg = sshConfig(dir, 'no')
    const alias = sim.sites[0]!.alias
    expect(existsSync(cfg.knownHosts)).toBe(false)

    const first = await cliRun(home, ['--ssh-config', cfg.path, 'workers', alias])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toContain(`minerdesk: WARNING: ${alias}: StrictHostKeyChecking no for ${alias} in your SSH config: a new host key is accepted without asking.`)
    expect(first.stderr).toContain('MinerDesk records it in known_hosts (as OpenSSH does) and still refuses a changed key')
    // Said once per site, not once per state change.
    expect(first.stderr.split('StrictHostKeyChecking no for').length - 1).toBe(1)
    // Recorded: the very line the simulator's own known_hosts holds for this host.
    const recorded = readFileSync(cfg.knownHosts, 'utf8')
    const expected = readFileSync(sim.knownHostsPath, 'utf8').split('\n').find((l) => l.includes(`:${sim.sites[0]!.sshPort} `))!
    expect(recorded).toContain(expected.split(' ').slice(0, 3).join(' '))

    // The key is known now, and the warning stays: the config still turns checking off.
    const again = await cliRun(home, ['--ssh-config', cfg.path, 'workers', alias])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toContain(`${alias}: StrictHostKeyChecking no for ${alias}`)
    expect(readFileSync(cfg.knownHosts, 'utf8')).toBe(recorded)
  })

  it('says nothing of the kind when checking is on and the key is known', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-ssh-trust-'))
    dirs.push(dir)
    const cfg = sshConfig(dir, null)
    writeFileSync(cfg.knownHosts, readFileSync(sim.knownHostsPath, 'utf8'))
    const r = await cliRun(join(dir, 'home'), ['--ssh-config', cfg.path, 'workers', sim.sites[0]!.alias])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).not.toContain('StrictHostKeyChecking')
  })
})
