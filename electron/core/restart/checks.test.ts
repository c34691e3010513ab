import { describe, expect, it } from 'vitest'
import { secretFingerprint } from '../util/redact'
import { checkEnv, envProblems, jobEffect, versionMatches } from './checks'

describe('miner environment check', () => {
  it('compares values, accepts any value for *, and lists what is wrong', () => {
    const env = checkEnv({ RUST_LOG: 'info', TMPDIR: '*', FIL_PROOFS_USE_GPU_TREE_BUILDER: '1' }, { RUST_LOG: 'debug', TMPDIR: '/data/tmp', HOME: '/root' })
    expect(env.ok).toBe(false)
    expect(env.rows).toEqual([
      { name: 'FIL_PROOFS_USE_GPU_TREE_BUILDER', expected: '1', actual: null, ok: false },
      { name: 'RUST_LOG', expected: 'info', actual: 'debug', ok: false },
      { name: 'TMPDIR', expected: '*', actual: '/data/tmp', ok: true }
    ])
    expect(envProblems(env)).toBe('FIL_PROOFS_USE_GPU_TREE_BUILDER is not set (expected 1); RUST_LOG=debug (expected info)')
  })

  it('compares secrets by fingerprint and never returns a token', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.c2lnbmF0dXJlc2lnbmF0dXJl'
    const addr = '/ip4/127.0.0.1/tcp/1234/http'
    const fp = `[token ${secretFingerprint(jwt)}]:${addr}`
    // The expected value as configured (raw) or as stored (fingerprinted) matches the same running token.
    for (const expected of [`${jwt}:${addr}`, fp]) {
      const env = checkEnv({ FULLNODE_API_INFO: expected }, { FULLNODE_API_INFO: `${jwt}:${addr}` })
      expect(env).toEqual({ readable: true, ok: true, rows: [{ name: 'FULLNODE_API_INFO', expected: fp, actual: fp, ok: true }] })
    }
    // Another token (after `lotus auth create-token`) differs, and says so without showing either.
    const other = checkEnv({ FULLNODE_API_INFO: fp }, { FULLNODE_API_INFO: `${jwt}x:${addr}` })
    expect(other.ok).toBe(false)
    expect(JSON.stringify(other)).not.toContain('eyJ')
    expect(envProblems(other)).toMatch(/^FULLNODE_API_INFO=\[token sha256:[0-9a-f]{12}\]:\/ip4\/127\.0\.0\.1\/tcp\/1234\/http \(expected \[token sha256:[0-9a-f]{12}\]:/)
    // A token-only value, and a variable named like a secret.
    expect(checkEnv({ MINER_API_INFO: '*', LOTUS_TOKEN: '*' }, { MINER_API_INFO: jwt, LOTUS_TOKEN: 'abc' }).rows.map((r) => r.actual)).toEqual([`[token ${secretFingerprint('abc')}]`, `[token ${secretFingerprint(jwt)}]`])
  })

  it('treats an empty value as set, and an unreadable environment as failed unless nothing is expected', () => {
    expect(checkEnv({ X: '*' }, { X: '' }).ok).toBe(true)
    expect(checkEnv({ X: '*' }, null)).toMatchObject({ readable: false, ok: false })
    expect(envProblems(checkEnv({ X: '*' }, null))).toMatch(/could not be read/)
    expect(checkEnv({}, null).ok).toBe(true)
  })
})

describe('version check', () => {
  it('wants the same version string after a plain restart', () => {
    expect(versionMatches('1.36.2-dev+mainnet+git.b835fab7', '1.36.2-dev+mainnet+git.b835fab7', true)).toBe(true)
    expect(versionMatches('1.36.2-dev+mainnet+git.b835fab8', '1.36.2-dev+mainnet+git.b835fab7', true)).toBe(false)
  })
  it('accepts the release the operator typed for an upgrade', () => {
    expect(versionMatches('1.36.2+mainnet+git.abc', '1.36.2', false)).toBe(true)
    expect(versionMatches('v1.36.2-dev+mainnet', '1.36.2', false)).toBe(true)
    expect(versionMatches('1.36.20+mainnet', '1.36.2', false)).toBe(false)
    expect(versionMatches('1.35.0+mainnet', '1.36.2', false)).toBe(false)
  })
})

describe('what a restart does to a job', () => {
  it('running jobs go on, returns wait for the miner, queued ones are scheduled again', () => {
    expect(jobEffect({ state: 'running' })).toBe('continues')
    expect(jobEffect({ state: 'ret-wait' })).toBe('returns')
    expect(jobEffect({ state: 'assigned' })).toBe('requeued')
    expect(jobEffect({ state: 'prepared' })).toBe('requeued')
  })
})
