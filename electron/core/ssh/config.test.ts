import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MinerDeskError } from '../../../preload/contract'
import { listAliases, parseProxyJump, resolveAlias, resolveRoute, type ResolveEnv, type ResolvedHost } from './config'

const dir = mkdtempSync(join(tmpdir(), 'md-sshcfg-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, text: string): string {
  const p = join(dir, name)
  mkdirSync(join(p, '..'), { recursive: true })
  writeFileSync(p, text)
  return p
}

/** The local facts OpenSSH itself uses (getpwuid, not $HOME), so `ssh -G` can be the oracle. */
const realEnv: ResolveEnv = {
  home: userInfo().homedir,
  localUser: userInfo().username,
  uid: userInfo().uid,
  localHostName: 'localhost.test',
  env: { ...process.env, MD_TEST_DIR: dir },
  globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']
}

/** `ssh -G`: OpenSSH's own resolution of the options we compare. */
function sshG(config: string, alias: string): Record<string, string> {
  const out = execFileSync('ssh', ['-G', '-F', config, alias], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, MD_TEST_DIR: dir } })
  const map: Record<string, string> = {}
  for (const line of out.split('\n')) {
    const m = /^(\S+) (.*)$/.exec(line)
    if (m && map[(m[1] as string).toLowerCase()] === undefined) map[(m[1] as string).toLowerCase()] = m[2] as string
  }
  return map
}

function comparable(r: ResolvedHost): Record<string, string> {
  return {
    hostname: r.hostName,
    port: String(r.port),
    user: r.user,
    proxyjump: r.proxyJump.map((j) => j.raw).join(','),
    userknownhostsfile: r.userKnownHostsFiles.join(' '),
    stricthostkeychecking: { yes: 'true', no: 'false', ask: 'ask', 'accept-new': 'accept-new' }[r.strictHostKeyChecking],
    connecttimeout: r.connectTimeoutMs === null ? 'none' : String(r.connectTimeoutMs / 1000),
    serveraliveinterval: String((r.serverAliveIntervalMs ?? 0) / 1000),
    identitiesonly: r.identitiesOnly ? 'yes' : 'no'
  }
}

function oracle(g: Record<string, string>): Record<string, string> {
  const keys = ['hostname', 'port', 'user', 'proxyjump', 'userknownhostsfile', 'stricthostkeychecking', 'connecttimeout', 'serveraliveinterval', 'identitiesonly']
  return Object.fromEntries(keys.map((k) => [k, g[k] ?? '']))
}

describe('resolveAlias agrees with ssh -G', () => {
  write('inc.d/10-web.conf', ['Host web*', '  User webops', '  Port 2201', ''].join('\n'))
  write('inc.d/20-db.conf', ['Host db1', '  HostName 10.0.0.21', 'Host web2', '  Port 2299', ''].join('\n'))
  write('inc.d/.hidden.conf', ['Host *', '  Port 1', ''].join('\n'))
  write('cond.conf', ['User conditional', 'Host db1', '  ConnectTimeout 3', ''].join('\n'))
  const config = write(
    'main.conf',
    [
      '# first match wins; Host * defaults go last',
      'Host miner1',
      '  HostName 192.0.2.10',
      '  user=ops',
      '  PORT 2222',
      '  ProxyJump bastion',
      '  UserKnownHostsFile ${MD_TEST_DIR}/kh_%h_%p "/tmp/with space/kh"',
      'Host miner1 miner2',
      '  HostName ignored-because-second',
      '  ServerAliveInterval 12',
      'Host miner*  !miner3',
      '  StrictHostKeyChecking accept-new',
      '  HostName %h.farm.example',
      'Host bastion',
      '  HostName Bastion.EXAMPLE',
      '  User jump',
      '  ProxyJump none',
      'Host web1',
      '  Include inc.d/none-such*.conf',
      `  Include ${dir}/inc.d/*.conf`,
      'Host nomatch',
      `  Include ${dir}/cond.conf`,
      'Match originalhost alias9 user root',
      '  HostName matched-by-originalhost',
      'Match host 10.0.0.*',
      '  IdentitiesOnly yes',
      'Match final host *.farm.example',
      '  ConnectTimeout 9',
      'Host *',
      '  User defaultuser',
      '  StrictHostKeyChecking no',
      '  ConnectTimeout 5',
      ''
    ].join('\n')
  )
  for (const alias of ['miner1', 'miner2', 'miner3', 'bastion', 'web1', 'web2', 'db1', 'nomatch', 'alias9', 'unlisted', 'UPPER.case']) {
    it(`resolves ${alias} like OpenSSH`, () => {
      expect(comparable(resolveAlias(config, alias, realEnv))).toEqual(oracle(sshG(config, alias)))
    })
  }

  it('keeps several IdentityFiles in order and expands tokens', () => {
    const p = write(
      'ids.conf',
      [
        'Host box',
        '  HostName 198.51.100.7',
        '  User alice',
        '  Port 2022',
        '  IdentityFile ~/.ssh/k_%h_%p_%r_%u_%%_%n',
        '  IdentityFile %d/other',
        'Host *',
        '  IdentityFile "/keys/with space"',
        ''
      ].join('\n')
    )
    const r = resolveAlias(p, 'box', realEnv)
    expect(r.identityFiles).toEqual([
      `${realEnv.home}/.ssh/k_198.51.100.7_2022_alice_${realEnv.localUser}_%_box`,
      `${realEnv.home}/other`,
      '/keys/with space'
    ])
    expect(sshG(p, 'box')['identityfile']).toBe('~/.ssh/k_%h_%p_%r_%u_%%_%n')
  })

  it('rejects unknown tokens and unset variables as config errors', () => {
    const p = write('badtok.conf', 'Host x\n  IdentityFile ~/.ssh/%Q\nHost y\n  UserKnownHostsFile ${MD_NOT_SET_ANYWHERE}/kh\n')
    expect(() => resolveAlias(p, 'x', realEnv)).toThrow(/unknown token %Q/)
    expect(() => resolveAlias(p, 'y', realEnv)).toThrow(/MD_NOT_SET_ANYWHERE/)
  })
})

