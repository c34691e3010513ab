import { create } from 'zustand'
import type { HostKeyDecision, HostKeyPrompt, PassphrasePrompt } from '@contract'
import { getApi } from '@renderer/api'

/** Questions the SSH layer is waiting on, oldest first (several sites can ask at once). */
interface PromptsState {
  hostKeys: HostKeyPrompt[]
  passphrases: PassphrasePrompt[]
  pushHostKey(p: HostKeyPrompt): void
  pushPassphrase(p: PassphrasePrompt): void
  drop(promptId: string): void
}

export const usePromptsStore = create<PromptsState>()((set) => ({
  hostKeys: [],
  passphrases: [],
  pushHostKey: (p) => set((s) => ({ hostKeys: [...s.hostKeys.filter((x) => x.promptId !== p.promptId), p] })),
  // A retry for the same key replaces the earlier question rather than queueing behind it.
  pushPassphrase: (p) =>
    set((s) => ({ passphrases: [...s.passphrases.filter((x) => x.promptId !== p.promptId && !(x.siteId === p.siteId && x.keyFile === p.keyFile)), p] })),
  drop: (id) => set((s) => ({ hostKeys: s.hostKeys.filter((x) => x.promptId !== id), passphrases: s.passphrases.filter((x) => x.promptId !== id) }))
}))

export const selectCurrentHostKeyPrompt = (s: PromptsState): HostKeyPrompt | undefined => s.hostKeys[0]
export const selectCurrentPassphrasePrompt = (s: PromptsState): PassphrasePrompt | undefined => s.passphrases[0]
export const selectPendingPromptCount = (s: PromptsState): number => s.hostKeys.length + s.passphrases.length

export async function answerHostKey(promptId: string, decision: HostKeyDecision): Promise<void> {
  try {
    await getApi().ssh.answerHostKey(promptId, decision)
  } finally {
    usePromptsStore.getState().drop(promptId)
  }
}

/** `passphrase` null = the operator cancelled (the site stays at passphrase-needed). */
export async function answerPassphrase(promptId: string, passphrase: string | null, remember: boolean): Promise<void> {
  try {
    await getApi().ssh.answerPassphrase(promptId, passphrase, remember)
  } finally {
    usePromptsStore.getState().drop(promptId)
  }
}
