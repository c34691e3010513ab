import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message, SignedMessage, SyncState, TipSet } from '../../preload/contract/lotus/types'
import { actorAddress } from '../../electron/sim/common/siteConfig'
import {
  buildBundle,
  daemonLog,
  httpGet,
  lotus,
  makeSite,
  removeSite,
  rpc,
  rpcRaw,
  startDaemon,
  waitFor,
  type TestSite
} from '../support/sim/daemon'

/**
 * The `lotus daemon` process through its real path: the simulator bundle spawned as the site's
 * shim would, JSON-RPC over HTTP with the repo's token. Every full.* conformance example is
 * compared key path by key path with the daemon's answer.
 */

import { CONFORMANCE_DIR as CONFORMANCE } from '../support/lotus/conformance'

function example(name: string): unknown {
  return JSON.parse(readFileSync(join(CONFORMANCE, name), 'utf8')) as unknown
}

/** Fields Lotus declares as pointers, slices or maps, so null is a real value for them. */
const NULLABLE = new Set(['PendingOwnerAddress', 'PendingBeneficiaryTerm', 'SectorKeyCID', 'PriorityAddrs', 'Params', 'Return', 'ReturnDec'])
/** Go maps: keys are data (e.g. pubsub topic names), values share the example's shape. */
const MAPS = new Set(['Topics'])

function shapeDiff(ex: unknown, act: unknown, path: string): string[] {
  const leaf = path.split('.').pop()?.replace(/\[\]$/, '') ?? ''
  if (act === null || act === undefined) return ex === null || NULLABLE.has(leaf) ? [] : [`${path}: ${String(act)} where the example has ${JSON.stringify(ex)?.slice(0, 40)}`]
  if (Array.isArray(ex)) {
    if (!Array.isArray(act)) return [`${path}: not an array`]
    if (ex.length > 0 && act.length === 0) return [`${path}: empty, elements cannot be compared`]
    return ex.length > 0 ? act.flatMap((a) => shapeDiff(ex[0], a, `${path}[]`)) : []
  }
  if (ex !== null && typeof ex === 'object') {
    if (typeof act !== 'object' || Array.isArray(act)) return [`${path}: not an object`]
    const e = ex as Record<string, unknown>
    const a = act as Record<string, unknown>
    if (MAPS.has(leaf)) {
      const proto = Object.values(e)[0]
      return Object.entries(a).flatMap(([k, v]) => shapeDiff(proto, v, `${path}.${k}`))
    }
    const out: string[] = []
    for (const k of Object.keys(e)) {
      if (!(k in a)) out.push(`${path}.${k}: missing`)
      else out.push(...shapeDiff(e[k], a[k], path ? `${path}.${k}` : k))
    }
    for (const k of Object.keys(a)) if (!(k in e)) out.push(`${path}.${k}: not in Lotus's shape`)
    return out
  }
  if (ex === null) return []
  return typeof ex === typeof act ? [] : [`${path}: ${typeof act} where Lotus has ${typeof ex}`]
}

let site: TestSite
let maddr: string

beforeAll(async () => {
  buildBundle()
  site = await makeSite({ sectors: 5000, speed: 120, scenarios: ['stuck-message'] })
  maddr = actorAddress(site.cfg)
  await startDaemon(site)
  await waitFor('initial sync', async () => (await rpc<SyncState>(site, 'SyncState')).ActiveSyncs.some((s) => s.Stage === 4))
}, 60_000)

afterAll(async () => {
  await removeSite(site)
})

