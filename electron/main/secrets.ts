import { safeStorage } from 'electron'
import { join } from 'node:path'
import type { SecretProtection } from '../../preload/contract'
import type { SecretStore } from '../core/ssh/types'
import { readRegularFile, writeDurably } from '../core/util/durableFile'

/**
 * Remembered SSH key passphrases, encrypted with Electron's safeStorage (Keychain, DPAPI,
 * libsecret/kwallet) and kept as base64 blobs in MINERDESK_HOME/secrets.json. Nothing is
 * stored when the OS offers no encryption; on Linux without a keyring Electron falls back to a
 * hard-coded key ("basic_text"), which the UI reports as weak protection.
 */
export function createSafeStorageSecrets(home: string): SecretStore {
  const file = join(home, 'secrets.json')
  const available = safeStorage.isEncryptionAvailable()
  let protection: SecretProtection = available ? 'os' : 'none'
  if (available && process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend()
    if (backend === 'basic_text' || backend === 'unknown') protection = 'weak'
  }
  const load = (): Record<string, string> => {
    try {
      const text = readRegularFile(file)
      return text === null ? {} : (JSON.parse(text) as Record<string, string>)
    } catch {
      return {}
    }
  }
  const save = (data: Record<string, string>): void => writeDurably(file, JSON.stringify(data))
  return {
    protection,
    canRemember: available,
    get(key) {
      if (!available) return null
      const blob = load()[key]
      if (!blob) return null
      try {
        return safeStorage.decryptString(Buffer.from(blob, 'base64'))
      } catch {
        return null
      }
    },
    set(key, secret) {
      if (!available) return
      const data = load()
      data[key] = safeStorage.encryptString(secret).toString('base64')
      save(data)
    },
    delete(key) {
      const data = load()
      if (key in data) {
        delete data[key]
        save(data)
      }
    }
  }
}
