import type { Duplex } from 'node:stream'

/**
 * A minimal HTTP/1.1 client connection over any Duplex (an SSH direct-tcpip channel is not a
 * net.Socket, so node:http's Agent cannot pool it without patching). One request at a time,
 * no pipelining; responses with Content-Length, chunked, or read-until-close bodies. The
 * connection is reusable when the response ended cleanly and neither side asked to close.
 */

export interface HttpResponse {
  status: number
  /** Lower-case header names; repeated headers joined with ', '. */
  headers: Record<string, string>
  body: Buffer
}

export class HttpProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'HttpProtocolError'
  }
}

/** The connection ended (or broke) before a complete response arrived. */
export class ConnectionClosedError extends Error {
  /** Whether any response byte had arrived. */
  readonly partial: boolean
  constructor(message: string, partial: boolean) {
    super(message)
    this.name = 'ConnectionClosedError'
    this.partial = partial
  }
}

const MAX_HEADER_BYTES = 64 * 1024
/** StateMinerActiveSectors of a large miner runs to tens of MB; anything beyond this is not Lotus. */
export const MAX_BODY_BYTES = 512 * 1024 * 1024

type BodyMode = { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' } | { kind: 'none' }

/** Incremental response parser: feed bytes, get a response once complete. */
export class ResponseParser {
  private buf: Buffer = Buffer.alloc(0)
  private head: { status: number; headers: Record<string, string>; keepAlive: boolean } | null = null
  private mode: BodyMode | null = null
  private bodyParts: Buffer[] = []
  private bodyBytes = 0
  private chunkState: 'size' | 'data' | 'data-crlf' | 'trailers' = 'size'
  private chunkRemaining = 0
  done: HttpResponse | null = null
  keepAlive = false
  /** Bytes received beyond the end of the response (never expected: no pipelining). */
  extra = 0

  get started(): boolean {
    return this.buf.length > 0 || this.head !== null
  }

  constructor(private readonly method: string) {}

  push(chunk: Buffer): void {
    if (this.done) {
      this.extra += chunk.length
      return
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    this.run()
  }

  /** The peer closed: completes a read-until-close body, otherwise the response is cut short. */
  end(): void {
    if (this.done) return
    if (this.head && this.mode?.kind === 'close') {
      this.addBody(this.buf)
      this.buf = Buffer.alloc(0)
      this.finish(false)
    }
  }

  private run(): void {
    while (!this.done) {
      if (!this.head) {
        if (!this.parseHead()) return
        continue
      }
      if (!this.parseBody()) return
    }
  }

  private parseHead(): boolean {
    const end = this.buf.indexOf('\r\n\r\n')
    if (end < 0) {
      if (this.buf.length > MAX_HEADER_BYTES) throw new HttpProtocolError('response headers too large')
      return false
    }
    const lines = this.buf.subarray(0, end).toString('latin1').split('\r\n')
    this.buf = this.buf.subarray(end + 4)
    const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '')
    if (!m) throw new HttpProtocolError(`not an HTTP/1.x response: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`)
    const status = Number(m[2])
    const headers: Record<string, string> = {}
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':')
      if (i <= 0) throw new HttpProtocolError('malformed header line')
      const name = line.slice(0, i).trim().toLowerCase()
      const value = line.slice(i + 1).trim()
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
    }
    if (status >= 100 && status < 200) return true // interim response: wait for the real one
    const conn = (headers['connection'] ?? '').toLowerCase()
    const keepAlive = m[1] === '1' ? !/\bclose\b/.test(conn) : /\bkeep-alive\b/.test(conn)
    this.head = { status, headers, keepAlive }
    const te = (headers['transfer-encoding'] ?? '').toLowerCase()
    if (this.method === 'HEAD' || status === 204 || status === 304) this.mode = { kind: 'none' }
    else if (te !== '') {
      if (!/(^|,)\s*chunked\s*$/.test(te)) throw new HttpProtocolError(`unsupported transfer-encoding ${te}`)
      this.mode = { kind: 'chunked' }
    } else if (headers['content-length'] !== undefined) {
      if (!/^\d+$/.test(headers['content-length'])) throw new HttpProtocolError('bad content-length')
      const n = Number(headers['content-length'])
      if (n > MAX_BODY_BYTES) throw new HttpProtocolError('response body too large')
      this.mode = { kind: 'length', remaining: n }
    } else this.mode = { kind: 'close' }
    return true
  }

  private addBody(b: Buffer): void {
    if (b.length === 0) return
    this.bodyBytes += b.length
    if (this.bodyBytes > MAX_BODY_BYTES) throw new HttpProtocolError('response body too large')
    this.bodyParts.push(b)
  }

  private finish(reusable: boolean): void {
    const head = this.head!
    this.done = { status: head.status, headers: head.headers, body: Buffer.concat(this.bodyParts) }
    this.keepAlive = reusable && head.keepAlive
    if (this.buf.length > 0) this.extra += this.buf.length
    this.buf = Buffer.alloc(0)
  }

  /** Returns false when more bytes are needed. */
  private parseBody(): boolean {
    const mode = this.mode!
    switch (mode.kind) {
      case 'none':
        this.finish(true)
        return true
      case 'close':
        this.addBody(this.buf)
        this.buf = Buffer.alloc(0)
        return false
      case 'length': {
        const take = Math.min(mode.remaining, this.buf.length)
        this.addBody(this.buf.subarray(0, take))
        this.buf = this.buf.subarray(take)
        mode.remaining -= take
        if (mode.remaining === 0) {
          this.finish(true)
          return true
        }
        return false
      }
      case 'chunked':
        return this.parseChunk()
    }
  }

  private parseChunk(): boolean {
    for (;;) {
      if (this.chunkState === 'size' || this.chunkState === 'trailers' || this.chunkState === 'data-crlf') {
        const eol = this.buf.indexOf('\r\n')
        if (eol < 0) {
          if (this.buf.length > MAX_HEADER_BYTES) throw new HttpProtocolError('chunk line too long')
          return false
        }
        const line = this.buf.subarray(0, eol).toString('latin1')
        this.buf = this.buf.subarray(eol + 2)
        if (this.chunkState === 'data-crlf') {
          if (line !== '') throw new HttpProtocolError('missing CRLF after chunk data')
          this.chunkState = 'size'
          continue
        }
        if (this.chunkState === 'trailers') {
          if (line === '') {
            this.finish(true)
            return true
          }
          continue
        }
        const sizeText = line.split(';')[0]!.trim()
        if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new HttpProtocolError('bad chunk size')
        const size = parseInt(sizeText, 16)
        if (size === 0) {
          this.chunkState = 'trailers'
          continue
        }
        this.chunkRemaining = size
        this.chunkState = 'data'
      }
      if (this.chunkState === 'data') {
        const take = Math.min(this.chunkRemaining, this.buf.length)
        this.addBody(this.buf.subarray(0, take))
        this.buf = this.buf.subarray(take)
        this.chunkRemaining -= take
        if (this.chunkRemaining > 0) return false
        this.chunkState = 'data-crlf'
      }
    }
  }
}

