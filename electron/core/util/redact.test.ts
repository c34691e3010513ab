import { describe, expect, it } from 'vitest'
import { redactDeep, redactEnvValue, redactSecrets, secretFingerprint } from './redact'

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.Zm9vYmFyYmF6'
const fp = (s: string) => `[token ${secretFingerprint(s)}]`

describe('redactSecrets', () => {
  it.each([
    [`curl -H 'Authorization: Bearer ${JWT}' http://127.0.0.1:1234/rpc/v0`, `curl -H 'Authorization: Bearer ${fp(JWT)}' http://127.0.0.1:1234/rpc/v0`],
    [`FULLNODE_API_INFO=${JWT}:/ip4/127.0.0.1/tcp/1234/http lotus-miner run`, `FULLNODE_API_INFO=${fp(JWT)}:/ip4/127.0.0.1/tcp/1234/http lotus-miner run`],
    ['MINER_API_INFO=opaqueKey123:/ip4/10.0.0.1/tcp/2345/http ./runworker.sh', `MINER_API_INFO=${fp('opaqueKey123')}:/ip4/10.0.0.1/tcp/2345/http ./runworker.sh`],
    // A token-only *_API_INFO (no address) loses its token all the same.
    ['FULLNODE_API_INFO=opaqueKey123 lotus-miner run', `FULLNODE_API_INFO=${fp('opaqueKey123')} lotus-miner run`],
    [`"FULLNODE_API_INFO=${JWT}" is not an address`, `"FULLNODE_API_INFO=${fp(JWT)}" is not an address`],
    ['export X=abcdefghijklmnopqrstuvwx:/ip4/10.0.0.1/tcp/2345/http', `export X=${fp('abcdefghijklmnopqrstuvwx')}:/ip4/10.0.0.1/tcp/2345/http`],
    ['ssh-add --passphrase hunter2 key', 'ssh-add --passphrase [redacted] key'],
    ['{"token":"abc123","x":1}', `{"token":"${fp('abc123')}","x":1}`],
    ['ws://host/rpc/v0?token=abc123&x=1', `ws://host/rpc/v0?token=${fp('abc123')}&x=1`],
    [`token was ${JWT}`, `token was ${fp(JWT)}`],
    [`key ${'7b22'.repeat(40)} exported`, `key ${fp('7b22'.repeat(40))} exported`]
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
    // Idempotent: redacting redacted text changes nothing.
    expect(redactSecrets(expected)).toBe(expected)
  })

  it('leaves ordinary commands alone', () => {
    const cmds = [
      'lotus-miner sectors update-state --really-do-it 100 Committing',
      'Filecoin.SectorsUpdate [100,"Committing"]',
      'Filecoin.SealingAbort [{"Sector":{"Miner":1000,"Number":9},"ID":"07070707-0707-0707-0707-070707070707"}]',
      'lotus mpool replace --auto --fee-limit 0.5 f3abc 17',
      'MINER_API_INFO=/ip4/127.0.0.1/tcp/2345/http lotus-worker run',
      'export FULLNODE_API_INFO=$(lotus auth api-info --perm admin | cut -d= -f2-)',
      'FULLNODE_API_INFO=http://127.0.0.1:1234/rpc/v1 lotus-miner run',
      'FULLNODE_API_INFO=ws://10.0.0.2:1234 lotus-miner run',
      'eth tx 0x' + 'ab'.repeat(32),
      'bafy2bzacecnamqgqmifpluoeldx7zzglxcljo6oja4vrmtj7432rphldpdmm2'
    ]
    for (const c of cmds) expect(redactSecrets(c)).toBe(c)
  })
})

describe('redactEnvValue', () => {
  it('keeps the address of an API info and fingerprints its token', () => {
    expect(redactEnvValue('FULLNODE_API_INFO', `${JWT}:/ip4/127.0.0.1/tcp/1234/http`)).toBe(`${fp(JWT)}:/ip4/127.0.0.1/tcp/1234/http`)
    expect(redactEnvValue('FULLNODE_API_INFO', 'short:/ip4/127.0.0.1/tcp/1234/http')).toBe(`${fp('short')}:/ip4/127.0.0.1/tcp/1234/http`)
    expect(redactEnvValue('FULLNODE_API_INFO', 'tok')).toBe(fp('tok'))
    expect(redactEnvValue('MINER_API_INFO', '/ip4/127.0.0.1/tcp/2345/http')).toBe('/ip4/127.0.0.1/tcp/2345/http')
    expect(redactEnvValue('MY_TOKEN', 'short')).toBe(fp('short'))
    expect(redactEnvValue('FIL_PROOFS_MAXIMIZE_CACHING', '1')).toBe('1')
    // The same value always gives the same form, a different one another.
    expect(redactEnvValue('FULLNODE_API_INFO', `${JWT}:/ip4/1.2.3.4/tcp/1/http`)).not.toBe(redactEnvValue('FULLNODE_API_INFO', `${JWT}x:/ip4/1.2.3.4/tcp/1/http`))
  })
})

describe('redactDeep', () => {
  it('redacts every string, values of secret keys, and returns untouched values as they are', () => {
    const clean = { a: [1, 'two', { b: null }], c: 'lotus-miner run' }
    expect(redactDeep(clean)).toBe(clean)
    const v = { env: { FULLNODE_API_INFO: 'tok:/ip4/1.2.3.4/tcp/1/http', HOME: '/root' }, rows: [{ text: `x ${JWT}` }], token: 'abc', n: 3 }
    const r = redactDeep(v)
    expect(r).toEqual({ env: { FULLNODE_API_INFO: `${fp('tok')}:/ip4/1.2.3.4/tcp/1/http`, HOME: '/root' }, rows: [{ text: `x ${fp(JWT)}` }], token: fp('abc'), n: 3 })
    expect(v.rows[0]!.text).toContain(JWT)
  })
})
