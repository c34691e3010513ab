import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'

export const SSHD_CANDIDATES = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/usr/bin/sshd']

/** Path of OpenSSH's sshd, or null where it is not installed. */
export function findSshd(): string | null {
  for (const p of SSHD_CANDIDATES) if (existsSync(p)) return p
  return null
}

/** sshd refuses to start without its privilege-separation directory; only root can make it. */
export function sshdUsable(): boolean {
  if (!findSshd()) return false
  if (existsSync('/run/sshd')) return true
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    try {
      mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
      return true
    } catch {
      return false
    }
  }
  return false
}

export interface OpenSshdOptions {
  /** Directory for sshd_config, pid file and log. */
  dir: string
  listenAddress: string
  port: number
  hostKeyPath: string
  authorizedKeysPath: string
  allowUser: string
  /** Script every session runs instead of the client's command (SSH_ORIGINAL_COMMAND holds it). */
  forceCommand?: string
  /**
   * Extra environment of the sshd process itself (sessions never see it: sshd builds their
   * environment from scratch). The simulator marks its sshds with MDSIM_SITE so `down` finds them.
   */
  env?: Record<string, string>
}

export interface RunningSshd {
  pid: number
  port: number
  configPath: string
  logPath: string
  process: ChildProcess
  stop(): Promise<void>
}

export function sshdConfigText(o: OpenSshdOptions): string {
  const lines = [
    `# Written by MinerDesk for a simulated Lotus site.`,
    `Port ${o.port}`,
    `ListenAddress ${o.listenAddress}`,
    `HostKey ${o.hostKeyPath}`,
    `PidFile ${join(o.dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${o.authorizedKeysPath}`,
    `AllowUsers ${o.allowUser}`,
    `PubkeyAuthentication yes`,
    `PasswordAuthentication no`,
    `KbdInteractiveAuthentication no`,
    `UsePAM no`,
    // Keys live under a temporary directory whose modes sshd would otherwise reject.
    `StrictModes no`,
    `PermitRootLogin no`,
    `AllowTcpForwarding local`,
    `X11Forwarding no`,
    `PrintMotd no`,
    `PrintLastLog no`,
    `UseDNS no`,
    `MaxSessions 16`,
    `MaxStartups 64:30:128`,
    `LogLevel INFO`
  ]
  if (o.forceCommand) lines.push(`ForceCommand ${o.forceCommand}`)
  return `${lines.join('\n')}\n`
}

function waitForPort(host: string, port: number, timeoutMs: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`sshd exited with code ${child.exitCode}: ${log()}`))
        return
      }
      const sock = connect({ host, port })
      sock.once('connect', () => {
        sock.destroy()
        resolve()
      })
      sock.once('error', () => {
        sock.destroy()
        if (Date.now() > deadline) reject(new Error(`sshd did not listen on ${host}:${port} within ${timeoutMs} ms: ${log()}`))
        else setTimeout(attempt, 50)
      })
    }
    attempt()
  })
}

/** Starts OpenSSH's sshd in the foreground (`-D -e`) with a private config; resolves once it listens. */
export async function startOpenSshd(o: OpenSshdOptions): Promise<RunningSshd> {
  const sshd = findSshd()
  if (!sshd) throw new Error('OpenSSH sshd is not installed')
  if (!sshdUsable()) throw new Error('sshd needs /run/sshd, which only root can create')
  mkdirSync(o.dir, { recursive: true })
  const configPath = join(o.dir, 'sshd_config')
  const logPath = join(o.dir, 'sshd.log')
  writeFileSync(configPath, sshdConfigText(o))
  const { openSync } = await import('node:fs')
  const logFd = openSync(logPath, 'a')
  const child = spawn(sshd, ['-D', '-e', '-f', configPath], {
    stdio: ['ignore', logFd, logFd],
    detached: true,
    env: { ...process.env, ...o.env }
  })
  closeSync(logFd)
  child.unref()
  const { readFileSync } = await import('node:fs')
  const readLog = (): string => {
    try {
      return readFileSync(logPath, 'utf8').slice(-2000)
    } catch {
      return ''
    }
  }
  await waitForPort(o.listenAddress, o.port, 10_000, child, readLog)
  const pid = child.pid
  if (pid === undefined) throw new Error('sshd did not start')
  return {
    pid,
    port: o.port,
    configPath,
    logPath,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        try {
          process.kill(pid, 'SIGTERM')
        } catch {
          resolve()
        }
      })
  }
}
