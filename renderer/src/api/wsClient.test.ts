import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MinerDeskError, type ClientFrame, type ServerFrame, type SiteSnapshot } from '@contract'
import { createWsTransport, wsUrlFromLocation, type SocketLike } from './wsClient'

class FakeSocket implements SocketLike {
  readyState = 0
  onopen: ((ev: unknown) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  sent: ClientFrame[] = []
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame)
  }
  close(): void {
    this.readyState = 3
    this.onclose?.({})
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  push(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
}

describe('browser-host WebSocket transport', () => {
  let sockets: FakeSocket[]
  const make = () =>
    createWsTransport({
      url: 'ws://h/ws?token=t',
      hasToken: true,
      createSocket: (url) => {
        const s = new FakeSocket(url)
        sockets.push(s)
        return s
      },
      backoffMs: () => 1000,
      queueTimeoutMs: 5000
    })
  const last = () => sockets[sockets.length - 1] as FakeSocket

  beforeEach(() => {
    sockets = []
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('sends calls as frames and resolves results by id', async () => {
    const t = make()
    last().open()
    const p = t.api.sites.list()
    const frame = last().sent[0] as ClientFrame
    expect(frame).toMatchObject({ t: 'call', channel: 'sites:list', args: [] })
    last().push({ t: 'result', id: frame.id, result: { ok: true, value: [] } })
    await expect(p).resolves.toEqual([])
  })

  it('rejects with MinerDeskError carrying the contract ErrorInfo', async () => {
    const t = make()
    last().open()
    const p = t.api.sites.remove('a')
    const frame = last().sent[0] as ClientFrame
    expect(frame.args).toEqual(['a'])
    last().push({ t: 'result', id: frame.id, result: { ok: false, error: { code: 'not-found', message: 'no site a', hint: 'reload' } } })
    const err = await p.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MinerDeskError)
    expect(err).toMatchObject({ code: 'not-found', message: 'no site a', hint: 'reload' })
  })

  it('dispatches events to the named subscriptions and unsubscribes', () => {
    const t = make()
    last().open()
    const got: string[] = []
    const off = t.api.events.onOverviewSnapshot((s) => got.push(s.siteId))
    last().push({ t: 'event', name: 'overview:snapshot', payload: { siteId: 'a' } as SiteSnapshot })
    off()
    last().push({ t: 'event', name: 'overview:snapshot', payload: { siteId: 'b' } as SiteSnapshot })
    expect(got).toEqual(['a'])
  })

  it('queues calls until the socket opens', async () => {
    const t = make()
    const p = t.api.app.info()
    expect(last().sent).toHaveLength(0)
    last().open()
    const frame = last().sent[0] as ClientFrame
    last().push({ t: 'result', id: frame.id, result: { ok: true, value: { host: 'web' } } })
    await expect(p).resolves.toEqual({ host: 'web' })
  })

  it('rejects in-flight calls on a drop (never resent) and reconnects with backoff', async () => {
    const t = make()
    const states: string[] = []
    t.onStatus((s) => states.push(s.state))
    last().open()
    const p = t.api.overview.refresh(null)
    last().close()
    await expect(p).rejects.toMatchObject({ code: 'host/disconnected' })
    expect(t.status().state).toBe('lost')
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(1000)
    expect(sockets).toHaveLength(2)
    last().open()
    expect(states).toEqual(['open', 'lost', 'open'])
    expect(last().sent).toHaveLength(0)
  })

  it('fails a queued call when the host stays away', async () => {
    const t = make()
    const p = t.api.settings.get()
    vi.advanceTimersByTime(5000)
    await expect(p).rejects.toMatchObject({ code: 'host/disconnected' })
    expect(t.status().state).toBe('connecting')
  })

  it('builds the socket URL from the page address and its token', () => {
    expect(wsUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:8080', search: '?token=a%2Bb' })).toEqual({
      url: 'ws://127.0.0.1:8080/ws?token=a%2Bb',
      hasToken: true
    })
    expect(wsUrlFromLocation({ protocol: 'http:', host: 'x', search: '' }).hasToken).toBe(false)
  })
})
