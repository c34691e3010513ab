import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../electron/core/util/ports'
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
  /** Restarts sshd on the same port (after `kill`). */
  restart(): Promise<void>
  kill(): Promise<void>
  stop(): Promise<void>
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
  const hostKey = writeEd25519KeyPair(join(dir, 'ssh_host_ed25519_key'), 'host')
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
    sshd: await start(),
    async restart() {
      t.sshd = await start()
    },
    async kill() {
      await t.sshd.stop()
    },
    async stop() {
      await t.sshd.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return t
}
