/** Per-site connection state, reported as an event stream by the SSH layer. */
export const CONNECTION_STATES = [
  'idle',
  'connecting',
  'connected',
  'auth-failed',
  'passphrase-needed',
  'host-key-unknown',
  'host-key-changed',
  'unreachable',
  'stale',
  'config-error'
] as const
export type ConnectionStateName = (typeof CONNECTION_STATES)[number]

export interface ConnectionInfo {
  siteId: string
  state: ConnectionStateName
  /** When the site entered this state (ms since epoch). */
  since: number
  /** Human detail from the SSH layer (English, verbatim: errno text, sshd banner…). */
  detail?: string
  /** Reconnect attempt counter and when the next attempt is due (ms since epoch). */
  attempt?: number
  nextRetryAt?: number
  /** Set for host-key states. */
  hostKey?: HostKeyInfo
  /**
   * SSH aliases on the way to this site (jump hosts, the site) whose OpenSSH config says
   * `StrictHostKeyChecking no`: a new host key is accepted without asking (and recorded, as
   * OpenSSH does). Shown as a lasting warning; MinerDesk still refuses changed or revoked keys.
   */
  hostKeyCheckingOff?: string[]
}

export interface HostKeyInfo {
  host: string
  port: number
  keyType: string
  /** OpenSSH style: `SHA256:base64…` */
  fingerprint: string
  /** For a changed key: the fingerprint known_hosts expected. */
  expectedFingerprint?: string
  knownHostsFile: string
  /** For a changed key: the 1-based line of known_hosts holding the old key (what the operator fixes). */
  knownHostsLine?: number
  /**
   * For an unknown key: keys of OTHER types already known for this host (OpenSSH's "keys of
   * different type are already known for this host"): the host presents a new key type.
   */
  otherKnownKeys?: Array<{ keyType: string; fingerprint: string; file: string; line: number }>
}

/** An unknown host key waiting for the operator's decision. */
export interface HostKeyPrompt {
  promptId: string
  siteId: string
  alias: string
  key: HostKeyInfo
}
export type HostKeyDecision = 'reject' | 'accept-once' | 'accept-save'

/** An encrypted private key waiting for its passphrase. */
export interface PassphrasePrompt {
  promptId: string
  siteId: string
  keyFile: string
  /** The previous attempt was wrong. */
  retry: boolean
  /** Whether remembering is possible (Electron safeStorage) and how well it is protected. */
  canRemember: boolean
  protection: SecretProtection
}
export type SecretProtection = 'os' | 'weak' | 'none'