describe('defaults and local files', () => {
  const home = join(dir, 'home')
  mkdirSync(join(home, '.ssh'), { recursive: true })
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'x')
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'x')
  const env: ResolveEnv = { home, localUser: 'me', uid: 1234, localHostName: 'laptop', env: {}, globalKnownHostsFiles: ['/g1'] }

  it('uses the OS user, port 22, existing default keys and ~/.ssh/known_hosts{,2}', () => {
    const p = write('home/.ssh/config', 'Host plain\n  HostName 203.0.113.5\n')
    const r = resolveAlias(p, 'plain', env)
    expect(r).toMatchObject({ hostName: '203.0.113.5', port: 22, user: 'me', userConfigured: false, strictHostKeyChecking: 'ask' })
    expect(r.identityFiles).toEqual([join(home, '.ssh', 'id_rsa'), join(home, '.ssh', 'id_ed25519')])
    expect(r.userKnownHostsFiles).toEqual([join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')])
    expect(r.globalKnownHostsFiles).toEqual(['/g1'])
    expect(r.connectTimeoutMs).toBeNull()
  })

  it('reads relative Include from ~/.ssh with globs, in sorted order', () => {
    write('home/.ssh/conf.d/b.conf', 'Host site-b\n  HostName b.example\n  Port 2\n')
    write('home/.ssh/conf.d/a.conf', 'Host site-b\n  Port 1\n  User from-a\n')
    const p = write('home/.ssh/config2', 'Include conf.d/*.conf\nHost *\n  User fallback\n')
    expect(resolveAlias(p, 'site-b', env)).toMatchObject({ hostName: 'b.example', port: 1, user: 'from-a' })
  })

  it('skips Match blocks it cannot evaluate, with a warning, and never runs exec', () => {
    const marker = join(dir, 'exec-ran')
    const p = write('match.conf', `Match exec "touch ${marker}"\n  HostName from-exec\nMatch localnetwork 10.0.0.0/8\n  Port 99\nHost m\n  User u\n`)
    const r = resolveAlias(p, 'm', env)
    expect(r.hostName).toBe('m')
    expect(r.port).toBe(22)
    expect(r.warnings).toHaveLength(2)
    expect(r.warnings[0]).toMatch(/Match exec/)
    expect(existsSync(marker)).toBe(false)
  })

  it('reports a missing, unreadable or malformed config as ssh/config', () => {
    const missing = join(dir, 'nope.conf')
    const catchIt = (f: () => unknown): MinerDeskError => {
      try {
        f()
      } catch (err) {
        return err as MinerDeskError
      }
      throw new Error('did not throw')
    }
    const e1 = catchIt(() => resolveAlias(missing, 'x', env))
    expect(e1).toBeInstanceOf(MinerDeskError)
    expect(e1.code).toBe('ssh/config')
    expect(e1.message).toContain(missing)
    expect(catchIt(() => resolveAlias(dir, 'x', env)).code).toBe('ssh/config')
    const bad = write('bad.conf', 'Host x\n  HostName "unterminated\n')
    expect(catchIt(() => resolveAlias(bad, 'x', env)).message).toMatch(/cannot parse/)
    expect(catchIt(() => resolveAlias(write('badport.conf', 'Port 70000\n'), 'x', env)).message).toMatch(/out of range/)
    expect(catchIt(() => listAliases(missing, env)).code).toBe('ssh/config')
  })
})

