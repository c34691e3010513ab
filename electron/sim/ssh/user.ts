import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'

export interface LoginUser {
  name: string
  uid: number
  gid: number
  home: string
  /** True when MinerDesk created or adjusted the account (running as root). */
  dedicated: boolean
}

export const SIM_USER = 'mdsim'

function parsePasswd(line: string): LoginUser | null {
  const [n, , uid, gid, , home] = line.trim().split(':')
  if (!n || uid === undefined || gid === undefined || home === undefined) return null
  return { name: n, uid: Number(uid), gid: Number(gid), home, dedicated: true }
}

/**
 * /etc/passwd first (where useradd puts the account; no NSS module, no child process), then
 * `getent` with a time limit for accounts from a directory service.
 */
function lookup(name: string): LoginUser | null {
  const line = lineOf('/etc/passwd', name)
  if (line) return parsePasswd(line)
  try {
    return parsePasswd(execFileSync('getent', ['passwd', name], { encoding: 'utf8', timeout: 10_000 }))
  } catch {
    return null
  }
}

function readFileSafe(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

/**
 * The account simulated sites run as and are logged into over SSH.
 * As root: a dedicated `mdsim` account whose shell is /bin/sh (root's shell start-up is slow and
 * root logins are a bad habit to teach); `useradd` leaves it "locked" for sshd without PAM, so
 * its password field is set to `*`. Otherwise: the current user.
 */
export function ensureSimUser(): LoginUser {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    const u = userInfo()
    return { name: u.username, uid: u.uid, gid: u.gid, home: u.homedir, dedicated: false }
  }
  let user = lookup(SIM_USER)
  if (!user) {
    execFileSync('useradd', ['-m', '-s', '/bin/sh', SIM_USER], { stdio: 'pipe' })
    user = lookup(SIM_USER)
    if (!user) throw new Error(`could not create the ${SIM_USER} account`)
  }
  // usermod is slow (it locks and rewrites the account files): only when something is off.
  if (shadowPassword(SIM_USER) !== '*' || loginShell(SIM_USER) !== '/bin/sh') {
    execFileSync('usermod', ['-p', '*', '-s', '/bin/sh', SIM_USER], { stdio: 'pipe' })
  }
  return user
}

function lineOf(file: string, name: string): string | undefined {
  return readFileSafe(file)
    ?.split('\n')
    .find((l) => l.startsWith(`${name}:`))
}

function fieldOf(file: string, name: string, index: number): string | null {
  return lineOf(file, name)?.split(':')[index] ?? null
}

function shadowPassword(name: string): string | null {
  return fieldOf('/etc/shadow', name, 1)
}

function loginShell(name: string): string | null {
  return fieldOf('/etc/passwd', name, 6)
}