describe('daemon process and repo', () => {
  it('writes the api file and repo.lock, logs Lotus\'s start and sync lines, and answers the health endpoints', async () => {
    expect(readFileSync(join(site.repo, 'api'), 'utf8')).toBe(`/ip4/127.0.0.1/tcp/${site.port}/http`)
    expect(Number(readFileSync(join(site.repo, 'repo.lock'), 'utf8'))).toBe(site.daemon?.pid)
    expect(readdirSync(join(site.repo, 'keystore'))).toContain('MF2XI2BNNJ3XILLQOJUXMYLUMU')
    const log = daemonLog(site)
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}\tINFO\tlotus\tlotus\/daemon\.go:234\tlotus repo: .*\.lotus$/m)
    expect(log).toMatch(/\tINFO\tchain\tchain\/sync_manager\.go:222\tselected initial sync target: \[bafy2bzace[a-z2-7]+( bafy2bzace[a-z2-7]+)*\]$/m)
    expect(log).toMatch(/\tINFO\tchain\tchain\/sync_manager\.go:318\tworker 0 syncing in \[bafy2bzace/m)
    expect(log).toMatch(/\tINFO\tchain\tchain\/sync_manager\.go:326\tworker 0 done; took \d+(\.\d+)?(ms|s|µs)$/m)
    expect(await httpGet(site, '/health/livez')).toBe(200)
    await waitFor('readyz', async () => (await httpGet(site, '/health/readyz')) === 200)
    expect(await httpGet(site, '/rpc/v2')).toBe(404)
  })

  it('refuses a second daemon on the same repo as Lotus does', async () => {
    const r = await lotus(site, ['daemon', '--api', String(site.port + 1)])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('ERROR: initializing node: applying node options failed: repo is already locked (process is already running)\n\n')
  })

  it('follows the chain clock', async () => {
    const h1 = (await rpc<TipSet>(site, 'ChainHead')).Height
    await new Promise((r) => setTimeout(r, 1200))
    const ts = await rpc<TipSet>(site, 'ChainHead')
    expect(ts.Height).toBeGreaterThan(h1)
    expect(ts.Blocks[0]?.Timestamp).toBeLessThanOrEqual(Date.now() / 1000)
    expect(ts.Blocks[0]?.Parents).toEqual((await rpc<TipSet>(site, 'ChainGetTipSetByHeight', [ts.Height - 1, []])).Cids)
  })
})

describe('token rules (go-jsonrpc auth)', () => {
  it('lets a request without a token read', async () => {
    const r = await rpcRaw<{ APIVersion: number }>(site, 'Version', [], { token: null })
    expect(r.result?.APIVersion).toBe(131840)
    expect((await rpcRaw<{ APIVersion: number }>(site, 'Version', [], { token: null, path: '/rpc/v0' })).result?.APIVersion).toBe(66816)
  })

  it('answers code 1 with Lotus\'s message when a permission is missing', async () => {
    const r = await rpcRaw(site, 'WalletList', [], { token: null })
    expect(r.status).toBe(200)
    expect(r.body).toBe('{"error":{"code":1,"message":"missing permission to invoke \'WalletList\' (need \'write\')"},"id":1,"jsonrpc":"2.0"}')
    const readTok = Buffer.from(await rpc<string>(site, 'AuthNew', [['read']]), 'base64').toString()
    expect((await rpcRaw(site, 'NetBlockAdd', [{ Peers: [], IPAddrs: null, IPSubnets: null }], { token: readTok })).error).toEqual({
      code: 1,
      message: "missing permission to invoke 'NetBlockAdd' (need 'admin')"
    })
    expect((await rpcRaw(site, 'ChainHead', [], { token: readTok })).error).toBeUndefined()
  })

  it('answers 401 with an empty body for a bad token', async () => {
    const r = await rpcRaw(site, 'Version', [], { token: 'not-a-jwt' })
    expect(r.status).toBe(401)
    expect(r.body).toBe('')
  })
})

