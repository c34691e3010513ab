import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer as createTcpServer, type Server } from 'node:net'
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalSshHost } from '../../../test/support/localSshHost'
import { freePort } from '../../common/ports'
import { MinerDeskError } from '../../../preload/contract'
import { RpcClient, type RpcTarget } from './rpc'
import { FakeLotusServer, RpcMethodError, type FakeMethod } from '../../../test/support/lotus/fakeLotusServer'
import { ApiToken } from './token'

const ADMIN = 'eyJhbGciOiJIUzI1NiJ9.admin.sig'
const READ = 'eyJhbGciOiJIUzI1NiJ9.read.sig'

const servers: Array<{ stop(): Promise<void> }> = []
const clients: RpcClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  await Promise.all(servers.splice(0).map((s) => s.stop()))
})

function m(params: number, handler: FakeMethod['handler'], perm: FakeMethod['perm'] = 'read'): FakeMethod {
  return { perm, params, handler }
}

async function lotus(opts: { batch?: boolean; latencyMs?: number; paths?: string[] } = {}): Promise<FakeLotusServer> {
  const s = await FakeLotusServer.start({
    paths: opts.paths ?? ['/rpc/v0', '/rpc/v1'],
    tokens: { [ADMIN]: ['read', 'write', 'sign', 'admin'], [READ]: ['read'] },
    batch: opts.batch ?? true,
    latencyMs: opts.latencyMs ?? 0,
    methods: {
      Version: m(0, () => ({ Version: '1.36.2', APIVersion: 131840, BlockDelay: 30, Agent: 'lotus' })),
      WalletList: m(0, () => ['f1abc'], 'write'),
      StateMinerPartitions: m(3, (p) => [{ dl: p[1] }]),
      SectorsStatus: m(2, (p) => {
        throw new Error(`getting sector info: sector ${String(p[0])} not found`)
      }),
      ActorNotFound: m(0, () => {
        throw new RpcMethodError(11, 'actor not found')
      }),
      NetPeers: m(0, () => Array.from({ length: 2000 }, (_, i) => ({ ID: `12D3KooW${i}`, Addrs: ['/ip4/1.2.3.4/tcp/1347'] })))
    }
  })
  servers.push(s)
  return s
}

function client(host: LocalSshHost, port: number, o: { node?: 'daemon' | 'miner'; token?: string | null; timeoutMs?: number; idleMs?: number; maxStreams?: number } = {}): RpcClient {
  const target: RpcTarget = {
    node: o.node ?? 'daemon',
    host: '127.0.0.1',
    port,
    tls: false,
    basePath: '',
    token: o.token === null ? null : new ApiToken(o.token ?? ADMIN)
  }
  const c = new RpcClient({
    ssh: host,
    target,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.idleMs !== undefined ? { idleMs: o.idleMs } : {}),
    ...(o.maxStreams ? { maxStreams: o.maxStreams } : {})
  })
  clients.push(c)
  return c
}

