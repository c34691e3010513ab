import { createHmac, randomBytes } from 'node:crypto'
import { appendFileSync, chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs'
import { dirname } from 'node:path'
import { fingerprintSha256 } from './hostKey'
import { matchHostList } from './patterns'

/**
 * OpenSSH known_hosts (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): `[marker] hosts keytype base64
 * [comment]`, hosts being a comma list of patterns (with `!` negation), `[host]:port` for
 * non-22 ports, or one hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
 */

/** The name known_hosts stores for a host and port (OpenSSH put_host_port). */
export function knownHostName(host: string, port: number): string {
  const h = host.toLowerCase()
  return port === 22 ? h : `[${h}]:${port}`
}

export interface KnownHostEntry {
  file: string
  /** 1-based line number, as ssh-keygen -F and OpenSSH's warnings print it. */
  line: number
  marker: 'revoked' | 'cert-authority' | null
  keyType: string
  keyBlob: Buffer
}

function hashedMatches(field: string, name: string): boolean {
  const parts = field.split('|')
  if (parts.length !== 4 || parts[1] !== '1') return false
  const salt = Buffer.from(parts[2] as string, 'base64')
  const want = Buffer.from(parts[3] as string, 'base64')
  const got = createHmac('sha1', salt).update(name).digest()
  return want.length === got.length && want.equals(got)
}

function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatches(field, name)
  return matchHostList(name, field) === 1
}

function readLines(file: string): string[] | null {
  try {
    return readFileSync(file, 'utf8').split('\n')
  } catch {
    // Absent or unreadable files count as empty, as OpenSSH treats them.
    return null
  }
}

/** Every entry of `file` that applies to host:port, in file order (what ssh-keygen -F lists). */
export function findHostEntries(file: string, host: string, port: number): KnownHostEntry[] {
  const lines = readLines(file)
  if (!lines) return []
  const name = knownHostName(host, port)
  const out: KnownHostEntry[] = []
  lines.forEach((raw, i) => {
    const text = raw.trim()
    if (text === '' || text.startsWith('#')) return
    const fields = text.split(/\s+/)
    let marker: KnownHostEntry['marker'] = null
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift()
      if (m === '@revoked') marker = 'revoked'
      else if (m === '@cert-authority') marker = 'cert-authority'
      else return
    }
    const [hosts, keyType, b64] = fields
    if (!hosts || !keyType || !b64 || /^\d+$/.test(keyType)) return
    if (!hostFieldMatches(hosts, name)) return
    out.push({ file, line: i + 1, marker, keyType, keyBlob: Buffer.from(b64, 'base64') })
  })
  return out
}

export interface KnownKey {
  keyType: string
  fingerprint: string
  file: string
  line: number
}

export type KnownHostsResult =
  | { status: 'match'; file: string; line: number }
  /** No entry for this key type; `others` are the host's known keys of other types (OpenSSH shows them too). */
  | { status: 'unknown'; otherTypes: string[]; others: KnownKey[] }
  /** Entries of this type exist but none holds this key: the first is where to fix it. */
  | { status: 'changed'; expected: KnownKey[] }
  | { status: 'revoked'; file: string; line: number }

/** Checks a host key against known_hosts files the way OpenSSH's check_host_key does. */
export function checkKnownHosts(files: readonly string[], host: string, port: number, keyType: string, keyBlob: Buffer): KnownHostsResult {
  const entries = files.flatMap((f) => findHostEntries(f, host, port)).filter((e) => e.marker !== 'cert-authority')
  const revoked = entries.find((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob))
  if (revoked) return { status: 'revoked', file: revoked.file, line: revoked.line }
  const plain = entries.filter((e) => e.marker === null)
  const same = plain.find((e) => e.keyBlob.equals(keyBlob))
  if (same) return { status: 'match', file: same.file, line: same.line }
  const sameType = plain.filter((e) => e.keyType === keyType)
  if (sameType.length > 0) {
    return { status: 'changed', expected: sameType.map((e) => ({ keyType: e.keyType, fingerprint: fingerprintSha256(e.keyBlob), file: e.file, line: e.line })) }
  }
  return {
    status: 'unknown',
    otherTypes: [...new Set(plain.map((e) => e.keyType))],
    others: plain.map((e) => ({ keyType: e.keyType, fingerprint: fingerprintSha256(e.keyBlob), file: e.file, line: e.line }))
  }
}

/** Key types known for host:port (to offer matching host-key algorithms first). */
export function knownKeyTypes(files: readonly string[], host: string, port: number): string[] {
  const types = files.flatMap((f) => findHostEntries(f, host, port)).filter((e) => e.marker === null).map((e) => e.keyType)
  return [...new Set(types)]
}

/** A hashed host field for `name`, as `ssh-keygen -H` and HashKnownHosts write it. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`
}

function fileIsHashed(file: string): boolean {
  const lines = readLines(file)
  return lines?.some((l) => l.trim().startsWith('|1|')) ?? false
}

function endsWithNewline(file: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const size = fstatSync(fd).size
    if (size === 0) return true
    const b = Buffer.alloc(1)
    readSync(fd, b, 0, 1, size - 1)
    return b[0] === 0x0a
  } finally {
    closeSync(fd)
  }
}

/**
 * Appends one line for host:port to `file` (hashed when the file already holds hashed entries),
 * creating the file (0600) and its directory (0700) if needed. Returns the line written.
 */
export function addKnownHost(file: string, host: string, port: number, keyType: string, keyBlob: Buffer): string {
  const name = knownHostName(host, port)
  const exists = existsSync(file)
  const field = exists && fileIsHashed(file) ? hashHostName(name) : name
  const line = `${field} ${keyType} ${keyBlob.toString('base64')}`
  if (!exists) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    appendFileSync(file, `${line}\n`, { mode: 0o600 })
    chmodSync(file, 0o600)
  } else {
    appendFileSync(file, `${endsWithNewline(file) ? '' : '\n'}${line}\n`)
  }
  return line
}