describe('conformance: every full.* example, key path by key path', () => {
  let owner: string
  let stuck: SignedMessage
  let peer: string

  beforeAll(async () => {
    owner = site.cfg.wallets.owner
    const pending = await rpc<SignedMessage[]>(site, 'MpoolPending', [[]])
    stuck = pending.find((m) => m.Message.From === owner) as SignedMessage
    peer = (await waitFor('peers', async () => (await rpc<{ ID: string }[]>(site, 'NetPeers')).at(-1)?.ID)) as string
    await rpc(site, 'NetBlockAdd', [{ Peers: [peer], IPAddrs: ['203.0.113.9'], IPSubnets: ['198.51.100.0/24'] }])
  })

  const msgTo = (from: string): Omit<Message, 'CID'> => ({
    Version: 0,
    To: maddr,
    From: from,
    Nonce: 0,
    Value: '0',
    GasLimit: 0,
    GasFeeCap: '0',
    GasPremium: '0',
    Method: 16,
    Params: null
  })

  const cases: [string, () => Promise<unknown>][] = [
    ['ChainHead', () => rpc(site, 'ChainHead')],
    ['ChainGetMessage', () => rpc(site, 'ChainGetMessage', [stuck.CID])],
    ['GasEstimateMessageGas', () => rpc(site, 'GasEstimateMessageGas', [msgTo(owner), { MaxFee: '0', MsgUuid: '07070707-0707-0707-0707-070707070707', MaximizeFeeCap: true }, []])],
    ['ID', () => rpc(site, 'ID')],
    ['MpoolGetConfig', () => rpc(site, 'MpoolGetConfig')],
    ['MpoolGetNonce', () => rpc(site, 'MpoolGetNonce', [owner])],
    ['MpoolPending', () => rpc(site, 'MpoolPending', [[]])],
    [
      'MpoolPush',
      async () => {
        const worker = site.cfg.wallets.worker
        const nonce = await rpc<number>(site, 'MpoolGetNonce', [worker])
        const msg = await rpc<Message>(site, 'GasEstimateMessageGas', [{ ...msgTo(worker), Method: 0, To: owner, Value: '1', Nonce: nonce }, null, []])
        return rpc(site, 'MpoolPush', [await rpc(site, 'WalletSignMessage', [worker, msg])])
      }
    ],
    ['NetAgentVersion', async () => rpc(site, 'NetAgentVersion', [(await rpc<{ ID: string }[]>(site, 'NetPeers'))[0]?.ID])],
    ['NetBlockList', () => rpc(site, 'NetBlockList')],
    ['NetPeers', () => rpc(site, 'NetPeers')],
    ['NetPubsubScores', () => rpc(site, 'NetPubsubScores')],
    ['NodeStatus', () => rpc(site, 'NodeStatus', [true])],
    ['StateMinerActiveSectors', () => rpc(site, 'StateMinerActiveSectors', [maddr, []])],
    ['StateMinerDeadlines', () => rpc(site, 'StateMinerDeadlines', [maddr, []])],
    ['StateMinerInfo', () => rpc(site, 'StateMinerInfo', [maddr, []])],
    ['StateMinerPartitions', () => rpc(site, 'StateMinerPartitions', [maddr, 0, []])],
    ['StateMinerProvingDeadline', () => rpc(site, 'StateMinerProvingDeadline', [maddr, []])],
    ['StateSectorGetInfo', () => rpc(site, 'StateSectorGetInfo', [maddr, 9, []])],
    ['SyncState', () => rpc(site, 'SyncState')],
    ['Version', () => rpc(site, 'Version')],
    ['WalletList', () => rpc(site, 'WalletList')],
    ['WalletSignMessage', async () => rpc(site, 'WalletSignMessage', [owner, { ...msgTo(owner), GasLimit: 1_000_000, GasFeeCap: '200000', GasPremium: '100000' }])]
  ]

  it('the comparison itself catches a missing key, an extra key, a wrong type and an unexpected null', () => {
    const ex = { A: 1, B: { C: 'x' }, D: [{ E: true }], SectorKeyCID: { '/': 'c' } }
    expect(shapeDiff(ex, { A: 1, B: { C: 'y' }, D: [{ E: false }], SectorKeyCID: null }, '')).toEqual([])
    expect(shapeDiff(ex, { A: '1', B: { C: 'y', Z: 1 }, D: [{}], SectorKeyCID: null }, '')).toEqual([
      'A: string where Lotus has number',
      'B.Z: not in Lotus\'s shape',
      'D[].E: missing'
    ])
    expect(shapeDiff(ex, { A: 1, B: null, D: [], SectorKeyCID: null }, '')).toHaveLength(2)
  })

  it('covers every full.*.response.json', () => {
    const files = readdirSync(CONFORMANCE).filter((f) => f.startsWith('full.') && f.endsWith('.response.json'))
    expect(files.map((f) => f.replace(/^full\.|\.response\.json$/g, '')).sort()).toEqual(cases.map(([m]) => m).sort())
  })

  it.each(cases)('%s', async (method, call) => {
    const actual = await call()
    expect(shapeDiff(example(`full.${method}.response.json`), actual, '')).toEqual([])
  })

  it('accepts the parameter shapes of the examples', async () => {
    // The documentation's placeholder addresses point at other actors; keep the shapes, use ours.
    const params = example('full.GasEstimateMessageGas.params.json') as [Message, unknown, unknown]
    params[0] = { ...params[0], From: owner, To: maddr, Method: 0, Params: null, Version: 0 }
    expect(shapeDiff(example('full.GasEstimateMessageGas.response.json'), await rpc(site, 'GasEstimateMessageGas', params), '')).toEqual([])
    expect(await rpc(site, 'NodeStatus', example('full.NodeStatus.params.json') as unknown[])).toBeTruthy()
    const dl = example('full.StateMinerDeadlines.params.json') as unknown[]
    dl[0] = maddr
    expect(await rpc<unknown[]>(site, 'StateMinerDeadlines', dl)).toHaveLength(48)
  })

  it('gives realistic values: CIDs, addresses, peer IDs, versions', async () => {
    const head = await rpc<TipSet>(site, 'ChainHead')
    expect(head.Cids[0]?.['/']).toMatch(/^bafy2bzace[a-z2-7]{52}$/)
    expect(head.Blocks.length).toBeGreaterThan(0)
    expect(await rpc<string>(site, 'ID')).toMatch(/^12D3KooW/)
    expect(await rpc<string[]>(site, 'WalletList')).toEqual([site.cfg.wallets.owner, site.cfg.wallets.worker, ...site.cfg.wallets.control])
    const v = await rpc<{ Version: string; BlockDelay: number; Agent: string }>(site, 'Version')
    expect(v).toMatchObject({ Version: 'v1.36.2-dev+mainnet+git.b835fab70', BlockDelay: 0.25, Agent: 'lotus' })
    const signed = await rpc<SignedMessage>(site, 'WalletSignMessage', [site.cfg.wallets.control[0], { ...msgTo(owner), GasLimit: 1, GasFeeCap: '1', GasPremium: '1' }])
    expect(signed.Signature.Type).toBe(1)
    expect(Buffer.from(signed.Signature.Data, 'base64')).toHaveLength(65)
    expect(signed.CID['/']).not.toBe(signed.Message.CID['/'])
  })
})

