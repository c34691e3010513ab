import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fingerprintSha256, keyTypeOfBlob, preferredHostKeyAlgorithms } from './hostKey'
import { addKnownHost, checkKnownHosts, findHostEntries, knownHostName, knownKeyTypes } from './knownHosts'

const dir = mkdtempSync(join(tmpdir(), 'md-kh-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Key {
  type: string
  blob: Buffer
  line: string
  pub: string
}

function keygen(name: string, type: string): Key {
  const path = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', path])
  const pubLine = readFileSync(`${path}.pub`, 'utf8').trim()
  const [t, b64] = pubLine.split(' ') as [string, string]
  return { type: t, blob: Buffer.from(b64, 'base64'), line: `${t} ${b64}`, pub: `${path}.pub` }
}

const ed = keygen('ed', 'ed25519')
const ec = keygen('ec', 'ecdsa')
const rsa = keygen('rsa', 'rsa')
const ed2 = keygen('ed2', 'ed25519')

/** What `ssh-keygen -F name -f file` finds: line numbers with their marker. */
function sshKeygenFind(file: string, name: string): string[] {
  let out = ''
  try {
    out = execFileSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return []
  }
  return [...out.matchAll(/^# Host .* found: line (\d+) ?(\S*)/gm)].map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ''}`)
}

function lineOf(file: string, line: number): string {
  return readFileSync(file, 'utf8').split('\n')[line - 1] ?? ''
}

function ours(file: string, host: string, port: number): string[] {
  const markers = { revoked: ' REVOKED', 'cert-authority': ' CA' } as const
  return findHostEntries(file, host, port).map((e) => `${e.line}${e.marker ? markers[e.marker] : ''}`)
}

const plainText = [
  '# a comment',
  `miner1.farm.example,10.0.0.5 ${ed.line} comment here`,
  `[10.0.0.5]:2222 ${ec.line}`,
  `*.farm.example,!bad.farm.example ${rsa.line}`,
  '',
  `@revoked * ${ed2.line}`,
  `@cert-authority *.ca.example ${ed.line}`,
  `Worker7.Farm.Example ${ec.line}`,
  '# ssh-keygen -H refuses files with broken lines; those are tested on their own',
  `10.0.0.9 ${ed.line}`
].join('\n')

const probes: Array<[string, number]> = [
  ['miner1.farm.example', 22],
  ['10.0.0.5', 22],
  ['10.0.0.5', 2222],
  ['x.farm.example', 22],
  ['bad.farm.example', 22],
  ['worker7.farm.example', 22],
  ['host.ca.example', 22],
  ['10.0.0.9', 22],
  ['10.0.0.9', 2200],
  ['nowhere.example', 22]
]

describe('known_hosts lookups agree with ssh-keygen -F', () => {
  const plain = join(dir, 'known_hosts')
  writeFileSync(plain, plainText)
  const hashed = join(dir, 'known_hosts.hashed')
  copyFileSync(plain, hashed)
  execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' })

  it('ssh-keygen -H really hashed the names', () => {
    const text = readFileSync(hashed, 'utf8')
    expect(text).toContain('|1|')
    expect(text).not.toContain('miner1.farm.example')
  })

  for (const [host, port] of probes) {
    it(`finds the same lines for ${knownHostName(host, port)} (plain and hashed)`, () => {
      const name = knownHostName(host, port)
      expect(ours(plain, host, port)).toEqual(sshKeygenFind(plain, name))
      expect(ours(hashed, host, port)).toEqual(sshKeygenFind(hashed, name))
    })
  }

  it.each([plain, hashed])('classifies keys in %s', (file) => {
    expect(checkKnownHosts([file], 'miner1.farm.example', 22, ed.type, ed.blob)).toMatchObject({ status: 'match' })
    expect(checkKnownHosts([file], '10.0.0.5', 2222, ec.type, ec.blob)).toMatchObject({ status: 'match' })
    expect(checkKnownHosts([file], 'X.Farm.Example', 22, rsa.type, rsa.blob)).toMatchObject({ status: 'match' })
    // Negated: bad.farm.example has no entry of its own.
    expect(checkKnownHosts([file], 'bad.farm.example', 22, rsa.type, rsa.blob)).toEqual({ status: 'unknown', otherTypes: [], others: [] })
    // Same type, other key: changed, naming where the expected key is.
    const changed = checkKnownHosts([file], 'miner1.farm.example', 22, ed2.type, Buffer.from(keygen(`ed-${file.length}`, 'ed25519').blob))
    expect(changed.status).toBe('changed')
    if (changed.status === 'changed') {
      expect(changed.expected).toMatchObject([{ keyType: 'ssh-ed25519', fingerprint: fingerprintSha256(ed.blob), file }])
      expect(lineOf(file, changed.expected[0]?.line ?? 0)).toContain(ed.line)
    }
    // Other type only: unknown, with the known types listed.
    expect(checkKnownHosts([file], 'miner1.farm.example', 22, ec.type, ec.blob)).toMatchObject({ status: 'unknown', otherTypes: ['ssh-ed25519', 'ssh-rsa'], others: [{ keyType: 'ssh-ed25519', fingerprint: expect.stringMatching(/^SHA256:/), file }, { keyType: 'ssh-rsa', file }] })
    // @revoked applies to every host and wins over everything.
    const revoked = checkKnownHosts([file], 'anything.example', 22, ed2.type, ed2.blob)
    expect(revoked).toMatchObject({ status: 'revoked', file })
    if (revoked.status === 'revoked') expect(lineOf(file, revoked.line)).toBe(`@revoked * ${ed2.line}`)
    // @cert-authority lines are not host keys.
    expect(checkKnownHosts([file], 'host.ca.example', 22, ed.type, ed.blob)).toEqual({ status: 'unknown', otherTypes: [], others: [] })
    // Port 22 entries do not cover other ports.
    expect(checkKnownHosts([file], '10.0.0.9', 2200, ed.type, ed.blob)).toEqual({ status: 'unknown', otherTypes: [], others: [] })
  })

  it('skips lines it cannot read, as OpenSSH does', () => {
    const file = join(dir, 'broken')
    writeFileSync(file, `garbage line\n@bogus-marker h ${ed.line}\n1024 35 12345 old-ssh1-key\nh ${ed.line}\n`)
    expect(checkKnownHosts([file], 'h', 22, ed.type, ed.blob)).toEqual({ status: 'match', file, line: 4 })
  })

  it('checks several files, absent ones included', () => {
    expect(checkKnownHosts([join(dir, 'absent'), plain], '10.0.0.9', 22, ed.type, ed.blob)).toEqual({ status: 'match', file: plain, line: 10 })
    expect(knownKeyTypes([plain], 'miner1.farm.example', 22)).toEqual(['ssh-ed25519', 'ssh-rsa'])
  })
})

describe('fingerprints and key blobs', () => {
  it.each([ed, ec, rsa])('matches ssh-keygen -lf for %#', (k) => {
    const out = execFileSync('ssh-keygen', ['-lf', k.pub], { encoding: 'utf8' })
    expect(out.split(' ')[1]).toBe(fingerprintSha256(k.blob))
    expect(keyTypeOfBlob(k.blob)).toBe(k.type)
  })

  it('offers algorithms for known key types first', () => {
    expect(preferredHostKeyAlgorithms(['ssh-rsa']).slice(0, 4)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519'])
    expect(preferredHostKeyAlgorithms([])[0]).toBe('ssh-ed25519')
  })
})

describe('addKnownHost', () => {
  it('creates the file 0600 and its directory, plain names, found by ssh-keygen', () => {
    const file = join(dir, 'new', 'sub', 'known_hosts')
    addKnownHost(file, '127.0.0.1', 2222, ed.type, ed.blob)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'new', 'sub')).mode & 0o777).toBe(0o700)
    expect(readFileSync(file, 'utf8')).toBe(`[127.0.0.1]:2222 ${ed.line}\n`)
    expect(sshKeygenFind(file, '[127.0.0.1]:2222')).toEqual(['1'])
    expect(checkKnownHosts([file], '127.0.0.1', 2222, ed.type, ed.blob)).toMatchObject({ status: 'match' })
  })

  it('hashes the name when the file already has hashed entries, and fixes a missing final newline', () => {
    const file = join(dir, 'hashed_add')
    writeFileSync(file, `plain.example ${ec.line}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' })
    writeFileSync(file, readFileSync(file, 'utf8').trimEnd())
    const line = addKnownHost(file, 'Site.Example', 22, rsa.type, rsa.blob)
    expect(line.startsWith('|1|')).toBe(true)
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3)
    expect(sshKeygenFind(file, 'site.example')).toEqual(['2'])
    expect(sshKeygenFind(file, 'plain.example')).toEqual(['1'])
    expect(existsSync(`${file}.old`)).toBe(true)
  })
})