describe('RpcClient over forwarded streams', () => {
  it('calls Lotus with the token and gets the result', async () => {
    const s = await lotus()
    const host = new LocalSshHost({ alias: 'site-a' })
    const c = client(host, s.port)
    expect(await c.call('WalletList', [])).toEqual(['f1abc'])
    expect(await c.call('Version', [])).toMatchObject({ APIVersion: 131840 })
    expect(s.calls).toEqual(['WalletList', 'Version'])
  })

  it('keeps one stream alive for sequential calls (one TCP connection on the server)', async () => {
    const s = await lotus()
    const host = new LocalSshHost()
    const c = client(host, s.port)
    for (let i = 0; i < 25; i++) await c.call('Version', [])
    expect(s.connections).toBe(1)
    expect(host.counters.forwards).toBe(1)
    expect(c.stats).toMatchObject({ streamsOpened: 1, httpRequests: 25, calls: 25, streamsOpen: 1 })
  })

  it('uses at most 2 streams however many calls run at once', async () => {
    const s = await lotus({ latencyMs: 5 })
    const host = new LocalSshHost()
    const c = client(host, s.port)
    const results = await Promise.all(Array.from({ length: 40 }, () => c.call('Version', [])))
    expect(results).toHaveLength(40)
    expect(s.connections).toBeLessThanOrEqual(2)
    expect(c.stats.streamsOpened).toBeLessThanOrEqual(2)
  })

  it('reads large chunked answers', async () => {
    const s = await lotus()
    const peers = (await client(new LocalSshHost(), s.port).call('NetPeers', [])) as unknown[]
    expect(peers).toHaveLength(2000)
  })

  it('maps a refused port to daemon-down / miner-down with the address and alias', async () => {
    const port = await freePort()
    const host = new LocalSshHost({ alias: 'site-b' })
    await expect(client(host, port).call('Version', [])).rejects.toMatchObject({
      code: 'lotus/daemon-down',
      message: `the daemon is not running: nothing listens on 127.0.0.1:${port} on site-b`
    })
    await expect(client(host, port, { node: 'miner' }).call('Version', [])).rejects.toMatchObject({
      code: 'lotus/miner-down',
      message: `lotus-miner is not running: nothing listens on 127.0.0.1:${port} on site-b`
    })
  })

  it('maps HTTP 401 to unauthorized, without retrying', async () => {
    const s = await lotus()
    const c = client(new LocalSshHost({ alias: 'site-c' }), s.port, { token: 'eyJ.wrong.token' })
    const err = await c.call('Version', []).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'lotus/unauthorized', message: 'the daemon on site-c rejected the API token (HTTP 401)' })
    expect(JSON.stringify(err)).not.toContain('wrong')
    expect(s.httpRequests).toBe(1)
  })

  it('maps code 1 "missing permission" to permission, naming the permission', async () => {
    const s = await lotus()
    await expect(client(new LocalSshHost({ alias: 'site-d' }), s.port, { token: READ }).call('WalletList', [])).rejects.toMatchObject({
      code: 'lotus/permission',
      message: 'the API token of the daemon on site-d lacks write (needed for WalletList)',
      params: { method: 'WalletList', permission: 'write' }
    })
    // No Authorization header at all: go-jsonrpc proceeds with read rights.
    const noToken = client(new LocalSshHost(), s.port, { token: null })
    expect(await noToken.call('Version', [])).toBeTruthy()
    await expect(noToken.call('WalletList', [])).rejects.toMatchObject({ code: 'lotus/permission' })
  })

  it('maps -32601 to method-missing naming the method', async () => {
    const s = await lotus()
    await expect(client(new LocalSshHost({ alias: 'site-e' }), s.port, { node: 'miner' }).call('SectorsSummary', [])).rejects.toMatchObject({
      code: 'lotus/method-missing',
      message: 'lotus-miner on site-e has no method Filecoin.SectorsSummary: probably an older Lotus',
      params: { method: 'Filecoin.SectorsSummary' }
    })
  })

  it('maps other Lotus errors to lotus/rpc with the Lotus text in details', async () => {
    const s = await lotus()
    const c = client(new LocalSshHost(), s.port, { node: 'miner' })
    await expect(c.call('SectorsStatus', [9, false])).rejects.toMatchObject({
      code: 'lotus/rpc',
      details: 'getting sector info: sector 9 not found',
      params: { rpcCode: 1 }
    })
    await expect(c.call('ActorNotFound', [])).rejects.toMatchObject({ code: 'lotus/rpc', params: { rpcCode: 11 } })
    await expect(c.call('SectorsStatus', [9])).rejects.toMatchObject({ code: 'lotus/rpc', params: { rpcCode: -32602 } })
  })

  it('maps garbage and wrong paths to bad-response', async () => {
    const miner = await lotus({ paths: ['/rpc/v0'] })
    const host = new LocalSshHost()
    const wrongPath = new RpcClient({ ssh: host, target: { node: 'miner', host: '127.0.0.1', port: miner.port, tls: false, basePath: '', token: null }, version: 'v1' })
    clients.push(wrongPath)
    await expect(wrongPath.call('Version', [])).rejects.toMatchObject({ code: 'lotus/bad-response', message: expect.stringMatching(/404.*only \/rpc\/v0/) })

    const html = createHttpServer((_req, res) => res.end('<html>nginx</html>'))
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', () => r()))
    servers.push({ stop: () => new Promise<void>((r) => html.close(() => r())) })
    await expect(client(host, (html.address() as AddressInfo).port).call('Version', [])).rejects.toMatchObject({ code: 'lotus/bad-response', details: '<html>nginx</html>' })

    // It reads what it is sent (else it never sees the client's FIN and close() waits forever).
    const tcp: Server = createTcpServer((sock) => {
      sock.resume()
      sock.end('SSH-2.0-OpenSSH_9.2\r\n\r\n')
    })
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()))
    servers.push({ stop: () => new Promise<void>((r) => tcp.close(() => r())) })
    await expect(client(host, (tcp.address() as AddressInfo).port).call('Version', [])).rejects.toMatchObject({ code: 'lotus/bad-response' })

    const wrongId = createHttpServer((_req, res) => res.end('{"jsonrpc":"2.0","id":999,"result":1}'))
    await new Promise<void>((r) => wrongId.listen(0, '127.0.0.1', () => r()))
    servers.push({ stop: () => new Promise<void>((r) => wrongId.close(() => r())) })
    await expect(client(host, (wrongId.address() as AddressInfo).port).call('Version', [])).rejects.toMatchObject({ code: 'lotus/bad-response', message: expect.stringMatching(/id 999/) })
  })

  it('times out a call, drops its stream, and the next call works', async () => {
    const s = await lotus()
    const c = client(new LocalSshHost({ alias: 'slow' }), s.port)
    // The stream is open (idle) first: the timeout falls on the request, not on opening the stream
    // (a stream opened after its call gave up is clean and kept; a loaded machine opened one so).
    expect(await c.call('Version', [])).toBeTruthy()
    expect(c.stats.streamsOpen).toBe(1)
    s.opts.latencyMs = 300
    await expect(c.call('Version', [], { timeoutMs: 60 })).rejects.toMatchObject({ code: 'lotus/rpc', params: { reason: 'timeout' }, message: 'Filecoin.Version: no answer from the daemon on slow within 0.1 s' })
    expect(c.stats.streamsOpen).toBe(0)
    s.opts.latencyMs = 0
    expect(await c.call('Version', [])).toBeTruthy()
  })

  it('cancels a call on abort', async () => {
    const s = await lotus({ latencyMs: 300 })
    const c = client(new LocalSshHost(), s.port)
    const ac = new AbortController()
    const p = c.call('Version', [], { signal: ac.signal })
    setTimeout(() => ac.abort(), 20)
    await expect(p).rejects.toMatchObject({ code: 'cancelled' })
  })

  it('sends a batch as one HTTP request with per-call results', async () => {
    const s = await lotus()
    const c = client(new LocalSshHost(), s.port)
    const calls = Array.from({ length: 48 }, (_, i) => ({ method: 'StateMinerPartitions', params: ['f01234', i, []] }))
    calls.push({ method: 'NoSuchMethod', params: [] })
    const res = await c.batch(calls)
    expect(s.httpRequests).toBe(1)
    expect(res).toHaveLength(49)
    expect(res[47]).toEqual({ ok: true, value: [{ dl: 47 }] })
    expect(res[48]).toMatchObject({ ok: false, error: { code: 'lotus/method-missing' } })
  })

  it('falls back to single calls on a Lotus without batch support, once', async () => {
    const s = await lotus({ batch: false })
    const c = client(new LocalSshHost(), s.port)
    const calls = Array.from({ length: 5 }, (_, i) => ({ method: 'StateMinerPartitions', params: ['f01234', i, []] }))
    const res = await c.batch(calls)
    expect(res.map((r) => r.ok && r.value)).toEqual([0, 1, 2, 3, 4].map((dl) => [{ dl }]))
    expect(c.supportsBatch).toBe(false)
    expect(s.calls).toHaveLength(5) // the refused batch ran nothing
    await c.batch(calls)
    expect(s.httpRequests).toBe(1 + 5 + 5)
  })

  it('notices a stream the server closed while idle and opens a new one', async () => {
    const s = await lotus()
    const c = client(new LocalSshHost(), s.port)
    await c.call('Version', [])
    s.dropConnections()
    await new Promise((r) => setTimeout(r, 100))
    expect(await c.call('Version', [])).toBeTruthy()
    expect(s.connections).toBe(2)
  })

  it('closes idle streams after idleMs to give SSH channels back', async () => {
    const s = await lotus()
    const c = client(new LocalSshHost(), s.port, { idleMs: 30 })
    await c.call('Version', [])
    expect(c.stats.streamsOpen).toBe(1)
    await new Promise((r) => setTimeout(r, 80))
    expect(c.stats.streamsOpen).toBe(0)
  })

  it('passes SSH failures through', async () => {
    const s = await lotus()
    const host = new LocalSshHost()
    host.setReachable(false)
    await expect(client(host, s.port).call('Version', [])).rejects.toMatchObject({ code: 'ssh/unreachable' })
  })

  it('recognises a refused tunnel as the SSH layer reports it', async () => {
    const host = new LocalSshHost({ alias: 'real' })
    host.forwardOut = () =>
      Promise.reject(new MinerDeskError({ code: 'ssh/command-failed', message: 'connection refused: nothing listens on 127.0.0.1:2345 on real', params: { host: '127.0.0.1', port: 2345 }, details: 'Connection refused' }))
    await expect(client(host, 2345, { node: 'miner' }).call('Version', [])).rejects.toMatchObject({ code: 'lotus/miner-down', message: 'lotus-miner is not running: nothing listens on 127.0.0.1:2345 on real' })
  })

  it('maps sshd refusing TCP forwarding', async () => {
    const host = new LocalSshHost({ alias: 'locked' })
    host.forwardOut = () => Promise.reject(Object.assign(new Error('(SSH) Channel open failure: administratively prohibited: open failed'), { reason: 1 }))
    await expect(client(host, 1234).call('Version', [])).rejects.toMatchObject({ code: 'ssh/command-failed', message: expect.stringMatching(/does not allow TCP forwarding/) })
  })

  it('speaks TLS inside the forwarded stream for /wss and /tls addresses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-tls-'))
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=lotus.test', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
      const key = readFileSync(join(dir, 'key.pem'), 'utf8')
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
      const s = await FakeLotusServer.start({ paths: ['/rpc/v1'], tokens: { [ADMIN]: ['read'] }, tls: { key, cert }, methods: { Version: m(0, () => ({ Version: 'tls', APIVersion: 131840, BlockDelay: 30 })) } })
      servers.push(s)
      const host = new LocalSshHost()
      const target = { node: 'daemon' as const, host: '127.0.0.1', port: s.port, tls: true, basePath: '', token: new ApiToken(ADMIN) }
      const trusted = new RpcClient({ ssh: host, target, tlsOptions: { ca: cert } })
      clients.push(trusted)
      expect(await trusted.call('Version', [])).toMatchObject({ Version: 'tls' })
      expect(await trusted.call('Version', [])).toMatchObject({ Version: 'tls' })
      expect(s.connections).toBe(1)
      const untrusted = new RpcClient({ ssh: host, target })
      clients.push(untrusted)
      await expect(untrusted.call('Version', [])).rejects.toMatchObject({ code: 'lotus/rpc', message: expect.stringMatching(/TLS/) })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
