import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { newJwtSecret } from '../common/jwt'

/**
 * The repo's JWT secret, kept as Lotus keeps it: `keystore/<base32("auth-jwt-private")>` holding
 * a KeyInfo `{"Type":"jwt-hmac-secret","PrivateKey":"<base64>"}`.
 */
const JWT_KEY_FILE = 'MF2XI2BNNJ3XILLQOJUXMYLUMU'

export function jwtSecretPath(repo: string): string {
  return join(repo, 'keystore', JWT_KEY_FILE)
}

export function readJwtSecret(repo: string): Buffer {
  const ki = JSON.parse(readFileSync(jwtSecretPath(repo), 'utf8')) as { PrivateKey: string }
  return Buffer.from(ki.PrivateKey, 'base64')
}

/** Creates the secret if the repo has none; returns it. */
export function ensureJwtSecret(repo: string): Buffer {
  const file = jwtSecretPath(repo)
  if (existsSync(file)) return readJwtSecret(repo)
  mkdirSync(join(repo, 'keystore'), { recursive: true, mode: 0o700 })
  const secret = newJwtSecret()
  writeFileSync(file, JSON.stringify({ Type: 'jwt-hmac-secret', PrivateKey: secret.toString('base64') }), { mode: 0o600 })
  return secret
}
