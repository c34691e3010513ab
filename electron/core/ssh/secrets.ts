import type { SecretStore } from './types'

/**
 * The secret store for the CLI and the browser host: it remembers nothing, so passphrases live
 * only in memory for one run. (The Electron shell provides a safeStorage-backed store.)
 */
export function createMemoryOnlySecretStore(): SecretStore {
  return {
    protection: 'none',
    canRemember: false,
    get: () => null,
    set: () => undefined,
    delete: () => undefined
  }
}
