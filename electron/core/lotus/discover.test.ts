import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LocalSshHost } from '../../../test/support/localSshHost'
import { buildCommandLine } from '../../common/shellQuote'
import { DISCOVER_SCRIPT, discoverCommand, discoverEndpoints, parseDiscoverOutput, resolveEndpoint, type DiscoverFacts, type Discovery, type EndpointResult } from './discover'

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.s3cr3t'

function ok(r: EndpointResult) {
  if (!r.ok) throw new Error(`expected an endpoint, got ${r.error.code}: ${r.error.message}`)
  return r.endpoint
}
function err(r: EndpointResult) {
  if (r.ok) throw new Error('expected an error')
  return r.error
}

describe('discovery over one remote command', () => {
  let home: string
  let host: LocalSshHost
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'md-discover-'))
    host = new LocalSshHost({ alias: 'site-a', env: { HOME: home } })
  })
  afterEach(() => rmSync(home, { recursive: true, force: true }))

  const repo = (dir: string, api: string | null, token: string | null) => {
    mkdirSync(join(home, dir), { recursive: true })
    if (api !== null) writeFileSync(join(home, dir, 'api'), api)
    if (token !== null) writeFileSync(join(home, dir, 'token'), token)
  }

  it('reads ~/.lotus and ~/.lotusminer api and token files by default, with one exec', async () => {
    repo('.lotus', '/ip4/0.0.0.0/tcp/1234/http\n', `${TOKEN}\n`)
    repo('.lotusminer', '/ip4/127.0.0.1/tcp/2345/http', 'minertoken')
    const d = await discoverEndpoints(host)
    expect(host.counters.execs).toBe(1)
    const daemon = ok(d.daemon)
    expect(daemon).toMatchObject({ host: '127.0.0.1', port: 1234, tls: false, source: 'repo', repoPath: join(home, '.lotus'), envVar: null })
    expect(daemon.token?.reveal()).toBe(TOKEN)
    expect(ok(d.miner)).toMatchObject({ port: 2345, source: 'repo', repoPath: join(home, '.lotusminer') })
    expect(d.home).toBe(home)
  })

  it('prefers FULLNODE_API_INFO / MINER_API_INFO over the repo files', async () => {
    repo('.lotus', '/ip4/127.0.0.1/tcp/1234/http', 'filetoken')
    host.env['FULLNODE_API_INFO'] = `${TOKEN}:/ip4/10.0.0.5/tcp/1235/http`
    host.env['MINER_API_INFO'] = '/ip4/127.0.0.1/tcp/2346/http'
    const d = await discoverEndpoints(host)
    const daemon = ok(d.daemon)
    expect(daemon).toMatchObject({ host: '10.0.0.5', port: 1235, source: 'env', envVar: 'FULLNODE_API_INFO' })
    expect(daemon.token?.reveal()).toBe(TOKEN)
    const miner = ok(d.miner)
    expect(miner).toMatchObject({ port: 2346, source: 'env', envVar: 'MINER_API_INFO', token: null })
  })

  it('falls back to the deprecated STORAGE_API_INFO and LOTUS_STORAGE_PATH, expanding ~', async () => {
    host.env['STORAGE_API_INFO'] = 'tok:/ip4/127.0.0.1/tcp/2999/http'
    expect(ok((await discoverEndpoints(host)).miner)).toMatchObject({ port: 2999, envVar: 'STORAGE_API_INFO' })
    delete host.env['STORAGE_API_INFO']
    repo('miner-repo', '/ip4/127.0.0.1/tcp/2444/http', 't')
    host.env['LOTUS_STORAGE_PATH'] = '~/miner-repo'
    expect(ok((await discoverEndpoints(host)).miner)).toMatchObject({ port: 2444, repoPath: join(home, 'miner-repo') })
    repo('miner-repo2', '/ip4/127.0.0.1/tcp/2555/http', 't')
    host.env['LOTUS_MINER_PATH'] = join(home, 'miner-repo2')
    expect(ok((await discoverEndpoints(host)).miner)).toMatchObject({ port: 2555 })
  })

  it('honours LOTUS_PATH for the daemon', async () => {
    repo('data/lotus', '/ip4/127.0.0.1/tcp/1777/http', 't')
    host.env['LOTUS_PATH'] = join(home, 'data/lotus')
    expect(ok((await discoverEndpoints(host)).daemon)).toMatchObject({ port: 1777, repoPath: join(home, 'data/lotus') })
  })

  it('says what is missing: no repo, no api file (not running), unreadable file', async () => {
    let d = await discoverEndpoints(host)
    expect(err(d.daemon)).toMatchObject({ code: 'lotus/no-api-info', message: '~/.lotus does not exist on site-a: is the lotus daemon set up for this login?' })
    repo('.lotusminer', null, 'tok')
    d = await discoverEndpoints(host)
    expect(err(d.miner)).toMatchObject({ code: 'lotus/no-api-info', message: 'no api file in ~/.lotusminer: is lotus-miner running?' })
    repo('.lotus', '/ip4/127.0.0.1/tcp/1234/http', 'tok')
    chmodSync(join(home, '.lotus', 'api'), 0o000)
    d = await discoverEndpoints(host)
    if (process.getuid?.() === 0) {
      // root reads anything: the file is found.
      expect(d.daemon.ok).toBe(true)
    } else {
      expect(err(d.daemon).message).toMatch(/not readable/)
    }
  })

  it('continues without a token when the token file is missing (Lotus then has read rights)', async () => {
    repo('.lotusminer', '/ip4/127.0.0.1/tcp/2345/http', null)
    expect(ok((await discoverEndpoints(host)).miner).token).toBeNull()
  })

  it('never puts the token into errors, JSON or logs', async () => {
    host.env['MINER_API_INFO'] = `${TOKEN}:/ip4/127.0.0.1/tcp/notaport/http`
    repo('.lotus', '/ip4/127.0.0.1/tcp/1234/http', TOKEN)
    const d: Discovery = await discoverEndpoints(host)
    const e = err(d.miner)
    expect(e.message).toMatch(/MINER_API_INFO/)
    expect(JSON.stringify(e)).not.toContain('s3cr3t')
    expect(JSON.stringify(d)).not.toContain('s3cr3t')
    expect(inspect(d, { depth: 10 })).not.toContain('s3cr3t')
    expect(`${ok(d.daemon).token}`).toBe('[redacted]')
  })

  it('an *_API_INFO holding only a token is never quoted in the error (only its fingerprint)', async () => {
    for (const only of [TOKEN, 'opaque-token-without-address']) {
      host.env['FULLNODE_API_INFO'] = only
      const e = err((await discoverEndpoints(host)).daemon)
      expect(e.message).toMatch(/FULLNODE_API_INFO/)
      expect(JSON.stringify(e)).not.toContain(only)
      expect(e.details ?? '').toMatch(/\[token sha256:[0-9a-f]{12}\]/)
    }
  })

  it('keeps working when a shell profile prints noise, and with odd bytes in values', async () => {
    repo('.lotus', '/ip4/127.0.0.1/tcp/1234/http', 'tok')
    host.env['LOTUS_MINER_PATH'] = join(home, "it's a \"dir\"\nwith newline")
    const line = `echo 'Welcome to the miner!'; ${buildCommandLine(discoverCommand())}`
    const res = await host.exec({ line })
    const facts = parseDiscoverOutput(res.stdout)
    expect(facts.miner.path).toBe(join(home, "it's a \"dir\"\nwith newline"))
    expect(facts.miner.exists).toBe(false)
    expect(facts.daemon.api).toEqual({ state: 'ok', text: '/ip4/127.0.0.1/tcp/1234/http' })
  })

  it('names an unreadable api file (pure decision, independent of who runs the test)', () => {
    const facts: DiscoverFacts = {
      env: { HOME: '/home/op' },
      daemon: { path: '/home/op/.lotus', exists: true, api: { state: 'unreadable' }, token: { state: 'unreadable' } },
      miner: { path: '/srv/miner', exists: true, api: { state: 'ok', text: 'garbage' }, token: { state: 'missing' } }
    }
    expect(err(resolveEndpoint(facts, 'daemon', 'a'))).toMatchObject({ message: '~/.lotus/api is not readable by the SSH login on a' })
    expect(err(resolveEndpoint(facts, 'miner', 'a'))).toMatchObject({ message: '/srv/miner/api on a does not hold a usable address' })
    facts.env.FULLNODE_API_INFO = ''
    expect(err(resolveEndpoint(facts, 'daemon', 'a')).message).toBe('FULLNODE_API_INFO is set on a but holds no address')
  })

  it('is one line without single quotes or "!", so any login shell passes sh -c through', () => {
    expect(DISCOVER_SCRIPT).not.toMatch(/[\n'!]/)
    expect(buildCommandLine(discoverCommand())).toBe(`sh -c '${DISCOVER_SCRIPT}'`)
  })

  it('reports a command that did not finish as an SSH command failure', () => {
    expect(() => parseDiscoverOutput('@minerdesk-discover@ U HOME\n')).toThrow(/END/)
  })

  it('passes SSH failures through untouched', async () => {
    host.setReachable(false)
    await expect(discoverEndpoints(host)).rejects.toMatchObject({ code: 'ssh/unreachable' })
  })
})
