import { randomUUID } from 'node:crypto'
import {
  MinerDeskError,
  type HostKeyDecision,
  type HostKeyPrompt,
  type PassphrasePrompt,
  type PendingPrompts
} from '../../../preload/contract'
import type { SecretStore, SshPrompts } from '../ssh/types'
import type { EventBus } from './eventBus'

interface Waiting<T> {
  resolve: (v: T) => void
}

/**
 * Turns the SSH layer's questions (unknown host key, key passphrase) into events for whatever
 * UI is attached, and the UI's answers back into the SSH layer's promises. Questions stay
 * pending until answered, so a page that reconnects can ask for them again.
 */
export class PromptBroker implements SshPrompts {
  private readonly hostKeys = new Map<string, { prompt: HostKeyPrompt } & Waiting<HostKeyDecision>>()
  private readonly passphrases = new Map<string, { prompt: PassphrasePrompt } & Waiting<{ passphrase: string; remember: boolean } | null>>()

  constructor(
    private readonly events: EventBus,
    private readonly secrets: SecretStore
  ) {}

  hostKeyUnknown(req: Parameters<SshPrompts['hostKeyUnknown']>[0]): Promise<HostKeyDecision> {
    // One question per host key at a time: a second connection to the same host waits for it.
    for (const w of this.hostKeys.values()) {
      if (w.prompt.key.fingerprint === req.key.fingerprint && w.prompt.key.host === req.key.host && w.prompt.key.port === req.key.port) {
        return new Promise((resolve) => {
          const prev = w.resolve
          w.resolve = (d) => {
            prev(d)
            resolve(d)
          }
        })
      }
    }
    const prompt: HostKeyPrompt = { promptId: randomUUID(), siteId: req.siteId, alias: req.alias, key: req.key }
    return new Promise((resolve) => {
      this.hostKeys.set(prompt.promptId, { prompt, resolve })
      this.events.emit('ssh:hostKeyPrompt', prompt)
    })
  }

  passphrase(req: Parameters<SshPrompts['passphrase']>[0]): Promise<{ passphrase: string; remember: boolean } | null> {
    const prompt: PassphrasePrompt = {
      promptId: randomUUID(),
      siteId: req.siteId,
      keyFile: req.keyFile,
      retry: req.retry,
      canRemember: this.secrets.canRemember,
      protection: this.secrets.protection
    }
    return new Promise((resolve) => {
      this.passphrases.set(prompt.promptId, { prompt, resolve })
      this.events.emit('ssh:passphrasePrompt', prompt)
    })
  }

  answerHostKey(promptId: string, decision: HostKeyDecision): void {
    const w = this.hostKeys.get(promptId)
    if (!w) throw new MinerDeskError({ code: 'not-found', message: 'that host key question was already answered or has expired' })
    this.hostKeys.delete(promptId)
    w.resolve(decision)
  }

  answerPassphrase(promptId: string, passphrase: string | null, remember: boolean): void {
    const w = this.passphrases.get(promptId)
    if (!w) throw new MinerDeskError({ code: 'not-found', message: 'that passphrase question was already answered or has expired' })
    this.passphrases.delete(promptId)
    w.resolve(passphrase === null ? null : { passphrase, remember: remember && this.secrets.canRemember })
  }

  pending(): PendingPrompts {
    return {
      hostKeys: [...this.hostKeys.values()].map((w) => w.prompt),
      passphrases: [...this.passphrases.values()].map((w) => w.prompt)
    }
  }

  /** Refuses everything still waiting (shutdown). */
  cancelAll(): void {
    for (const w of this.hostKeys.values()) w.resolve('reject')
    for (const w of this.passphrases.values()) w.resolve(null)
    this.hostKeys.clear()
    this.passphrases.clear()
  }
}
