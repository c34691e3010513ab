import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ServerFrame } from '../../preload/contract'
import { buildWebHost, startWebHostProcess, stopWebHostProcess, type WebHostProcess } from '../support/webHost'

/**
 * The browser host (`npm run web`, its own process) against what a hostile local page or service
 * can send it: raw malformed requests and escapes, WebSockets opened with a cookie alone or under
 * a foreign Host, and frames nested 100,000 levels deep in every field. After each, the same
 * process still answers, and the token still opens it.
 */

let home: string
let host: WebHostProcess

beforeAll(async () => {
  await buildWebHost()
  home = mkdtempSync(join(tmpdir(), 'md-web-hostile-'))
  host = await startWebHostProcess(home)
}, 180_000)

afterAll(async () => {
  if (host) await stopWebHostProcess(host.child)
  if (home) rmSync(home, { recursive: true, force: true })
})

const alive = () => host.child.exitCode === null && host.child.signalCode === null

/** Sends raw bytes and returns whatever comes back until the server closes (or 3 s pass). */
function raw(text: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(host.port, '127.0.0.1')
    let got = ''
    const done = () => {
      clearTimeout(timer)
      s.destroy()
      resolve(got)
    }
    const timer = setTimeout(done, timeoutMs)
    s.on('data', (d) => (got += d.toString('latin1')))
    s.on('end', done)
    s.on('close', done)
    s.on('error', done)
    s.write(text)
  })
}

/** The host still serves the page with the token, and the API answers over a WebSocket. */
async function stillServes(): Promise<void> {
  expect(alive(), host.log.join('')).toBe(true)
  const r = await fetch(host.url)
  expect(r.status).toBe(200)
  const frames = await session([{ t: 'call', id: 1, channel: 'app:info', args: [] }], [1])
  expect(frames.get(1)).toMatchObject({ result: { ok: true } })
}

interface Opened {
  ws: WebSocket
  frames: ServerFrame[]
}
function open(url: string, options: WebSocket.ClientOptions = {}): Promise<Opened | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin: `http://127.0.0.1:${host.port}`, ...options })
    const frames: ServerFrame[] = []
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerFrame))
    ws.on('open', () => resolve({ ws, frames }))
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => resolve(-1))
  })
}