export interface HttpRequest {
  method: 'POST' | 'GET'
  path: string
  /** Host header value. */
  host: string
  headers: Record<string, string>
  body?: Buffer
}

export function serializeRequest(req: HttpRequest): Buffer {
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${req.host}`]
  for (const [k, v] of Object.entries(req.headers)) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new HttpProtocolError('header contains a line break')
    lines.push(`${k}: ${v}`)
  }
  const body = req.body ?? Buffer.alloc(0)
  if (req.method === 'POST') lines.push(`Content-Length: ${body.length}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return body.length > 0 ? Buffer.concat([head, body]) : head
}

/**
 * One HTTP connection over a Duplex. `request` may be called again after the previous one
 * resolved, while `reusable` is true.
 */
export class HttpConnection {
  private parser: ResponseParser | null = null
  private settle: ((err: Error | null) => void) | null = null
  private closedReason: string | null = null
  readonly createdAt = Date.now()
  requests = 0

  constructor(private readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => this.onData(chunk))
    stream.on('end', () => this.onEnd('the server closed the connection'))
    stream.on('close', () => this.onEnd('the connection closed'))
    stream.on('error', (err: Error) => this.onEnd(`connection error: ${err.message}`))
    if (stream.destroyed || stream.readableEnded) this.closedReason = 'the stream was already closed'
  }

  /** False once the stream ended, errored, or a response asked to close. */
  get reusable(): boolean {
    return this.closedReason === null && this.parser === null
  }

  get closed(): boolean {
    return this.closedReason !== null
  }

  private onData(chunk: Buffer): void {
    const parser = this.parser
    if (!parser) {
      // Bytes while idle: the server is not speaking HTTP/1.1 request-response; drop the stream.
      this.destroy('unexpected bytes on an idle connection')
      return
    }
    try {
      parser.push(chunk)
    } catch (err) {
      this.fail(err as Error)
      return
    }
    if (parser.done) this.complete()
  }

  private onEnd(reason: string): void {
    const parser = this.parser
    if (parser && !parser.done) {
      try {
        parser.end()
      } catch (err) {
        this.fail(err as Error)
        return
      }
      if (parser.done) {
        this.closedReason ??= reason
        this.complete()
        return
      }
      this.closedReason ??= reason
      this.fail(new ConnectionClosedError(reason, parser.started))
      return
    }
    this.closedReason ??= reason
    // The server closed an idle kept-alive connection: release the SSH channel now, not at the
    // client's idle timer — a host has only a few channels, and a dead one blocks the others.
    if (!this.stream.destroyed) this.stream.destroy()
  }

  private complete(): void {
    const parser = this.parser!
    const settle = this.settle
    this.parser = null
    this.settle = null
    if (!parser.keepAlive || parser.extra > 0) this.destroy('not reusable after this response')
    settle?.(null)
  }

  private fail(err: Error): void {
    const settle = this.settle
    this.parser = null
    this.settle = null
    this.destroy(err.message)
    settle?.(err)
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    if (!this.reusable) return Promise.reject(new ConnectionClosedError(this.closedReason ?? 'connection busy', false))
    const parser = new ResponseParser(req.method)
    this.parser = parser
    this.requests++
    return new Promise<HttpResponse>((resolve, reject) => {
      this.settle = (err) => (err ? reject(err) : resolve(parser.done!))
      try {
        // A write to a stream that closed meanwhile reports only through its callback.
        this.stream.write(serializeRequest(req), (err) => {
          if (err && this.parser === parser) this.fail(new ConnectionClosedError(`write failed: ${err.message}`, false))
        })
      } catch (err) {
        this.fail(err as Error)
      }
    })
  }

  /** Ends the connection; a request in flight fails. */
  destroy(reason = 'closed by MinerDesk'): void {
    this.closedReason ??= reason
    if (this.settle) {
      const settle = this.settle
      this.settle = null
      this.parser = null
      settle(new ConnectionClosedError(reason, true))
    }
    this.stream.destroy()
  }
}
