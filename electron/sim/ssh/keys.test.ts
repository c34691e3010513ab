import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { publicKeyBody, writeEd25519KeyPair } from './keys'

const dir = mkdtempSync(join(tmpdir(), 'md-keys-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ed25519 key files', () => {
  it('writes an OpenSSH private key that ssh-keygen reads back to the same public key', () => {
    const k = writeEd25519KeyPair(join(dir, 'id_ed25519'), 'me@sim')
    expect(statSync(k.privatePath).mode & 0o777).toBe(0o600)
    expect(readFileSync(k.privatePath, 'utf8')).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END OPENSSH PRIVATE KEY-----\n$/)
    const derived = execFileSync('ssh-keygen', ['-y', '-f', k.privatePath], { encoding: 'utf8' }).trim()
    expect(publicKeyBody(derived)).toBe(publicKeyBody(k.publicLine))
    expect(readFileSync(k.publicPath, 'utf8')).toBe(`${k.publicLine}\n`)
    expect(k.publicLine).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* me@sim$/)
  })

  it('makes a new key every time', () => {
    const a = writeEd25519KeyPair(join(dir, 'a'), 'a')
    const b = writeEd25519KeyPair(join(dir, 'b'), 'b')
    expect(publicKeyBody(a.publicLine)).not.toBe(publicKeyBody(b.publicLine))
  })
})
