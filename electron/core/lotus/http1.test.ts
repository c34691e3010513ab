import { PassThrough, Duplex } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { ConnectionClosedError, HttpConnection, HttpProtocolError, ResponseParser, serializeRequest } from './http1'

function feed(p: ResponseParser, text: string, step = text.length): void {
  const buf = Buffer.from(text, 'latin1')
  for (let i = 0; i < buf.length; i += step) p.push(buf.subarray(i, i + step))
}

describe('ResponseParser', () => {
  it('reads a Content-Length body split at every byte', () => {
    const p = new ResponseParser('POST')
    feed(p, 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello', 1)
    expect(p.done).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } })
    expect(p.done!.body.toString()).toBe('hello')
    expect(p.keepAlive).toBe(true)
  })

  it('reads chunked bodies with extensions and trailers, in odd pieces', () => {
    const p = new ResponseParser('POST')
    feed(p, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n', 7)
    expect(p.done!.body.toString()).toBe('abc0123456789abcdef')
    expect(p.keepAlive).toBe(true)
  })

  it('reads until close when there is no length, and never reuses such a connection', () => {
    const p = new ResponseParser('POST')
    feed(p, 'HTTP/1.0 200 OK\r\n\r\npartial')
    expect(p.done).toBeNull()
    p.end()
    expect(p.done!.body.toString()).toBe('partial')
    expect(p.keepAlive).toBe(false)
  })

  it('honours Connection: close, skips 100 Continue, and has no body for 204', () => {
    const a = new ResponseParser('POST')
    feed(a, 'HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    expect(a.done!.status).toBe(401)
    expect(a.keepAlive).toBe(false)
    const b = new ResponseParser('POST')
    feed(b, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n')
    expect(b.done!.status).toBe(204)
  })

  it('rejects what is not HTTP', () => {
    expect(() => feed(new ResponseParser('POST'), 'SSH-2.0-OpenSSH_9.2\r\n\r\n')).toThrow(HttpProtocolError)
    expect(() => feed(new ResponseParser('POST'), 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/)
  })
})

describe('HttpConnection', () => {
  /** A Duplex whose other side the test drives. */
  function pair(): { conn: HttpConnection; written: Buffer[]; server: PassThrough; stream: Duplex } {
    const server = new PassThrough()
    const written: Buffer[] = []
    const stream = new Duplex({
      read() {},
      write(chunk: Buffer, _e, cb) {
        written.push(chunk)
        cb()
      }
    })
    server.on('data', (c: Buffer) => stream.push(c))
    server.on('end', () => stream.push(null))
    return { conn: new HttpConnection(stream), written, server, stream }
  }

  it('serializes requests with Host and Content-Length and refuses header injection', () => {
    const b = serializeRequest({ method: 'POST', path: '/rpc/v1', host: '127.0.0.1:1234', headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{}') })
    expect(b.toString()).toBe('POST /rpc/v1 HTTP/1.1\r\nHost: 127.0.0.1:1234\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}')
    expect(() => serializeRequest({ method: 'POST', path: '/', host: 'h', headers: { Authorization: 'Bearer x\r\nEvil: 1' } })).toThrow(/line break/)
  })

  it('does two requests on one stream, then fails a third when the server closes mid-answer', async () => {
    const { conn, written, server } = pair()
    const r1 = conn.request({ method: 'POST', path: '/', host: 'h', headers: {}, body: Buffer.from('1') })
    server.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    expect((await r1).body.toString()).toBe('ok')
    expect(conn.reusable).toBe(true)
    const r2 = conn.request({ method: 'POST', path: '/', host: 'h', headers: {}, body: Buffer.from('2') })
    server.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes')
    expect((await r2).body.toString()).toBe('yes')
    expect(written).toHaveLength(2)
    const r3 = conn.request({ method: 'POST', path: '/', host: 'h', headers: {}, body: Buffer.from('3') })
    server.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort')
    server.end()
    await expect(r3).rejects.toBeInstanceOf(ConnectionClosedError)
    expect(conn.reusable).toBe(false)
  })

  it('releases the stream as soon as the server closes an idle kept-alive connection', async () => {
    const { conn, server, stream } = pair()
    const res = conn.request({ method: 'POST', path: '/rpc/v0', host: 'x', headers: {}, body: Buffer.from('{}') })
    server.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}')
    await res
    expect(conn.reusable).toBe(true)
    server.end()
    await new Promise((r) => setImmediate(r))
    expect(conn.closed).toBe(true)
    expect(stream.destroyed).toBe(true)
  })

  it('fails at once on a stream that closed before the request (no hang until timeout)', async () => {
    const { conn, stream } = pair()
    stream.destroy()
    await new Promise((r) => setImmediate(r))
    await expect(conn.request({ method: 'POST', path: '/', host: 'h', headers: {} })).rejects.toBeInstanceOf(ConnectionClosedError)
    const late = new Duplex({ read() {}, write(_c, _e, cb) { cb() } })
    late.destroy()
    const c2 = new HttpConnection(late)
    expect(c2.reusable).toBe(false)
  })
})
