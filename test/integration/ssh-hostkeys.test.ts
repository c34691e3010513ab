import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MinerDeskError, type ConnectionInfo, type HostKeyDecision } from '../../preload/contract'
import { fingerprintSha256 } from '../../electron/core/ssh/hostKey'
import { createSshPool, type ManagedSshPool } from '../../electron/core/ssh/pool'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SshPrompts } from '../../electron/core/ssh/types'
import { writeEd25519KeyPair } from '../../electron/sim/ssh/keys'
import { startTestSshd, type TestSshd } from '../support/sshd'

/** Prompts answering host-key questions from a script, recording what was asked. */
function scriptedPrompts(decisions: HostKeyDecision[]): SshPrompts & { asked: Array<{ alias: string; fingerprint: string; file: string; keyType?: string; otherKnownKeys?: unknown }> } {
  const asked: Array<{ alias: string; fingerprint: string; file: string; keyType?: string; otherKnownKeys?: unknown }> = []
  return {
    asked,
    hostKeyUnknown: async (req) => {
      asked.push({ alias: req.alias, fingerprint: req.key.fingerprint, file: req.key.knownHostsFile, ...(req.key.otherKnownKeys ? { keyType: req.key.keyType, otherKnownKeys: req.key.otherKnownKeys } : {}) })
      const d = decisions.shift()
      if (!d) throw new Error('no scripted decision left')
      return d
    },
    passphrase: () => Promise.reject(new Error('unexpected passphrase prompt'))
  }
}

