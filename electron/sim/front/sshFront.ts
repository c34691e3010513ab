import { readFileSync } from 'node:fs'
import { quoteArg } from '../../common/shellQuote'
import { SITE_ENV } from '../common/siteConfig'
import { sshdUsable, startOpenSshd } from '../ssh/openssh'
import { startSsh2SiteServer, type RunningSsh2Server } from '../ssh/ssh2Server'
import { loginBaseEnv, type SiteAccount } from './account'
import type { SshMode } from './args'
import { SimUsageError } from './errors'
import type { SiteLayout } from './layout'

/**
 * One SSH server per site on 127.0.0.1: OpenSSH's sshd (ForceCommand = the site's login.sh)
 * where it is installed and usable, else an in-process ssh2 server doing the same. In-process
 * servers are kept by DIR so `downSites(DIR)` in the same process can close them.
 */

export type ResolvedSshMode = 'openssh' | 'ssh2'

export function resolveSshMode(mode: SshMode): ResolvedSshMode {
  if (mode === 'ssh2') return 'ssh2'
  const usable = sshdUsable()
  if (mode === 'openssh' && !usable) {
    throw new SimUsageError('--ssh openssh: OpenSSH sshd is not installed or cannot run here (it needs /run/sshd); use --ssh ssh2 or leave --ssh out')
  }
  return usable ? 'openssh' : 'ssh2'
}

export interface SiteSshTarget {
  layout: SiteLayout
  port: number
}

export interface StartedSsh {
  /** sshd pid per site (OpenSSH), or null (in-process ssh2). */
  pids: (number | null)[]
}

const inProcess = new Map<string, RunningSsh2Server[]>()

export async function startSshServers(
  mode: ResolvedSshMode,
  dir: string,
  account: SiteAccount,
  clientPublicLine: string,
  targets: readonly SiteSshTarget[]
): Promise<StartedSsh> {
  if (mode === 'openssh') {
    const started = await Promise.all(
      targets.map((t) =>
        startOpenSshd({
          dir: t.layout.sshdDir,
          listenAddress: '127.0.0.1',
          port: t.port,
          hostKeyPath: t.layout.hostKey,
          authorizedKeysPath: t.layout.authorizedKeys,
          allowUser: account.user.name,
          forceCommand: quoteArg(t.layout.loginSh),
          env: { [SITE_ENV]: t.layout.root }
        })
      )
    )
    return { pids: started.map((s) => s.pid) }
  }
  const servers: RunningSsh2Server[] = []
  try {
    for (const t of targets) {
      servers.push(
        await startSsh2SiteServer({
          listenAddress: '127.0.0.1',
          port: t.port,
          hostKeyPath: t.layout.hostKey,
          authorizedKeyLine: readFileSync(t.layout.authorizedKeys, 'utf8').trim() || clientPublicLine,
          user: account.user.name,
          loginScript: t.layout.loginSh,
          baseEnv: loginBaseEnv(account),
          ...(account.switchTo ? { runAs: account.switchTo } : {}),
          cwd: t.layout.home
        })
      )
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()))
    throw err
  }
  inProcess.set(dir, [...(inProcess.get(dir) ?? []), ...servers])
  return { pids: targets.map(() => null) }
}

/** True when this process serves DIR's sites with in-process ssh2 servers. */
export function hasInProcessSsh(dir: string): boolean {
  return inProcess.has(dir)
}

/** Closes this process's ssh2 servers for DIR; false when it has none. */
export async function closeInProcessSsh(dir: string): Promise<boolean> {
  const servers = inProcess.get(dir)
  if (!servers) return false
  inProcess.delete(dir)
  await Promise.all(servers.map((s) => s.close()))
  return true
}
