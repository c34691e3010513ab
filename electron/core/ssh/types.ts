import type { Duplex, Readable } from 'node:stream'
import type {
  ConnectionInfo,
  HostKeyDecision,
  HostKeyInfo,
  SecretProtection
} from '../../../preload/contract'
import type { RemoteCommand } from '../../common/shellQuote'

/**
 * The SSH layer's public interfaces. Everything above it (Lotus client, poller, wizard, triage)
 * talks to a site only through `SshHost`. Commands are always structured (`RemoteCommand`) or a
 * line produced by `buildCommandLine`/`buildShellSnippet` in ../util/shellQuote.ts.
 */

export interface ExecResult {
  /** Exit code, or null when the remote process died of a signal or the channel broke. */
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
  /** Output beyond maxOutputBytes was dropped. */
  truncated: boolean
}

export interface ExecOptions {
  timeoutMs?: number
  signal?: AbortSignal
  /** Written to the remote stdin, which is then closed. */
  stdin?: string
  /** Per stream; default 16 MiB. */
  maxOutputBytes?: number
}

export interface ExecStream {
  stdout: Readable
  stderr: Readable
  /** Resolves when the remote command ends (stdout/stderr in the result are empty: read the streams). */
  done: Promise<ExecResult>
  /** Ends the remote command (signal, then channel close). */
  kill(): void
}

/** A command as the SSH layer accepts it: structured, or a line built by shellQuote. */
export type SshCommand = RemoteCommand | { line: string }

export interface SshHost {
  /** The OpenSSH config alias this host was opened by. */
  readonly alias: string
  /** Current connection state (also pushed through onState). */
  readonly info: ConnectionInfo
  /** Connects if needed (reusing the one connection), then runs the command. Never retried. */
  exec(cmd: SshCommand, opts?: ExecOptions): Promise<ExecResult>
  execStream(cmd: SshCommand, opts?: { signal?: AbortSignal }): Promise<ExecStream>
  /** A TCP stream to host:port as seen from the remote machine (direct-tcpip). */
  forwardOut(host: string, port: number, opts?: { signal?: AbortSignal }): Promise<Duplex>
  onState(listener: (info: ConnectionInfo) => void): () => void
  /** Ensures a connection now (for a refresh button); resolves when connected, rejects on failure. */
  connect(): Promise<void>
  close(): Promise<void>
}

/** Operator interaction the SSH layer needs; the Electron shell, browser host and CLI each provide one. */
export interface SshPrompts {
  /** Unknown host key: show the fingerprint, let the operator decide. */
  hostKeyUnknown(req: { siteId: string; alias: string; key: HostKeyInfo }): Promise<HostKeyDecision>
  /** Encrypted key: ask for its passphrase (null = cancelled). */
  passphrase(req: { siteId: string; keyFile: string; retry: boolean }): Promise<{ passphrase: string; remember: boolean } | null>
}

/** Where remembered passphrases live: Electron safeStorage in the app, nowhere elsewhere. */
export interface SecretStore {
  readonly protection: SecretProtection
  readonly canRemember: boolean
  get(key: string): string | null
  set(key: string, secret: string): void
  delete(key: string): void
}

export interface SshPoolOptions {
  /** OpenSSH config file (default ~/.ssh/config). */
  configPath: string
  prompts: SshPrompts
  secrets: SecretStore
  /** Keepalive interval (ms), 10–15 s. */
  keepaliveIntervalMs?: number
  /** Session channels (exec) open at once per connection. */
  maxChannels?: number
  /** Tunnels (direct-tcpip) open at once per connection. */
  maxForwards?: number
}

export interface SshPool {
  /** The one SshHost for an alias (created on first use; siteId labels its events and prompts). */
  host(alias: string, siteId: string): SshHost
  /** Re-reads the OpenSSH config (after the operator changed it or chose another file). */
  setConfigPath(path: string): void
  closeAll(): Promise<void>
}