describe('ProxyJump routes', () => {
  const env: ResolveEnv = { ...realEnv, home: join(dir, 'home') }
  const p = write(
    'jump.conf',
    [
      'Host C',
      '  HostName 127.0.0.3',
      '  ProxyJump A,ops@B:2202',
      'Host B',
      '  HostName 127.0.0.2',
      '  ProxyJump ignored-when-reached-with-J',
      '  User buser',
      'Host A',
      '  HostName 127.0.0.1',
      '  ProxyJump ssh://root@gate:2000',
      'Host gate',
      '  HostName gate.example',
      'Host loop1',
      '  ProxyJump loop2',
      'Host loop2',
      '  ProxyJump loop1',
      'Host viaCmd',
      '  ProxyCommand ssh -W %h:%p gate',
      'Host direct',
      '  ProxyJump none',
      '  ProxyCommand nc %h %p',
      'Host *',
      '  User everyone',
      ''
    ].join('\n')
  )

  it('expands hops like ssh -J, each hop resolved through the config', () => {
    const r = resolveRoute(p, 'C', env)
    expect(r.hops.map((h) => `${h.alias}=${h.user}@${h.hostName}:${h.port}`)).toEqual([
      'gate=root@gate.example:2000',
      'A=everyone@127.0.0.1:22',
      'B=ops@127.0.0.2:2202'
    ])
    expect(r.target).toMatchObject({ alias: 'C', hostName: '127.0.0.3', user: 'everyone' })
    // What OpenSSH runs for the last hop: `ssh -l ops -p 2202 -J A B`, so B's own ProxyJump is unused.
    expect(sshG(p, 'C')['proxyjump']).toBe('A,ops@B:2202')
  })

  it('treats ProxyJump none as direct, and the first of ProxyJump/ProxyCommand wins', () => {
    expect(resolveRoute(p, 'direct', env).hops).toEqual([])
    expect(() => resolveRoute(p, 'viaCmd', env)).toThrow(/ProxyCommand/)
  })

  it('detects loops', () => {
    expect(() => resolveRoute(p, 'loop1', env)).toThrow(/loop/)
  })

  it('parses hop syntax', () => {
    expect(parseProxyJump('a, u@b:2, ssh://v@c:3/, [::1]:4')).toEqual([
      { raw: 'a', host: 'a' },
      { raw: 'u@b:2', host: 'b', user: 'u', port: 2 },
      { raw: 'ssh://v@c:3/', host: 'c', user: 'v', port: 3 },
      { raw: '[::1]:4', host: '::1', port: 4 }
    ])
    expect(parseProxyJump('none')).toEqual([])
    expect(() => parseProxyJump('x:99999')).toThrow(/out of range/)
  })
})

describe('listAliases', () => {
  it('lists concrete Host names (also from Include), resolved, skipping patterns', () => {
    const env: ResolveEnv = { ...realEnv, home: join(dir, 'home') }
    write('list/extra.conf', 'Host worker-1 worker-2\n  ProxyJump miner\n  User w\n')
    const p = write(
      'list/config',
      [
        `Include ${dir}/list/extra.conf`,
        'Host miner !nope *.farm',
        '  HostName 10.1.1.1',
        '  Port 2222',
        '  IdentityFile /k/miner',
        'Host broken',
        '  IdentityFile /k/%Z',
        'Host *',
        '  User ops',
        ''
      ].join('\n')
    )
    const { aliases, warnings } = listAliases(p, env)
    const defaults = [join(env.home, '.ssh', 'id_rsa'), join(env.home, '.ssh', 'id_ed25519')]
    expect(aliases).toEqual([
      { alias: 'worker-1', hostName: 'worker-1', port: 22, user: 'w', proxyJump: ['miner'], identityFiles: defaults },
      { alias: 'worker-2', hostName: 'worker-2', port: 22, user: 'w', proxyJump: ['miner'], identityFiles: defaults },
      { alias: 'miner', hostName: '10.1.1.1', port: 2222, user: 'ops', proxyJump: [], identityFiles: ['/k/miner'] }
    ])
    expect(warnings.join('\n')).toMatch(/broken: .*%Z/)
  })
})
