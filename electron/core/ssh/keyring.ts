import { readFileSync, statSync } from 'node:fs'
import { utils, type ParsedKey } from 'ssh2'
import { errorMessage } from './errors'
import type { SecretStore, SshPrompts } from './types'

/**
 * Private keys for the whole app run: read once, decrypted once. An encrypted key's passphrase
 * comes from the secret store, else from the operator (asked once per key per run, even when
 * several sites need the same key at once), and is kept in memory only for this run unless the
 * operator chose "remember" where the store can.
 */

export type UnlockResult =
  | { ok: true; key: ParsedKey }
  | { ok: false; reason: 'missing' | 'unreadable' | 'unsupported' | 'cancelled' | 'wrong-passphrase'; message: string }

export interface UnlockHooks {
  /** The operator is being asked (true) / has answered (false). */
  onPrompt(waiting: boolean): void
}

/** How many wrong passphrases before giving up on a key for this attempt (OpenSSH: 3). */
export const PASSPHRASE_TRIES = 3

function parse(data: Buffer, passphrase?: string): ParsedKey | Error {
  const k = utils.parseKey(data, passphrase)
  if (k instanceof Error) return k
  const first = Array.isArray(k) ? (k[0] as ParsedKey | undefined) : k
  if (!first) return new Error('no key in file')
  if (!first.isPrivateKey()) return new Error('not a private key')
  return first
}

export class KeyRing {
  private readonly keys = new Map<string, { mtimeMs: number; key: ParsedKey }>()
  private readonly inflight = new Map<string, Promise<UnlockResult>>()

  constructor(
    private readonly prompts: SshPrompts,
    private readonly secrets: SecretStore
  ) {}

  /** A usable private key from `file`, asking for its passphrase if needed. */
  async unlock(file: string, siteId: string, hooks: UnlockHooks): Promise<UnlockResult> {
    let mtimeMs: number
    try {
      mtimeMs = statSync(file).mtimeMs
    } catch {
      return { ok: false, reason: 'missing', message: `${file}: not found` }
    }
    const cached = this.keys.get(file)
    if (cached && cached.mtimeMs === mtimeMs) return { ok: true, key: cached.key }
    const running = this.inflight.get(file)
    if (running) {
      // Another site is unlocking the same key (maybe asking the operator): share its answer.
      hooks.onPrompt(true)
      try {
        return await running
      } finally {
        hooks.onPrompt(false)
      }
    }
    const p = this.load(file, mtimeMs, siteId, hooks).finally(() => this.inflight.delete(file))
    this.inflight.set(file, p)
    return p
  }

  private async load(file: string, mtimeMs: number, siteId: string, hooks: UnlockHooks): Promise<UnlockResult> {
    let data: Buffer
    try {
      data = readFileSync(file)
    } catch (err) {
      return { ok: false, reason: 'unreadable', message: `${file}: ${errorMessage(err)}` }
    }
    const plain = parse(data)
    if (!(plain instanceof Error)) return this.keep(file, mtimeMs, plain)
    if (!/no passphrase given/i.test(plain.message)) return { ok: false, reason: 'unsupported', message: `${file}: ${plain.message}` }

    let retry = false
    const remembered = this.safeGet(file)
    if (remembered !== null) {
      const k = parse(data, remembered)
      if (!(k instanceof Error)) return this.keep(file, mtimeMs, k)
      retry = true
    }
    for (let i = 0; i < PASSPHRASE_TRIES; i++) {
      let answer: { passphrase: string; remember: boolean } | null
      hooks.onPrompt(true)
      try {
        answer = await this.prompts.passphrase({ siteId, keyFile: file, retry })
      } catch {
        answer = null
      } finally {
        hooks.onPrompt(false)
      }
      if (answer === null) return { ok: false, reason: 'cancelled', message: `${file}: passphrase not given` }
      const k = parse(data, answer.passphrase)
      if (!(k instanceof Error)) {
        if (answer.remember && this.secrets.canRemember) {
          try {
            this.secrets.set(file, answer.passphrase)
          } catch {
            // Remembering is a convenience; the key is unlocked either way.
          }
        }
        return this.keep(file, mtimeMs, k)
      }
      retry = true
    }
    return { ok: false, reason: 'wrong-passphrase', message: `${file}: wrong passphrase (${PASSPHRASE_TRIES} tries)` }
  }

  private keep(file: string, mtimeMs: number, key: ParsedKey): UnlockResult {
    this.keys.set(file, { mtimeMs, key })
    return { ok: true, key }
  }

  private safeGet(file: string): string | null {
    try {
      return this.secrets.get(file)
    } catch {
      return null
    }
  }
}