describe('net: blocking', () => {
  it('drops a blocked peer from NetPeers at once and lists it in NetBlockList', async () => {
    const peers = await rpc<{ ID: string; Addrs: string[] }[]>(site, 'NetPeers')
    const victim = peers[0]?.ID as string
    await rpc(site, 'NetBlockAdd', [{ Peers: [victim], IPAddrs: null, IPSubnets: null }])
    expect((await rpc<{ ID: string }[]>(site, 'NetPeers')).map((p) => p.ID)).not.toContain(victim)
    expect((await rpc<{ Peers: string[] }>(site, 'NetBlockList')).Peers).toContain(victim)
    const r = await lotus(site, ['net', 'block', 'add', 'peer', 'not-a-peer'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^ERROR: failed to parse peer ID: /)
  })
})

describe('lotus CLI against the daemon', () => {
  it('lotus version', async () => {
    const r = await lotus(site, ['version'])
    expect(r).toEqual({ code: 0, stdout: 'Daemon:  v1.36.2-dev+mainnet+git.b835fab70+api1.5.0\nLocal: lotus version v1.36.2-dev+mainnet+git.b835fab70\n', stderr: '' })
  })

  it('lotus net peers [-a] and net scores print Lotus\'s lines, peers sorted by ID descending', async () => {
    const r = await lotus(site, ['net', 'peers'])
    const lines = r.stdout.trim().split('\n')
    expect(lines.length).toBeGreaterThan(20)
    for (const l of lines) expect(l).toMatch(/^12D3KooW\w+, \[\/ip4\/[\d.]+\/(tcp\/\d+|udp\/\d+\/quic-v1)\]$/)
    const ids = lines.map((l) => l.split(',')[0] as string)
    expect([...ids].sort().reverse()).toEqual(ids)
    const a = await lotus(site, ['net', 'peers', '-a'])
    expect(a.stdout.split('\n')[0]).toMatch(/^12D3KooW\w+, \[[^\]]+\], (lotus|forest|boost|venus)-/)
    const s = await lotus(site, ['net', 'scores'])
    for (const l of s.stdout.trim().split('\n')) expect(l).toMatch(/^12D3KooW\w+, -?\d+\.\d{6}$/)
  })

  it('lotus net block list', async () => {
    const r = await lotus(site, ['net', 'block', 'list'])
    expect(r.stdout).toMatch(/^Blocked Peers:\n(\t12D3KooW\w+\n)+Blocked IPs:\n\t203\.0\.113\.9\nBlocked Subnets:\n\t198\.51\.100\.0\/24\n$/)
  })

  it('lotus sync status', async () => {
    const r = await lotus(site, ['sync', 'status'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^sync status:\n(worker \d+:\n\tBase:\t\[bafy2bzace[^\]]*\]\n\tTarget:\t\[bafy2bzace[^\]]*\] \(\d+\)\n\tHeight diff:\t\d+\n\tStage: (header sync|persisting headers|message sync|complete)\n\tHeight: \d+\n(\tElapsed: [\d.]+(ns|µs|ms|s|m\d+(\.\d+)?s)\n)?)+$/
    )
  })

  it('lotus wallet list and auth api-info', async () => {
    const w = await lotus(site, ['wallet', 'list'])
    const rows = w.stdout.split('\n')
    expect(rows[0]).toMatch(/^Address {2,}Balance {2,}Nonce {2}Default {2}$/)
    expect(rows[1]).toMatch(new RegExp(`^${site.cfg.wallets.owner} {2}[\\d.]+ FIL +\\d+ +X {8}$`))
    const a = await lotus(site, ['auth', 'api-info', '--perm', 'admin'])
    expect(a.stdout).toMatch(new RegExp(`^FULLNODE_API_INFO=eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+:/ip4/127\\.0\\.0\\.1/tcp/${site.port}/http\\n$`))
    const tok = (a.stdout.split('=')[1] as string).split(':')[0] as string
    expect((await rpcRaw(site, 'NetBlockAdd', [{ Peers: null, IPAddrs: null, IPSubnets: null }], { token: tok })).error).toBeUndefined()
    expect(await lotus(site, ['auth', 'create-token'])).toMatchObject({ code: 1, stderr: 'ERROR: --perm flag not set\n\n' })
    expect(await lotus(site, ['auth', 'create-token', '--perm', 'root'])).toMatchObject({ code: 1, stderr: 'ERROR: --perm flag has to be one of: [read write sign admin]\n\n' })
  })

  it('lotus mpool pending --local prints the node\'s own messages as indented JSON; --cids only CIDs', async () => {
    const r = await lotus(site, ['mpool', 'pending', '--local'])
    expect(r.stdout).toContain(`"From": "${site.cfg.wallets.owner}"`)
    expect(r.stdout).toMatch(/^\{\n {2}"Message": \{\n {4}"Version": 0,\n/)
    const c = await lotus(site, ['mpool', 'pending', '--cids'])
    for (const l of c.stdout.trim().split('\n')) expect(l).toMatch(/^bafy2bzace[a-z2-7]{52}$/)
    const all = await rpc<SignedMessage[]>(site, 'MpoolPending', [[]])
    expect(all.some((m) => !(site.cfg.wallets.owner === m.Message.From))).toBe(true)
  })

  it('shows Lotus\'s help and usage errors', async () => {
    const h = await lotus(site, ['--help'])
    expect(h.stdout).toMatch(/^NAME:\n {3}lotus - Filecoin decentralized storage network client\n\nUSAGE:\n {3}lotus \[global options\] command \[command options\]\n/)
    const nope = await lotus(site, ['frobnicate'])
    expect(nope).toEqual({ code: 3, stdout: '', stderr: "No help topic for 'frobnicate'\n" })
    const bad = await lotus(site, ['net', 'peers', '--bogus'])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/^Incorrect Usage: flag provided but not defined: -bogus\n\nNAME:\n {3}lotus net peers - Print peers/)
    expect(bad.stderr).toBe('ERROR: flag provided but not defined: -bogus\n\n')
  })

  it('lotus mpool replace without its arguments shows its help; bad block targets are refused', async () => {
    const r = await lotus(site, ['mpool', 'replace', '--auto'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^NAME:\n {3}lotus mpool replace - replace a message in the mempool\n/)
    const ip = await lotus(site, ['net', 'block', 'add', 'ip', '300.1.2.3'])
    expect(ip).toMatchObject({ code: 1, stderr: 'ERROR: error parsing IP address 300.1.2.3\n\n' })
    const notSim = await lotus(site, ['net', 'ping', '12D3KooWx'])
    expect(notSim).toMatchObject({ code: 1, stderr: 'ERROR: lotus net ping: this command is not part of the simulated site\n\n' })
  })

  it('lotus wait-api returns at once when the API is up', async () => {
    expect(await lotus(site, ['wait-api'])).toEqual({ code: 0, stdout: '', stderr: '' })
  })
})

describe('CLI errors when the daemon is not there', () => {
  it('says the API is not running when there is no api file', async () => {
    const r = await lotus(site, ['net', 'peers'], { env: { LOTUS_PATH: join(site.dir, 'nowhere') } })
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'ERROR: could not get API info for FullNode: could not get api endpoint: API not running (no endpoint)\n\n' })
  })

  it('reports the dial error for an endpoint nobody listens on, and a bad handshake for a bad token', async () => {
    const r = await lotus(site, ['sync', 'status'], { env: { FULLNODE_API_INFO: 'x:/ip4/127.0.0.1/tcp/9/http' } })
    expect(r.stderr).toBe('ERROR: cannot dial address ws://127.0.0.1:9/rpc/v0 for dial tcp 127.0.0.1:9: connect: connection refused\n\n')
    const b = await lotus(site, ['sync', 'status'], { env: { FULLNODE_API_INFO: `bad:/ip4/127.0.0.1/tcp/${site.port}/http` } })
    expect(b).toMatchObject({ code: 1, stderr: `ERROR: cannot dial address ws://127.0.0.1:${site.port}/rpc/v0 for websocket: bad handshake\n\n` })
  })

  it('needs write permission for mpool pending --local', async () => {
    const r = await lotus(site, ['mpool', 'pending', '--local'], { env: { FULLNODE_API_INFO: `/ip4/127.0.0.1/tcp/${site.port}/http` } })
    expect(r).toMatchObject({ code: 1, stderr: "ERROR: getting local addresses: missing permission to invoke 'WalletList' (need 'write')\n\n" })
  })

  it('lotus wait-api retries while the API is not up and gives up after --timeout', async () => {
    const r = await lotus(site, ['wait-api', '--timeout', '2s'], { env: { LOTUS_PATH: join(site.dir, 'nowhere') } })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^(Not online yet\.\.\. \(could not get API info for FullNode: could not get api endpoint: API not running \(no endpoint\)\)\n){2,3}$/)
    expect(r.stderr).toBe('ERROR: timed out waiting for api to come online\n\n')
  })
})
