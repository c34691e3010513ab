import type { HostKeyInfo } from '@contract'

/** Quotes a word for display in a POSIX shell command the operator may copy. */
export function shellWord(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./~-]+$/.test(s)) return s
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** The command an operator runs to try the same SSH connection by hand. */
export function sshTestCommand(alias: string, configPath: string | null): string {
  return configPath ? `ssh -F ${shellWord(configPath)} ${shellWord(alias)}` : `ssh ${shellWord(alias)}`
}

/** known_hosts names a non-standard port as `[host]:port` (ssh-keygen -R wants the same). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** Removes the stale key of a changed host from the file MinerDesk checked. */
export function removeHostKeyCommand(key: HostKeyInfo): string {
  return `ssh-keygen -R ${shellWord(knownHostsName(key.host, key.port))} -f ${shellWord(key.knownHostsFile)}`
}
