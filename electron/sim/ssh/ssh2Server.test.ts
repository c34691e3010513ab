import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../common/ports'
import { writeClientFiles } from './clientFiles'
import { writeEd25519KeyPair } from './keys'
import { startSsh2SiteServer, type RunningSsh2Server } from './ssh2Server'

/**
 * The in-process ssh2 fallback, driven by OpenSSH's own client: exec through the login script,
 * exit codes, stdin/stdout/stderr, `ssh -L` to 127.0.0.1, and refusals (wrong key, wrong user,
 * forwarding elsewhere than 127.0.0.1).
 */
const dir = mkdtempSync(join(tmpdir(), 'md-ssh2-'))
chmodSync(dir, 0o755)
const user = userInfo().username
let server: RunningSsh2Server
let http: Server
let httpPort: number
let sshConfig: string
let port: number

function ssh(alias: string, args: string[], input?: string, options: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', ...options, alias, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    p.stdin.end(input ?? '')
    p.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

beforeAll(async () => {
  const home = join(dir, 'home')
  spawnSync('mkdir', ['-p', home])
  const login = join(dir, 'login.sh')
  writeFileSync(login, `#!/bin/sh\nHOME='${home}'\nMDSIM_SITE='${dir}'\nexport HOME MDSIM_SITE\ncd "$HOME" || exit 1\nif [ -n "$SSH_ORIGINAL_COMMAND" ]; then exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"; fi\nexec /bin/sh -i\n`, { mode: 0o755 })
  const hostKey = writeEd25519KeyPair(join(dir, 'host_key'), 'host')
  const client = writeEd25519KeyPair(join(dir, 'id_ed25519'), 'client')
  const other = writeEd25519KeyPair(join(dir, 'other_key'), 'other')
  port = await freePort()
  server = await startSsh2SiteServer({
    listenAddress: '127.0.0.1',
    port,
    hostKeyPath: hostKey.privatePath,
    authorizedKeyLine: client.publicLine,
    user,
    loginScript: login,
    baseEnv: { PATH: '/usr/bin:/bin', USER: user },
    cwd: home
  })
  sshConfig = join(dir, 'ssh_config')
  const knownHosts = join(dir, 'known_hosts')
  writeClientFiles(sshConfig, knownHosts, client.privatePath, [{ alias: 'good', hostName: '127.0.0.1', port, user, hostKeyPublicLine: hostKey.publicLine }])
  // Two more aliases: a key the server does not know, and a user it does not serve.
  writeFileSync(
    sshConfig,
    `${readFileSync(sshConfig, 'utf8')}\nHost badkey\n  HostName 127.0.0.1\n  Port ${port}\n  User ${user}\n  IdentityFile ${other.privatePath}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n\nHost baduser\n  HostName 127.0.0.1\n  Port ${port}\n  User nobody-here\n  IdentityFile ${client.privatePath}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n`
  )
  http = createServer((_req, res) => res.end('hello through the tunnel'))
  httpPort = await freePort()
  await new Promise<void>((r) => http.listen(httpPort, '127.0.0.1', () => r()))
})

afterAll(async () => {
  await server?.close()
  http?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('in-process ssh2 server', () => {
  it('runs commands through the login script, with exit codes and separate stderr', async () => {
    const r = await ssh('good', ['echo "$MDSIM_SITE"; pwd; echo oops >&2; exit 5'])
    expect(r.code).toBe(5)
    expect(r.stdout).toBe(`${dir}\n${join(dir, 'home')}\n`)
    expect(r.stderr).toBe('oops\n')
  })

  it('passes stdin to the command', async () => {
    const r = await ssh('good', ['tr a-z A-Z'], 'lotus\n')
    expect(r.stdout).toBe('LOTUS\n')
    expect(r.code).toBe(0)
  })

  it('returns at once from `nohup … &` like sshd does', async () => {
    const t0 = Date.now()
    const r = await ssh('good', ['nohup sleep 5 > /dev/null 2>&1 & echo $!'])
    expect(r.code).toBe(0)
    expect(Date.now() - t0).toBeLessThan(3000)
    // Its own sleep only (a pattern would end any `sleep 5` on the machine).
    process.kill(Number(r.stdout.trim()))
  })

  it('forwards `ssh -L` connections to 127.0.0.1', async () => {
    const local = await freePort()
    const fwd = spawn('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', '-o', 'ExitOnForwardFailure=yes', '-N', '-L', `127.0.0.1:${local}:127.0.0.1:${httpPort}`, 'good'], { stdio: 'ignore' })
    try {
      let body = ''
      for (let i = 0; i < 100 && body === ''; i++) {
        await new Promise((r) => setTimeout(r, 50))
        body = await fetch(`http://127.0.0.1:${local}/`).then((x) => x.text()).catch(() => '')
      }
      expect(body).toBe('hello through the tunnel')
    } finally {
      fwd.kill()
    }
  })

  it('refuses forwarding anywhere but 127.0.0.1', async () => {
    const r = await ssh('good', [], undefined, ['-W', '10.255.255.1:80'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/open failed|administratively prohibited|Connection refused/i)
  })

  it('refuses an unknown key and an unknown user', async () => {
    const k = await ssh('badkey', ['true'])
    expect(k.code).toBe(255)
    expect(k.stderr).toMatch(/Permission denied/)
    const u = await ssh('baduser', ['true'])
    expect(u.code).toBe(255)
    expect(u.stderr).toMatch(/Permission denied/)
  })
})
