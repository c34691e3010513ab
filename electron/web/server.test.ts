import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ServerFrame } from '../../preload/contract'
import { EventBus } from '../core/runtime/eventBus'
import type { Handlers } from '../core/runtime/handlers'
import { HIGH_WATER_BYTES, MAX_CALLS_IN_FLIGHT, startWebHost, type WebHost } from './server'

const REPLY_BYTES = 256 * 1024

/** The browser host: token on every request and upgrade, path safety, the contract over WebSocket. */
describe('browser host', () => {
  let dir: string
  let host: WebHost
  const events = new EventBus()
  const calls: unknown[] = []
  // Backpressure probes: how many app:info calls run at once, how many started at all.
  const probe = { running: 0, maxRunning: 0, started: 0, release: null as null | (() => void), gate: Promise.resolve(), big: false }
  const handlers = {
    'sites:remove': async ([id]: [string]) => {
      calls.push(id)
      return null
    },
    'app:info': async () => {
      probe.started++
      probe.running++
      probe.maxRunning = Math.max(probe.maxRunning, probe.running)
      await probe.gate
      probe.running--
      return { version: probe.big ? 'x'.repeat(REPLY_BYTES) : 't' }
    }
  } as unknown as Handlers

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-web-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>')
    writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)')
    writeFileSync(join(tmpdir(), 'md-web-secret.txt'), 'secret')
    host = await startWebHost({ handlers, events, rendererDir: dir, port: 0, version: 't' })
  })
  afterAll(async () => {
    await host?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const base = () => `http://127.0.0.1:${host.port}`

  it('refuses requests without the token and serves with it, setting an assets-only cookie', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(403)
    expect((await fetch(`${base()}/assets/a.js`)).status).toBe(403)
    const ok = await fetch(host.url)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer')
    const cookie = ok.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).not.toContain(host.token)
    const asset = await fetch(`${base()}/assets/a.js`, { headers: { cookie: cookie.split(';')[0]! } })
    expect(asset.status).toBe(200)
  })

  it('never serves files outside the renderer', async () => {
    for (const p of ['/../md-web-secret.txt', '/%2e%2e/md-web-secret.txt', '/assets/../../md-web-secret.txt']) {
      const r = await fetch(`${base()}${p}?token=${host.token}`)
      expect(r.status).toBe(404)
    }
  })

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    const fails = (url: string, origin?: string) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(url, origin ? { origin } : {})
        ws.on('open', () => (ws.close(), resolve(false)))
        ws.on('error', () => resolve(true))
      })
    expect(await fails(`ws://127.0.0.1:${host.port}/ws`)).toBe(true)
    expect(await fails(`ws://127.0.0.1:${host.port}/ws?token=nope`)).toBe(true)
    expect(await fails(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, 'http://evil.example')).toBe(true)
  })

  it('carries validated calls and events over the WebSocket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: base() })
    const frames: ServerFrame[] = []
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerFrame))
    await new Promise((r) => ws.on('open', r))
    ws.send(JSON.stringify({ t: 'call', id: 1, channel: 'sites:remove', args: ['site-1'] }))
    ws.send(JSON.stringify({ t: 'call', id: 2, channel: 'sites:remove', args: ['; rm -rf /'] }))
    ws.send(JSON.stringify({ t: 'call', id: 3, channel: 'shell:exec', args: ['id'] }))
    events.emit('settings:changed', { language: 'en' } as never)
    await new Promise((r) => setTimeout(r, 200))
    ws.close()
    const result = (id: number) => frames.find((f) => f.t === 'result' && f.id === id)
    expect(result(1)).toMatchObject({ result: { ok: true, value: null } })
    expect(result(2)).toMatchObject({ result: { ok: false, error: { code: 'invalid-input' } } })
    expect(result(3)).toMatchObject({ result: { ok: false, error: { code: 'invalid-input' } } })
    expect(calls).toEqual(['site-1'])
    expect(frames.find((f) => f.t === 'hello')).toBeTruthy()
    expect(frames.find((f) => f.t === 'event' && f.name === 'settings:changed')).toBeTruthy()
  })

  const socket = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: base() })
      ws.on('open', () => resolve(ws))
      ws.on('error', reject)
    })
  const until = async (what: string, f: () => boolean, ms = 10_000) => {
    const t0 = Date.now()
    while (!f()) {
      if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }

  it(`runs at most ${MAX_CALLS_IN_FLIGHT} calls of one connection at once, and answers them all`, async () => {
    Object.assign(probe, { running: 0, maxRunning: 0, started: 0, big: false })
    probe.gate = new Promise<void>((r) => (probe.release = r))
    const ws = await socket()
    const results = new Set<number>()
    ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as ServerFrame
      if (f.t === 'result') results.add(f.id)
    })
    for (let i = 1; i <= 200; i++) ws.send(JSON.stringify({ t: 'call', id: i, channel: 'app:info', args: [] }))
    await until('the first calls run', () => probe.running === MAX_CALLS_IN_FLIGHT)
    await new Promise((r) => setTimeout(r, 200))
    expect(probe.started).toBe(MAX_CALLS_IN_FLIGHT)
    probe.release!()
    await until('every call answered', () => results.size === 200)
    expect(probe.maxRunning).toBe(MAX_CALLS_IN_FLIGHT)
    ws.close()
  })

  it('stops reading a connection whose replies pile up unsent, and goes on once it reads again', async () => {
    Object.assign(probe, { running: 0, maxRunning: 0, started: 0, big: true, gate: Promise.resolve() })
    const ws = await socket()
    let answered = 0
    ws.on('message', (d) => {
      if ((JSON.parse(String(d)) as ServerFrame).t === 'result') answered++
    })
    // A page that stops reading: its 256 KiB replies stay in the host's send buffer.
    ws.pause()
    const total = 200
    for (let i = 1; i <= total; i++) ws.send(JSON.stringify({ t: 'call', id: i, channel: 'app:info', args: [] }))
    await new Promise((r) => setTimeout(r, 1500))
    // Replies queued up to the high-water mark (plus what the kernel buffers on loopback), not all 50 MiB.
    const bound = (HIGH_WATER_BYTES + 16 * 1024 * 1024) / REPLY_BYTES + MAX_CALLS_IN_FLIGHT
    expect(probe.started).toBeGreaterThan(0)
    expect(probe.started, `calls started while the page did not read (of ${total})`).toBeLessThan(bound)
    ws.resume()
    await until('every call answered', () => answered === total, 30_000)
    expect(probe.started).toBe(total)
    ws.close()
  })
})
