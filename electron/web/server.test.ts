import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ServerFrame } from '../../preload/contract'
import { EventBus } from '../core/runtime/eventBus'
import type { Handlers } from '../core/app/handlers'
import { startWebHost, type WebHost } from './server'

/** The browser host: token on every request and upgrade, path safety, the contract over WebSocket. */
describe('browser host', () => {
  let dir: string
  let host: WebHost
  const events = new EventBus()
  const calls: unknown[] = []
  const handlers = {
    'sites:remove': async ([id]: [string]) => {
      calls.push(id)
      return null
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

  it('refuses requests without the token and serves with it, setting a same-site cookie', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(403)
    expect((await fetch(`${base()}/assets/a.js`)).status).toBe(403)
    const ok = await fetch(host.url)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer')
    const cookie = ok.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
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
})
