import type { AuthHandlerMiddleware, AuthenticationType, NextAuthHandler } from 'ssh2'
import type { ResolvedHost } from './config'
import type { KeyRing, UnlockHooks } from './keyring'

/**
 * Public-key authentication as OpenSSH does it for MinerDesk's options: the ssh-agent's keys
 * first (unless IdentitiesOnly names key files), then each IdentityFile in order. Passwords and
 * keyboard-interactive are not offered: a control panel must not type passwords into servers.
 */

/** ssh2 ends authentication when handed `false`; @types/ssh2 leaves that out. */
function giveUp(next: NextAuthHandler): void {
  ;(next as unknown as (v: false) => void)(false)
}

type Candidate = { kind: 'agent'; socket: string } | { kind: 'key'; file: string }

export function authCandidates(host: ResolvedHost, agentSocket: string | undefined): Candidate[] {
  const out: Candidate[] = []
  const onlyFiles = host.identitiesOnly && host.identityFiles.length > 0
  if (agentSocket && !onlyFiles) out.push({ kind: 'agent', socket: agentSocket })
  for (const file of host.identityFiles) out.push({ kind: 'key', file })
  return out
}

export interface AuthSession {
  handler: AuthHandlerMiddleware
  /** What was offered, in order, with why a method was skipped. */
  readonly tried: string[]
  /** Set once every method was tried (authentication failed, not the network). */
  readonly exhausted: boolean
  /** Set once the server asked for authentication (the host key was accepted). */
  readonly started: boolean
  /** Stops handing out methods (the connection is gone). */
  cancel(): void
}

export function createAuthSession(host: ResolvedHost, keyring: KeyRing, siteId: string, hooks: UnlockHooks, agentSocket = process.env.SSH_AUTH_SOCK): AuthSession {
  const queue = authCandidates(host, agentSocket)
  const tried: string[] = []
  let exhausted = false
  let started = false
  let cancelled = false
  const session: AuthSession = {
    tried,
    get exhausted() {
      return exhausted
    },
    get started() {
      return started
    },
    cancel() {
      cancelled = true
    },
    handler(methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next) {
      started = true
      if (methodsLeft && !methodsLeft.includes('publickey')) {
        tried.push(`the server offers only ${methodsLeft.join(', ')} (MinerDesk uses keys and ssh-agent)`)
        exhausted = true
        giveUp(next)
        return
      }
      void (async () => {
        for (;;) {
          const c = queue.shift()
          if (cancelled) return
          if (!c) {
            exhausted = true
            giveUp(next)
            return
          }
          if (c.kind === 'agent') {
            tried.push(`ssh-agent (${c.socket})`)
            next({ type: 'agent', username: host.user, agent: c.socket })
            return
          }
          const r = await keyring.unlock(c.file, siteId, hooks).catch((err: unknown) => ({ ok: false as const, message: `${c.file}: ${String(err)}` }))
          if (cancelled) return
          if (r.ok) {
            tried.push(`key ${c.file}`)
            next({ type: 'publickey', username: host.user, key: r.key })
            return
          }
          tried.push(`key ${r.message}`)
        }
      })()
    }
  }
  return session
}
