import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../electron/common/ports'
import { writeEd25519KeyPair, publicKeyBody } from '../../electron/sim/ssh/keys'
import { startOpenSshd, type RunningSshd } from '../../electron/sim/ssh/openssh'
import { ensureSimUser, type LoginUser } from '../../electron/sim/ssh/user'

export interface TestSshd {
  dir: string
  host: string
  port: number
  user: LoginUser
  alias: string
  clientKeyPath: string
  knownHostsPath: string
  sshConfigPath: string
  hostKeyLine: string
  sshd: RunningSshd
  /** The host's private key file and the authorized_keys file sshd reads at each login. */
  hostKeyPath: string
  authorizedKeysPath: string
  /** Restarts sshd on the same port (after `kill`). */
  restart(): Promise<void>
  kill(): Promise<void>
  stop(): Promise<void>
  /** Lets one more client key log in (a `type base64 [comment]` line). */
  authorizeKey(publicLine: string): void
  /**
   * Kills sshd AND every session it serves (SIGKILL), as when the machine or its network goes
   * away: clients see their connections drop. (`kill` ends only the listener; sshd's session
   * processes are in their own sessions and would live on.) `restart` brings it back.
   */
  killAll(): Promise<void>
  /** Stops (SIGSTOP) sshd and all its sessions: connections stay open but nothing answers. */
  freeze(): void
  /** Resumes what `freeze` stopped. */
  thaw(): void
  /** Gives the host a new host key and restarts sshd; known_hosts is left as it was. */
  changeHostKey(): Promise<void>
}

/** `pid` and every process below it, children before their parents' parents (from /proc). */
export function processTree(pid: number): number[] {
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parent.set(Number(name), ppid)
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = []
  const visit = (p: number): void => {
    out.push(p)
    for (const [child, pp] of parent) if (pp === p) visit(child)
  }
  visit(pid)
  return out
}

function signalTree(pid: number, sig: NodeJS.Signals): void {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, sig)
    } catch {
      // Already gone.
    }
  }
}

/**
 * A real OpenSSH sshd on 127.0.0.1 for integration tests of the SSH layer, with a client key,
 * a known_hosts file and an ssh_config holding one alias. Not a Lotus site (see the simulator).
 */
export async function startTestSshd(opts: { alias?: string; listenAddress?: string } = {}): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'md-sshd-'))
  chmodSync(dir, 0o755)
  const user = ensureSimUser()
  const host = opts.listenAddress ?? '127.0.0.1'
  const port = await freePort(host)
  const alias = opts.alias ?? 'testhost'
  let hostKey = writeEd25519KeyPair(join(dir, 'ssh_host_ed25519_key'), 'host')
  const client = writeEd25519KeyPair(join(dir, 'id_ed25519'), 'minerdesk-test')
  const authorizedKeysPath = join(dir, 'authorized_keys')
  writeFileSync(authorizedKeysPath, `${client.publicLine}\n`, { mode: 0o644 })
  const knownHostsPath = join(dir, 'known_hosts')
  const hostKeyLine = publicKeyBody(hostKey.publicLine)
  writeFileSync(knownHostsPath, `[${host}]:${port} ${hostKeyLine}\n`)
  const sshConfigPath = join(dir, 'ssh_config')
  writeFileSync(
    sshConfigPath,
    [
      `Host ${alias}`,
      `  HostName ${host}`,
      `  Port ${port}`,
      `  User ${user.name}`,
      `  IdentityFile ${client.privatePath}`,
      `  IdentitiesOnly yes`,
      `  UserKnownHostsFile ${knownHostsPath}`,
      `  StrictHostKeyChecking yes`,
      ''
    ].join('\n')
  )
  mkdirSync(join(dir, 'sshd'), { recursive: true })
  const start = () =>
    startOpenSshd({
      dir: join(dir, 'sshd'),
      listenAddress: host,
      port,
      hostKeyPath: hostKey.privatePath,
      authorizedKeysPath,
      allowUser: user.name
    })
  const t: TestSshd = {
    dir,
    host,
    port,
    user,
    alias,
    clientKeyPath: client.privatePath,
    knownHostsPath,
    sshConfigPath,
    hostKeyLine,
    hostKeyPath: hostKey.privatePath,
    authorizedKeysPath,
    sshd: await start(),
    async restart() {
      t.sshd = await start()
    },
    async kill() {
      await t.sshd.stop()
    },
    authorizeKey(publicLine: string) {
      appendFileSync(authorizedKeysPath, `${publicLine.trim()}\n`)
    },
    async killAll() {
      // Kill the sessions first: once the listener is gone they are re-parented and hard to find.
      signalTree(t.sshd.pid, 'SIGKILL')
      await t.sshd.stop()
    },
    freeze() {
      signalTree(t.sshd.pid, 'SIGSTOP')
    },
    thaw() {
      signalTree(t.sshd.pid, 'SIGCONT')
    },
    async changeHostKey() {
      await t.sshd.stop()
      rmSync(hostKey.privatePath, { force: true })
      rmSync(hostKey.publicPath, { force: true })
      hostKey = writeEd25519KeyPair(hostKey.privatePath, 'host')
      t.hostKeyLine = publicKeyBody(hostKey.publicLine)
      t.sshd = await start()
    },
    async stop() {
      await t.sshd.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return t
}
