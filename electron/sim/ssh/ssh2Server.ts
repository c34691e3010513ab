import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import type * as Ssh2 from 'ssh2'
import type { Connection, ParsedKey, Server, ServerChannel, Session } from 'ssh2'

/**
 * The in-process SSH server used where OpenSSH's sshd is missing or unusable: public-key auth
 * against the one client key, `exec`/`shell` through the site's login script (exactly what
 * sshd's ForceCommand runs), `direct-tcpip` to 127.0.0.1 only (JSON-RPC over port forwarding),
 * and keepalives. ssh2 is loaded lazily: the simulator bundle is also run without node_modules.
 */
export interface Ssh2SiteServerOptions {
  listenAddress: string
  port: number
  hostKeyPath: string
  /** `ssh-ed25519 AAAA…` of the one key allowed in. */
  authorizedKeyLine: string
  /** The login name clients must use (ssh_config `User`). */
  user: string
  /** Script run for every session: `/bin/sh <loginScript>` with SSH_ORIGINAL_COMMAND. */
  loginScript: string
  /** Environment a session starts with (USER, HOME, PATH…), as sshd would set it. */
  baseEnv: Record<string, string>
  /** Switch to this account for sessions (when running as root). */
  runAs?: { uid: number; gid: number }
  cwd: string
}

export interface RunningSsh2Server {
  port: number
  close(): Promise<void>
}

const LOCAL_TARGETS = new Set(['127.0.0.1', 'localhost', '::1'])

type Ssh2Module = typeof Ssh2

async function loadSsh2(): Promise<Ssh2Module> {
  const mod = (await import('ssh2')) as Ssh2Module & { default?: Ssh2Module }
  return mod.Server ? mod : (mod.default as Ssh2Module)
}

function signalName(sig: NodeJS.Signals): string {
  return sig.replace(/^SIG/, '')
}

/** Runs one session command (or a shell when `command` is undefined) on a channel. */
function runSession(o: Ssh2SiteServerOptions, channel: ServerChannel, command: string | undefined, env: Record<string, string>): ChildProcess {
  const childEnv: Record<string, string> = { ...o.baseEnv, ...env }
  if (command !== undefined) childEnv.SSH_ORIGINAL_COMMAND = command
  const child = spawn('/bin/sh', [o.loginScript], {
    cwd: o.cwd,
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(o.runAs ?? {})
  })
  channel.pipe(child.stdin).on('error', () => undefined)
  child.stdin.on('error', () => undefined)
  child.stdout.pipe(channel, { end: false })
  child.stderr.pipe(channel.stderr, { end: false })
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null
  let openStreams = 2
  const finish = (): void => {
    if (!exited || openStreams > 0) return
    try {
      if (exited.signal) channel.exit(signalName(exited.signal), false, '')
      else channel.exit(exited.code ?? 0)
      channel.end()
    } catch {
      // The client went away first.
    }
  }
  child.stdout.on('end', () => {
    openStreams--
    finish()
  })
  child.stderr.on('end', () => {
    openStreams--
    finish()
  })
  child.on('exit', (code, signal) => {
    exited = { code, signal }
    finish()
  })
  child.on('error', (err) => {
    channel.stderr.write(`${err.message}\n`)
    exited = { code: 127, signal: null }
    openStreams = 0
    finish()
  })
  // Like sshd: the session's processes get SIGHUP when the client goes away.
  channel.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGHUP')
  })
  return child
}

function handleSession(o: Ssh2SiteServerOptions, session: Session): void {
  const env: Record<string, string> = {}
  let term: string | undefined
  session.on('pty', (accept, _reject, info) => {
    term = info.term
    accept?.()
  })
  session.on('window-change', (accept) => accept?.())
  // sshd_config has no AcceptEnv: refuse client variables, as sshd does.
  session.on('env', (_accept, reject) => reject?.())
  session.on('exec', (accept, _reject, info) => {
    const channel = accept()
    runSession(o, channel, info.command, term ? { ...env, TERM: term } : env)
  })
  session.on('shell', (accept) => {
    const channel = accept()
    runSession(o, channel, undefined, term ? { ...env, TERM: term } : env)
  })
  session.on('subsystem', (_accept, reject) => reject())
  session.on('sftp', (_accept, reject) => reject())
}

function handleTcpip(accept: () => ServerChannel, reject: () => void, destIP: string, destPort: number): void {
  if (!LOCAL_TARGETS.has(destIP)) {
    reject()
    return
  }
  const sock: Socket = connect({ host: destIP === 'localhost' ? '127.0.0.1' : destIP, port: destPort })
  let channel: ServerChannel | null = null
  sock.once('connect', () => {
    channel = accept()
    channel.pipe(sock).pipe(channel)
    channel.on('error', () => sock.destroy())
    channel.on('close', () => sock.destroy())
  })
  sock.on('error', () => {
    if (channel) channel.close()
    else reject()
  })
}

export async function startSsh2SiteServer(o: Ssh2SiteServerOptions): Promise<RunningSsh2Server> {
  const ssh2 = await loadSsh2()
  const allowed = ssh2.utils.parseKey(o.authorizedKeyLine)
  if (allowed instanceof Error) throw allowed
  const allowedKey = (Array.isArray(allowed) ? allowed[0] : allowed) as ParsedKey
  const allowedBlob = allowedKey.getPublicSSH()
  const connections = new Set<Connection>()

  const server: Server = new ssh2.Server(
    { hostKeys: [readFileSync(o.hostKeyPath)], keepaliveInterval: 15_000, keepaliveCountMax: 4, ident: 'OpenSSH_9.2p1' },
    (client) => {
      connections.add(client)
      client.on('close', () => connections.delete(client))
      client.on('error', () => undefined)
      client.on('authentication', (ctx) => {
        if (ctx.method !== 'publickey' || ctx.username !== o.user) return ctx.reject(['publickey'])
        if (ctx.key.algo !== allowedKey.type || !ctx.key.data.equals(allowedBlob)) return ctx.reject(['publickey'])
        if (ctx.signature && ctx.blob) {
          if (allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey'])
        }
        ctx.accept()
      })
      client.on('ready', () => {
        client.on('session', (accept) => handleSession(o, accept()))
        client.on('tcpip', (accept, reject, info) => handleTcpip(accept, reject, info.destIP, info.destPort))
        client.on('request', (accept, reject) => reject?.())
      })
    }
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port, o.listenAddress, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    port: o.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.end()
        server.close(() => resolve())
      })
  }
}