describe('host keys against a real sshd', () => {
  let s: TestSshd
  let dir: string
  let shared: string
  let hostFp: string
  const pools: ManagedSshPool[] = []

  beforeAll(async () => {
    s = await startTestSshd()
    dir = mkdtempSync(join(tmpdir(), 'md-hostkeys-'))
    shared = mkdtempSync(join(tmpdir(), 'md-hostkeys-run-'))
    chmodSync(shared, 0o777)
    hostFp = execFileSync('ssh-keygen', ['-lf', `${s.hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1] as string
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.closeAll()))
  })
  afterAll(async () => {
    await s?.stop()
    rmSync(dir, { recursive: true, force: true })
    rmSync(shared, { recursive: true, force: true })
  })

  let n = 0
  /** A config with one alias for the test sshd; returns its path and the known_hosts it uses. */
  function config(strict: string, knownHosts?: string): { path: string; alias: string; knownHosts: string } {
    n++
    const kh = knownHosts ?? join(dir, `kh-${n}`, 'known_hosts')
    const path = join(dir, `config-${n}`)
    writeFileSync(
      path,
      [
        `Host site${n}`,
        `  HostName ${s.host}`,
        `  Port ${s.port}`,
        `  User ${s.user.name}`,
        `  IdentityFile ${s.clientKeyPath}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${kh}`,
        `  GlobalKnownHostsFile none`,
        `  StrictHostKeyChecking ${strict}`,
        ''
      ].join('\n')
    )
    return { path, alias: `site${n}`, knownHosts: kh }
  }

  function pool(configPath: string, prompts: SshPrompts): ManagedSshPool {
    const p = createSshPool({ configPath, prompts, secrets: createMemoryOnlySecretStore() })
    pools.push(p)
    return p
  }

  function publickeyLogins(): number {
    return (readFileSync(s.sshd.logPath, 'utf8').match(/publickey/g) ?? []).length
  }

  it('unknown key → prompt → accept-save writes known_hosts; the next connect needs no prompt', async () => {
    const c = config('ask')
    const prompts = scriptedPrompts(['accept-save'])
    const host = pool(c.path, prompts).host(c.alias, 'site-x')
    const states: ConnectionInfo[] = []
    host.onState((i) => states.push(i))
    const logins = publickeyLogins()
    expect((await host.exec({ argv: ['echo', 'ok'] })).stdout).toBe('ok\n')
    // (The log check used below to prove "no authentication" does see logins.)
    expect(publickeyLogins()).toBeGreaterThan(logins)
    expect(prompts.asked).toEqual([{ alias: c.alias, fingerprint: hostFp, file: c.knownHosts }])
    const waiting = states.find((i) => i.state === 'host-key-unknown')
    expect(waiting?.hostKey).toMatchObject({ host: s.host, port: s.port, keyType: 'ssh-ed25519', fingerprint: hostFp })
    expect(states.map((i) => i.state)).toEqual(['connecting', 'host-key-unknown', 'connecting', 'connected'])
    expect(states.at(-1)?.detail).toContain(`added the host key of ${c.alias} to ${c.knownHosts}`)
    // Written as OpenSSH writes it: OpenSSH's own tools find it, and ssh itself accepts it.
    expect(readFileSync(c.knownHosts, 'utf8')).toBe(`[${s.host}]:${s.port} ${s.hostKeyLine}\n`)
    expect(execFileSync('ssh-keygen', ['-F', `[${s.host}]:${s.port}`, '-f', c.knownHosts], { encoding: 'utf8' })).toContain('found: line 1')
    const strict = config('yes', c.knownHosts)
    expect(execFileSync('ssh', ['-F', strict.path, '-o', 'BatchMode=yes', strict.alias, 'echo', 'openssh-agrees'], { encoding: 'utf8' }).trim()).toBe('openssh-agrees')
    // A fresh pool (a new app run) connects without asking.
    const again = scriptedPrompts([])
    const host2 = pool(c.path, again).host(c.alias, 'site-x')
    await host2.connect()
    expect(again.asked).toEqual([])
  })

  it('an answer that comes after sshd gave up waiting is used at once, without asking again', async () => {
    const c = config('ask')
    const asked: string[] = []
    const prompts: SshPrompts = {
      hostKeyUnknown: async (req) => {
        asked.push(req.key.fingerprint)
        // The operator takes long: sshd (LoginGraceTime) drops the half-open login meanwhile.
        await s.killAll()
        await s.restart()
        return 'accept-save'
      },
      passphrase: () => Promise.reject(new Error('unexpected passphrase prompt'))
    }
    const host = pool(c.path, prompts).host(c.alias, 'site-x')
    const states: string[] = []
    host.onState((i) => states.push(i.state))
    expect((await host.exec({ argv: ['echo', 'late but fine'] })).stdout).toBe('late but fine\n')
    expect(asked).toEqual([hostFp])
    expect(states).not.toContain('unreachable')
    expect(readFileSync(c.knownHosts, 'utf8')).toContain(s.hostKeyLine)
  })

  it('connections meeting the same unknown key at once share one question and write one line', async () => {
    const first = config('ask')
    const second = config('ask', first.knownHosts)
    const both = join(dir, 'both_config')
    writeFileSync(both, readFileSync(first.path, 'utf8') + readFileSync(second.path, 'utf8'))
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const asked: string[] = []
    const prompts: SshPrompts = {
      hostKeyUnknown: async (req) => {
        asked.push(req.alias)
        await gate
        return 'accept-save'
      },
      passphrase: () => Promise.reject(new Error('unexpected passphrase prompt'))
    }
    const p = pool(both, prompts)
    const hosts = [p.host(first.alias, 'site-1'), p.host(second.alias, 'site-2')]
    const connecting = Promise.all(hosts.map((h) => h.connect()))
    for (let i = 0; i < 50 && hosts.some((h) => h.info.state !== 'host-key-unknown'); i++) await new Promise((r) => setTimeout(r, 20))
    expect(hosts.map((h) => h.info.state)).toEqual(['host-key-unknown', 'host-key-unknown'])
    release()
    await connecting
    expect(asked).toHaveLength(1)
    expect(readFileSync(first.knownHosts, 'utf8').trim().split('\n')).toHaveLength(1)
  })

  it('accept-save into a hashed known_hosts writes a hashed line', async () => {
    const kh = join(dir, 'hashed_known_hosts')
    const other = writeEd25519KeyPair(join(dir, 'other_host_key'), 'other')
    writeFileSync(kh, `elsewhere.example ${other.publicLine}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' })
    const c = config('ask', kh)
    await pool(c.path, scriptedPrompts(['accept-save'])).host(c.alias, 'site-x').connect()
    const lines = readFileSync(kh, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]?.startsWith('|1|')).toBe(true)
    expect(execFileSync('ssh-keygen', ['-F', `[${s.host}]:${s.port}`, '-f', kh], { encoding: 'utf8' })).toContain('found: line 2')
  })

  it('reject → ssh/host-key-rejected, nothing saved, no retry loop; connect() asks again', async () => {
    const c = config('ask')
    const prompts = scriptedPrompts(['reject', 'accept-once'])
    const host = pool(c.path, prompts).host(c.alias, 'site-x')
    const err = (await host.exec({ argv: ['true'] }).catch((e: unknown) => e)) as MinerDeskError
    expect(err).toBeInstanceOf(MinerDeskError)
    expect(err.code).toBe('ssh/host-key-rejected')
    expect(host.info.state).toBe('host-key-unknown')
    expect(host.info.hostKey?.fingerprint).toBe(hostFp)
    expect(existsSync(c.knownHosts)).toBe(false)
    // Commands fail at once with the same answer; the operator is not asked again by itself.
    const err2 = (await host.exec({ argv: ['true'] }).catch((e: unknown) => e)) as MinerDeskError
    expect(err2.code).toBe('ssh/host-key-rejected')
    await new Promise((r) => setTimeout(r, 1500))
    expect(prompts.asked).toHaveLength(1)
    await host.connect()
    expect(prompts.asked).toHaveLength(2)
    expect(host.info.state).toBe('connected')
    expect(existsSync(c.knownHosts)).toBe(false)
  })

  it('accept-once holds for this run only', async () => {
    const c = config('ask')
    const prompts = scriptedPrompts(['accept-once'])
    const p = pool(c.path, prompts)
    const host = p.host(c.alias, 'site-x')
    await host.connect()
    await host.close()
    await host.connect()
    expect(prompts.asked).toHaveLength(1)
    expect(existsSync(c.knownHosts)).toBe(false)
    const next = scriptedPrompts(['reject'])
    await expect(pool(c.path, next).host(c.alias, 'site-x').connect()).rejects.toMatchObject({ code: 'ssh/host-key-rejected' })
    expect(next.asked).toHaveLength(1)
  })

  it('StrictHostKeyChecking yes refuses unknown keys without asking; accept-new saves; no saves too (as OpenSSH) and warns for good', async () => {
    const yes = config('yes')
    const py = scriptedPrompts([])
    const hy = pool(yes.path, py).host(yes.alias, 'site-x')
    await expect(hy.connect()).rejects.toMatchObject({ code: 'ssh/host-key-unknown' })
    expect(hy.info.state).toBe('host-key-unknown')
    expect(py.asked).toEqual([])

    const an = config('accept-new')
    await pool(an.path, scriptedPrompts([])).host(an.alias, 'site-x').connect()
    expect(readFileSync(an.knownHosts, 'utf8')).toContain(s.hostKeyLine)

    const no = config('no')
    const hn = pool(no.path, scriptedPrompts([])).host(no.alias, 'site-x')
    const states: ConnectionInfo[] = []
    hn.onState((i) => states.push(i))
    await hn.connect()
    // OpenSSH's "Permanently added … to the list of known hosts": the key is recorded all the same.
    expect(readFileSync(no.knownHosts, 'utf8')).toContain(s.hostKeyLine)
    expect(hn.info).toMatchObject({ state: 'connected', hostKeyCheckingOff: [no.alias] })
    // The warning stays with the site in every state, not only while connecting.
    expect(states.length).toBeGreaterThan(1)
    expect(states.every((i) => i.hostKeyCheckingOff?.[0] === no.alias)).toBe(true)
    await hn.close()
    expect(hn.info.hostKeyCheckingOff).toEqual([no.alias])
  })

  it('a key of a new type is shown as such, with the type and fingerprint of the key already known', async () => {
    const kh = join(dir, 'other-type')
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-C', 'old', '-f', join(dir, 'old-ecdsa')])
    const oldLine = readFileSync(join(dir, 'old-ecdsa.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ')
    const oldFp = execFileSync('ssh-keygen', ['-lf', join(dir, 'old-ecdsa.pub')], { encoding: 'utf8' }).split(' ')[1]
    writeFileSync(kh, `# the host as it was\n[${s.host}]:${s.port} ${oldLine}\n`)
    const ask = config('ask', kh)
    const prompts = scriptedPrompts(['reject'])
    const err = (await pool(ask.path, prompts).host(ask.alias, 'site-x').connect().catch((e: unknown) => e)) as MinerDeskError
    expect(prompts.asked).toEqual([
      { alias: ask.alias, fingerprint: hostFp, file: kh, keyType: 'ssh-ed25519', otherKnownKeys: [{ keyType: 'ecdsa-sha2-nistp256', fingerprint: oldFp, file: kh, line: 2 }] }
    ])
    expect(err.code).toBe('ssh/host-key-rejected')
    expect(err.message).toContain(`ecdsa-sha2-nistp256 ${oldFp} (${kh} line 2)`)
    // StrictHostKeyChecking yes says the same in its refusal.
    const yes = config('yes', kh)
    const e2 = (await pool(yes.path, scriptedPrompts([])).host(yes.alias, 'site-x').connect().catch((e: unknown) => e)) as MinerDeskError
    expect(e2.message).toMatch(/has no ssh-ed25519 key in known_hosts.*Keys of another type are already known for this host: ecdsa-sha2-nistp256/)
    expect(readFileSync(kh, 'utf8')).toBe(`# the host as it was\n[${s.host}]:${s.port} ${oldLine}\n`)
  })

  describe('changed and revoked keys are refused whatever StrictHostKeyChecking says', () => {
    const cases = ['ask', 'accept-new', 'no', 'yes'] as const
    for (const strict of cases) {
      it(`changed key with StrictHostKeyChecking ${strict}: refused, nothing sent, nothing run`, async () => {
        const kh = join(dir, `changed-${strict}`)
        const wrong = writeEd25519KeyPair(join(dir, `wrong-${strict}`), 'wrong')
        writeFileSync(kh, `# first line\n[${s.host}]:${s.port} ${wrong.publicLine}\n`)
        const wrongFp = fingerprintSha256(Buffer.from(wrong.publicLine.split(' ')[1] as string, 'base64'))
        const c = config(strict, kh)
        const prompts = scriptedPrompts([])
        const host = pool(c.path, prompts).host(c.alias, 'site-x')
        const marker = join(shared, `ran-${strict}`)
        const before = publickeyLogins()
        const err = (await host.exec({ argv: ['touch', marker] }).catch((e: unknown) => e)) as MinerDeskError
        expect(err.code).toBe('ssh/host-key-changed')
        expect(err.message).toContain(hostFp)
        expect(err.message).toContain(wrongFp)
        expect(err.message).toContain(`${kh} line 2`)
        expect(err.hint).toContain(`ssh-keygen -R '[${s.host}]:${s.port}' -f ${kh}`)
        expect(host.info.state).toBe('host-key-changed')
        expect(host.info.hostKey).toMatchObject({ fingerprint: hostFp, expectedFingerprint: wrongFp, knownHostsFile: kh })
        expect(prompts.asked).toEqual([])
        await new Promise((r) => setTimeout(r, 200))
        expect(existsSync(marker)).toBe(false)
        // sshd saw no authentication attempt at all.
        expect(publickeyLogins()).toBe(before)
        expect(readFileSync(kh, 'utf8')).toBe(`# first line\n[${s.host}]:${s.port} ${wrong.publicLine}\n`)
      })
    }

    it('a @revoked key is refused', async () => {
      const kh = join(dir, 'revoked')
      writeFileSync(kh, `@revoked * ${s.hostKeyLine}\n[${s.host}]:${s.port} ${s.hostKeyLine}\n`)
      const c = config('no', kh)
      const host = pool(c.path, scriptedPrompts([])).host(c.alias, 'site-x')
      await expect(host.connect()).rejects.toMatchObject({ code: 'ssh/host-key-changed' })
      expect(host.info.state).toBe('host-key-changed')
      expect(host.info.detail).toMatch(/@revoked/)
    })

    it('a host whose key changes between connections is refused on reconnect', async () => {
      const c = config('ask', join(dir, 'regen_known_hosts'))
      writeFileSync(c.knownHosts, `[${s.host}]:${s.port} ${s.hostKeyLine}\n`)
      const host = pool(c.path, scriptedPrompts([])).host(c.alias, 'site-x')
      expect((await host.exec({ argv: ['echo', 'before'] })).stdout).toBe('before\n')
      await host.close()
      await s.changeHostKey()
      const marker = join(shared, 'ran-after-regen')
      const err = (await host.exec({ argv: ['touch', marker] }).catch((e: unknown) => e)) as MinerDeskError
      expect(err.code).toBe('ssh/host-key-changed')
      expect(host.info.state).toBe('host-key-changed')
      await new Promise((r) => setTimeout(r, 200))
      expect(existsSync(marker)).toBe(false)
      // Commands keep failing fast with the same refusal; nothing reconnects by itself.
      await expect(host.exec({ argv: ['touch', marker] })).rejects.toMatchObject({ code: 'ssh/host-key-changed' })
      expect(existsSync(marker)).toBe(false)
    })
  })
})
