import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MinerDeskError, type ConnectionInfo } from '../../preload/contract'
import { createSshPool, type ManagedSshPool, type SshPoolInternals } from '../../electron/core/ssh/pool'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SecretStore, SshPrompts } from '../../electron/core/ssh/types'
import { startTestSshd, type TestSshd } from '../support/sshd'

type PassReq = { siteId: string; keyFile: string; retry: boolean }

function passPrompts(answers: Array<{ passphrase: string; remember: boolean } | null>, delayMs = 0): SshPrompts & { asked: PassReq[] } {
  const asked: PassReq[] = []
  return {
    asked,
    hostKeyUnknown: () => Promise.reject(new Error('unexpected host key prompt')),
    passphrase: async (req) => {
      asked.push(req)
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
      if (answers.length === 0) throw new Error('no scripted passphrase left')
      return answers.shift() ?? null
    }
  }
}

/** A SecretStore that can remember (stands in for the Electron safeStorage one). */
function rememberingStore(): SecretStore & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return { data, protection: 'os', canRemember: true, get: (k) => data.get(k) ?? null, set: (k, v) => void data.set(k, v), delete: (k) => void data.delete(k) }
}

describe('authentication against a real sshd', () => {
  let s: TestSshd
  let dir: string
  let encKey: string
  let strangerKey: string
  let agent: ChildProcess | null = null
  let agentSock: string
  const pools: ManagedSshPool[] = []

  beforeAll(async () => {
    s = await startTestSshd()
    dir = mkdtempSync(join(tmpdir(), 'md-auth-'))
    encKey = join(dir, 'id_enc')
    // ssh-keygen's default 16 bcrypt rounds cost ssh2 ~1.2 s per decryption; 4 rounds keep the suite quick.
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'pass', '-a', '4', '-C', 'encrypted', '-f', encKey])
    s.authorizeKey(readFileSync(`${encKey}.pub`, 'utf8'))
    strangerKey = join(dir, 'id_stranger')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stranger', '-f', strangerKey])
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.closeAll()))
  })
  afterAll(async () => {
    agent?.kill()
    await s?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Aliases for the test sshd, one per identity setup. */
  function config(entries: Record<string, string[]>): string {
    const path = join(dir, `config-${Object.keys(entries).join('-')}`)
    const lines: string[] = []
    for (const [alias, extra] of Object.entries(entries)) {
      lines.push(`Host ${alias}`, `  HostName ${s.host}`, `  Port ${s.port}`, `  User ${s.user.name}`, `  UserKnownHostsFile ${s.knownHostsPath}`, '  StrictHostKeyChecking yes', ...extra.map((l) => `  ${l}`))
    }
    writeFileSync(path, `${lines.join('\n')}\n`)
    return path
  }

  function pool(configPath: string, prompts: SshPrompts, secrets: SecretStore = createMemoryOnlySecretStore(), internals: SshPoolInternals = {}): ManagedSshPool {
    const p = createSshPool({ configPath, prompts, secrets }, { hostOptions: { agentSocket: '' }, ...internals })
    pools.push(p)
    return p
  }

  it('asks for an encrypted key\'s passphrase, again after a wrong one, once per run', async () => {
    const cfg = config({ enc1: [`IdentityFile ${encKey}`, 'IdentitiesOnly yes'], enc2: [`IdentityFile ${encKey}`, 'IdentitiesOnly yes'] })
    const prompts = passPrompts([{ passphrase: 'wrong', remember: false }, { passphrase: 'pass', remember: false }])
    const p = pool(cfg, prompts)
    const h1 = p.host('enc1', 'site-1')
    const states: string[] = []
    h1.onState((i) => states.push(i.state))
    expect((await h1.exec({ argv: ['echo', 'in'] })).stdout).toBe('in\n')
    expect(prompts.asked).toEqual([
      { siteId: 'site-1', keyFile: encKey, retry: false },
      { siteId: 'site-1', keyFile: encKey, retry: true }
    ])
    expect(states).toContain('passphrase-needed')
    expect(states.at(-1)).toBe('connected')
    // Another site with the same key, same run: not asked again.
    await p.host('enc2', 'site-2').connect()
    expect(prompts.asked).toHaveLength(2)
  })

  it('a passphrase typed after sshd gave up waiting is used at once, without asking again', async () => {
    const cfg = config({ late: [`IdentityFile ${encKey}`, 'IdentitiesOnly yes'] })
    const asked: PassReq[] = []
    const prompts: SshPrompts = {
      hostKeyUnknown: () => Promise.reject(new Error('unexpected host key prompt')),
      passphrase: async (req) => {
        asked.push(req)
        await s.killAll()
        await s.restart()
        return { passphrase: 'pass', remember: false }
      }
    }
    const host = pool(cfg, prompts).host('late', 'site-l')
    expect((await host.exec({ argv: ['echo', 'late'] })).stdout).toBe('late\n')
    expect(asked).toHaveLength(1)
  })

  it('asks once when several sites need the same key at the same time', async () => {
    const cfg = config({ par1: [`IdentityFile ${encKey}`, 'IdentitiesOnly yes'], par2: [`IdentityFile ${encKey}`, 'IdentitiesOnly yes'], par3: [`IdentityFile ${encKey}`, 'IdentitiesOnly yes'] })
    const prompts = passPrompts([{ passphrase: 'pass', remember: false }], 300)
    const p = pool(cfg, prompts)
    const hosts = ['par1', 'par2', 'par3'].map((a, i) => p.host(a, `site-${i}`))
    await Promise.all(hosts.map((h) => h.connect()))
    expect(prompts.asked).toHaveLength(1)
  })

  it('remembers the passphrase only when asked to and the store can', async () => {
    const cfg = config({ rem: [`IdentityFile ${encKey}`, 'IdentitiesOnly yes'] })
    const store = rememberingStore()
    await pool(cfg, passPrompts([{ passphrase: 'pass', remember: true }]), store).host('rem', 's').connect()
    expect(store.data.get(encKey)).toBe('pass')
    // Next run: the store answers, nobody is asked.
    const next = passPrompts([])
    await pool(cfg, next, store).host('rem', 's').connect()
    expect(next.asked).toEqual([])
    // The memory-only store never keeps anything, even when the operator asks it to.
    const none = createMemoryOnlySecretStore()
    await pool(cfg, passPrompts([{ passphrase: 'pass', remember: true }]), none).host('rem', 's').connect()
    expect(none.get(encKey)).toBeNull()
  })

  it('a cancelled passphrase ends in auth-failed listing what was tried, with no retry loop', async () => {
    const cfg = config({ cancel: [`IdentityFile ${strangerKey}`, `IdentityFile ${encKey}`, `IdentityFile ${join(dir, 'absent')}`, 'IdentitiesOnly yes'] })
    const prompts = passPrompts([null])
    const host = pool(cfg, prompts).host('cancel', 'site-c')
    const states: ConnectionInfo[] = []
    host.onState((i) => states.push(i))
    const err = (await host.exec({ argv: ['true'] }).catch((e: unknown) => e)) as MinerDeskError
    expect(err).toBeInstanceOf(MinerDeskError)
    expect(err.code).toBe('ssh/auth-failed')
    expect(err.message).toContain(`key ${strangerKey}`)
    expect(err.message).toContain(`${encKey}: passphrase not given`)
    expect(err.message).toContain(`${join(dir, 'absent')}: not found`)
    expect(host.info.state).toBe('auth-failed')
    await new Promise((r) => setTimeout(r, 1500))
    expect(prompts.asked).toHaveLength(1)
    await expect(host.exec({ argv: ['true'] })).rejects.toMatchObject({ code: 'ssh/auth-failed' })
    expect(prompts.asked).toHaveLength(1)
    expect(states.filter((i) => i.state === 'auth-failed')).toHaveLength(1)
  })

  it('a key the server does not accept is auth-failed, not unreachable', async () => {
    const cfg = config({ stranger: [`IdentityFile ${strangerKey}`, 'IdentitiesOnly yes'] })
    const host = pool(cfg, passPrompts([])).host('stranger', 'site-s')
    await expect(host.connect()).rejects.toMatchObject({ code: 'ssh/auth-failed' })
    expect(host.info.state).toBe('auth-failed')
    expect(host.info.detail).toMatch(new RegExp(`Tried: key ${strangerKey}\\.`))
  })

  it('a server that ends the login (too many keys) is auth-failed, not unreachable', async () => {
    // sshd's MaxAuthTries is 6: offer 7 keys it does not know.
    const keys = Array.from({ length: 7 }, (_, i) => {
      const k = join(dir, `many_${i}`)
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k])
      return `IdentityFile ${k}`
    })
    const host = pool(config({ many: [...keys, 'IdentitiesOnly yes'] }), passPrompts([])).host('many', 'site-m')
    const err = (await host.connect().catch((e: unknown) => e)) as MinerDeskError
    expect(err.code).toBe('ssh/auth-failed')
    expect(host.info.state).toBe('auth-failed')
    expect(host.info.nextRetryAt).toBeUndefined()
    expect(err.message).toMatch(/the server stopped the login: .*[Aa]uthentication/)
  })

  it('uses ssh-agent first, and skips it with IdentitiesOnly and key files', async () => {
    agentSock = join(dir, 'agent.sock')
    agent = spawn('ssh-agent', ['-D', '-a', agentSock], { stdio: 'ignore' })
    for (let i = 0; i < 50 && !existsSync(agentSock); i++) await new Promise((r) => setTimeout(r, 50))
    execFileSync('ssh-add', [s.clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: agentSock }, stdio: 'ignore' })
    const cfg = config({ viaAgent: [`IdentityFile ${join(dir, 'no-such-key')}`], onlyFiles: [`IdentityFile ${strangerKey}`, 'IdentitiesOnly yes'] })
    const p = pool(cfg, passPrompts([]), createMemoryOnlySecretStore(), { hostOptions: { agentSocket: agentSock } })
    const a = p.host('viaAgent', 'site-a')
    expect((await a.exec({ argv: ['echo', 'agent'] })).stdout).toBe('agent\n')
    const o = p.host('onlyFiles', 'site-o')
    const err = (await o.connect().catch((e: unknown) => e)) as MinerDeskError
    expect(err.code).toBe('ssh/auth-failed')
    expect(err.message).not.toContain('ssh-agent')
  })
})
