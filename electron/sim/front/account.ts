import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ensureSimUser, type LoginUser } from '../ssh/user'
import { SimUsageError } from './errors'

/**
 * The account sites run as and SSH logs into: `mdsim` when we are root (processes must not
 * run as root, and sshd refuses root logins), otherwise the current user.
 */
export interface SiteAccount {
  user: LoginUser
  /** uid/gid for child_process when we must switch (root), else undefined. */
  switchTo: { uid: number; gid: number } | undefined
}

export function siteAccount(): SiteAccount {
  const user = ensureSimUser()
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  return { user, switchTo: isRoot && user.uid !== 0 ? { uid: user.uid, gid: user.gid } : undefined }
}

/** The environment sshd gives a session (no variables of ours leak into the sites). */
export function loginBaseEnv(account: SiteAccount): Record<string, string> {
  const env: Record<string, string> = {
    USER: account.user.name,
    LOGNAME: account.user.name,
    HOME: account.user.home,
    SHELL: '/bin/sh',
    PATH: account.user.uid === 0 ? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' : '/usr/local/bin:/usr/bin:/bin:/usr/games'
  }
  for (const k of ['LANG', 'TZ']) {
    const v = process.env[k]
    if (v) env[k] = v
  }
  return env
}

/**
 * Fails with a clear message when the account cannot enter `dir` or execute `node` (a DIR under
 * /root, or a node binary under a private nvm directory, is unusable by `mdsim`).
 */
export function checkAccountReach(account: SiteAccount, dir: string, node: string): void {
  if (!account.switchTo) return
  const opts = { ...account.switchTo, env: loginBaseEnv(account), encoding: 'utf8' as const, timeout: 20_000 }
  // One cheap shell as the account (starting node itself would cost a few hundred ms per `up`).
  const r = spawnSync('/bin/sh', ['-c', 'cd "$1" && test -r "$1" || exit 3; test -x "$2" || exit 4', 'sh', dir, node], opts)
  if (r.status === 3) {
    throw new SimUsageError(
      `the site account ${account.user.name} cannot reach ${dir} (a parent directory is private?); choose a DIR it can enter, e.g. under /tmp`
    )
  }
  if (r.status !== 0) {
    throw new SimUsageError(`the site account ${account.user.name} cannot run ${node} (is it under a private directory?); pass a node binary it can run with --node`)
  }
}

/** Gives the account everything under `path` (chown -R), leaving out the names in `except`. */
export function chownTree(account: SiteAccount, path: string, except: readonly string[] = []): void {
  if (!account.switchTo) return
  const owner = `${account.switchTo.uid}:${account.switchTo.gid}`
  const entries = readdirSync(path).filter((n) => !except.includes(n))
  execFileSync('chown', [owner, path])
  if (entries.length > 0) execFileSync('chown', ['-R', owner, ...entries.map((n) => join(path, n))])
}

/** chown of single files (sim.json rewritten by root, for example). */
export function chownFiles(account: SiteAccount, paths: readonly string[]): void {
  if (!account.switchTo || paths.length === 0) return
  execFileSync('chown', [`${account.switchTo.uid}:${account.switchTo.gid}`, ...paths])
}
