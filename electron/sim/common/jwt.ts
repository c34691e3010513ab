import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Lotus API permissions, weakest first (api/permissioned.go). */
export const PERMISSIONS = ['read', 'write', 'sign', 'admin'] as const
export type Permission = (typeof PERMISSIONS)[number]

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString('base64url')
}

/** A new JWT secret, as `lotus` keeps one per repo (keystore `auth-jwt-private`). */
export function newJwtSecret(): Buffer {
  return randomBytes(32)
}

/** HS256 token with Lotus's payload `{"Allow":[…]}`. */
export function signToken(secret: Buffer, allow: readonly Permission[]): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const payload = b64url(JSON.stringify({ Allow: allow }))
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${sig}`
}

/** The permissions a valid token grants, or null when the token does not verify. */
export function verifyToken(secret: Buffer, token: string): Permission[] | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  const [h, p, s] = parts as [string, string, string]
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest()
  let given: Buffer
  try {
    given = Buffer.from(s, 'base64url')
  } catch {
    return null
  }
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  try {
    const body = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { Allow?: unknown }
    if (!Array.isArray(body.Allow)) return null
    return body.Allow.filter((x): x is Permission => (PERMISSIONS as readonly string[]).includes(x as string))
  } catch {
    return null
  }
}

export function hasPermission(granted: readonly Permission[], need: Permission): boolean {
  return granted.includes(need)
}