/** Opens an authorised socket, sends the frames (objects or raw text), waits for the answers to `ids`. */
async function session(frames: Array<object | string>, ids: number[], waitMs = 10_000): Promise<Map<number, ServerFrame>> {
  const o = await open(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`)
  if (typeof o === 'number') throw new Error(`the token's socket was refused (${o})`)
  for (const f of frames) o.ws.send(typeof f === 'string' ? f : JSON.stringify(f))
  const t0 = Date.now()
  const results = () => new Map(o.frames.filter((f) => f.t === 'result').map((f) => [(f as { id: number }).id, f]))
  while (ids.some((id) => !results().has(id)) && Date.now() - t0 < waitMs && o.ws.readyState === o.ws.OPEN) await new Promise((r) => setTimeout(r, 20))
  o.ws.close()
  return results()
}

describe('browser host against hostile input', () => {
  it('answers malformed request lines and escapes with 400 and keeps serving', async () => {
    const h = `Host: 127.0.0.1:${host.port}\r\nConnection: close\r\n`
    const cases: Array<[string, RegExp]> = [
      // Absolute-form targets, one of them not even a URL.
      [`GET http://[::1 HTTP/1.1\r\n${h}\r\n`, /^HTTP\/1\.1 400/],
      [`GET http://127.0.0.1:${host.port}/?token=${host.token} HTTP/1.1\r\n${h}\r\n`, /^HTTP\/1\.1 400/],
      // A broken %-escape, as an <img src> on any local page can send it (with and without the token).
      [`GET /%E0%A4%A HTTP/1.1\r\n${h}\r\n`, /^HTTP\/1\.1 (400|403)/],
      [`GET /%E0%A4%A?token=${host.token} HTTP/1.1\r\n${h}\r\n`, /^HTTP\/1\.1 400/],
      [`GET /assets/%ZZ?token=${host.token} HTTP/1.1\r\n${h}\r\n`, /^HTTP\/1\.1 400/],
      [`GET /%00?token=${host.token} HTTP/1.1\r\n${h}\r\n`, /^HTTP\/1\.1 400/],
      // Upgrades with the same broken targets.
      [`GET http://[::1 HTTP/1.1\r\n${h}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`, /^HTTP\/1\.1 (400|403)/],
      [`GET /ws?token=%E0%A4%A HTTP/1.1\r\n${h}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`, /^HTTP\/1\.1 (400|403)/],
      // Not HTTP at all, a header without a colon, a request line with NUL bytes.
      ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello tls\r\n\r\n', /^HTTP\/1\.1 400/],
      [`GET / HTTP/1.1\r\n${h}this header has no colon\r\n\r\n`, /^HTTP\/1\.1 400/],
      [`GET /\0 HTTP/1.1\r\n${h}\r\n`, /^HTTP\/1\.1 400/],
      // No Host at all, and a header block far beyond Node's limit.
      ['GET / HTTP/1.1\r\nConnection: close\r\n\r\n', /^HTTP\/1\.1 (400|421)/],
      [`GET /?token=${host.token} HTTP/1.1\r\n${h}X-Big: ${'a'.repeat(70_000)}\r\n\r\n`, /^HTTP\/1\.1 431|^HTTP\/1\.1 400|^$/]
    ]
    for (const [req, expected] of cases) {
      const res = await raw(req)
      expect(res, JSON.stringify(req.slice(0, 60))).toMatch(expected)
      expect(alive(), `after ${JSON.stringify(req.slice(0, 60))}:\n${host.log.join('')}`).toBe(true)
    }
    await stillServes()
  })

  it('never takes a cookie for the token: a cookie-only WebSocket is refused, the asset cookie opens no API', async () => {
    // What the page load sets: a cookie that opens the page's own assets and nothing else.
    const page = await fetch(host.url)
    const set = page.headers.get('set-cookie') ?? ''
    expect(set).toMatch(new RegExp(`^minerdesk_assets_${host.port}=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict`))
    expect(set).not.toContain(host.token)
    const assetCookie = set.split(';')[0]!
    const index = readFileSync(join(__dirname, '../../out/renderer/index.html'), 'utf8')
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(index)?.[1]
    expect(script).toBeTruthy()
    expect((await fetch(`http://127.0.0.1:${host.port}${script}`, { headers: { cookie: assetCookie } })).status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${host.port}${script}`)).status).toBe(403)
    // Every way of presenting a cookie alone to the WebSocket is refused, including the token itself as a cookie.
    for (const cookie of [assetCookie, `minerdesk_token=${host.token}`, `token=${host.token}`, `${assetCookie}; minerdesk_token=${host.token}`]) {
      expect(await open(`ws://127.0.0.1:${host.port}/ws`, { headers: { cookie } }), cookie).toBe(403)
      expect(await open(`ws://127.0.0.1:${host.port}/ws`, { headers: { cookie }, origin: undefined as unknown as string }), cookie).toBe(403)
    }
    // The same for plain requests carrying the old token cookie only.
    expect((await fetch(`http://127.0.0.1:${host.port}/`, { headers: { cookie: `minerdesk_token=${host.token}` } })).status).toBe(403)
    // Non-browser clients may use an Authorization header instead of the URL.
    const byHeader = await open(`ws://127.0.0.1:${host.port}/ws`, { headers: { authorization: `Bearer ${host.token}` } })
    expect(typeof byHeader).toBe('object')
    if (typeof byHeader === 'object') byHeader.ws.close()
    expect(await open(`ws://127.0.0.1:${host.port}/ws`, { headers: { authorization: 'Bearer nope' } })).toBe(403)
  })

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, with the token', async () => {
    for (const hostHeader of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, `localhost.evil.example:${host.port}`, `127.0.0.1`]) {
      expect(await open(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { headers: { host: hostHeader } }), hostHeader).toBe(403)
      const res = await raw(`GET /?token=${host.token} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`)
      expect(res, hostHeader).toMatch(/^HTTP\/1\.1 421/)
    }
    expect(await open(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: 'http://evil.example' })).toBe(403)
    expect(await open(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: `http://127.0.0.1:${host.port + 1}` })).toBe(403)
    const local = await open(`ws://localhost:${host.port}/ws?token=${host.token}`, { origin: `http://localhost:${host.port}` })
    expect(typeof local).toBe('object')
    if (typeof local === 'object') local.ws.close()
  })

  it('answers frames nested 100,000 levels deep in every field, and frames of the wrong types, without dying', async () => {
    const deepList = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const deepObject = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`
    const frames: string[] = [
      `{"t":"call","id":1,"channel":${deepList},"args":[]}`,
      `{"t":"call","id":2,"channel":"sites:update","args":${deepList}}`,
      `{"t":"call","id":3,"channel":"sites:update","args":["site-1",${deepObject}]}`,
      `{"t":"call","id":4,"channel":"settings:update","args":[${deepObject}]}`,
      `{"t":${deepList},"id":5,"channel":"app:info","args":[]}`,
      `{"t":"call","id":${deepList},"channel":"app:info","args":[]}`,
      `{"t":"call","id":6,"channel":"app:info","args":[],"extra":${deepObject}}`,
      `${deepList}`,
      `{"t":"call","id":7,"channel":"ops:execute","args":[${deepList},null]}`,
      // Wrong types everywhere.
      '{"t":"call","id":"8","channel":"app:info","args":[]}',
      '{"t":"call","id":9,"channel":42,"args":[]}',
      '{"t":"call","id":10,"channel":"sites:remove","args":{"0":"x"}}',
      '{"t":"call","id":11,"channel":"sites:remove","args":[{"toString":1}]}',
      '{"t":"call","id":12,"channel":"__proto__","args":[]}',
      '{"t":"call","id":13,"channel":"constructor","args":[]}',
      '{"t":"call","id":1e400,"channel":"app:info","args":[]}',
      'null',
      '"just a string"',
      '{"t":"call","id":14,"channel":"sites:list","args":[]}'
    ]
    const results = await session(frames, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14], 30_000)
    for (const id of [1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13]) expect(results.get(id), `frame ${id}`).toMatchObject({ result: { ok: false, error: { code: 'invalid-input' } } })
    expect(results.get(6)).toMatchObject({ result: { ok: true } })
    expect(results.get(14)).toMatchObject({ result: { ok: true, value: [] } })
    // Frames without a usable id get no answer (there is nothing to answer to).
    expect([...results.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14])
    await stillServes()
    expect(host.log.join('')).not.toMatch(/Maximum call stack|unexpected (error|rejection)/)
  }, 60_000)

  it('keeps the 8 MB frame limit: a bigger frame closes that socket only', async () => {
    const o = await open(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`)
    if (typeof o === 'number') throw new Error('refused')
    const closed = new Promise<number>((r) => o.ws.on('close', (code) => r(code)))
    o.ws.send(JSON.stringify({ t: 'call', id: 1, channel: 'app:info', args: ['x'.repeat(9 * 1024 * 1024)] }))
    expect(await closed).toBe(1009)
    await stillServes()
  })

  it('listens on 127.0.0.1 only', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address)
    for (const addr of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect(host.port, addr)
        s.on('connect', () => (s.destroy(), resolve(false)))
        s.on('error', () => resolve(true))
      })
      expect(refused, addr).toBe(true)
    }
    // And the kernel's own table: the listening socket is bound to 127.0.0.1 (0100007F).
    const table = readFileSync('/proc/net/tcp', 'utf8')
    const hex = host.port.toString(16).toUpperCase().padStart(4, '0')
    expect(table).toMatch(new RegExp(`: 0100007F:${hex} 00000000:0000 0A `))
    expect(table).not.toMatch(new RegExp(`: 00000000:${hex} 00000000:0000 0A `))
  })
})
