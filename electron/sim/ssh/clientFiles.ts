import { writeFileSync } from 'node:fs'
import { publicKeyBody } from './keys'

/** One `Host` alias of the generated ssh_config. */
export interface SshAlias {
  alias: string
  hostName: string
  port: number
  user: string
}

/**
 * An OpenSSH client config with one alias per site: `ssh -F DIR/ssh_config site-2 …` works with
 * nothing else configured (the client key and known_hosts sit next to it).
 */
export function sshConfigText(aliases: readonly SshAlias[], identityFile: string, knownHostsFile: string): string {
  const blocks = aliases.map((a) =>
    [
      `Host ${a.alias}`,
      `  HostName ${a.hostName}`,
      `  Port ${a.port}`,
      `  User ${a.user}`,
      `  IdentityFile ${identityFile}`,
      `  IdentitiesOnly yes`,
      `  UserKnownHostsFile ${knownHostsFile}`,
      ''
    ].join('\n')
  )
  return `# Simulated Lotus sites, written by \`npm run sim -- up\`.\n\n${blocks.join('\n')}`
}

/** known_hosts line for a host key on a non-standard port: `[127.0.0.1]:2222 ssh-ed25519 AAAA…`. */
export function knownHostsLine(host: string, port: number, hostKeyPublicLine: string): string {
  const name = port === 22 ? host : `[${host}]:${port}`
  return `${name} ${publicKeyBody(hostKeyPublicLine)}`
}

export function writeClientFiles(
  sshConfigPath: string,
  knownHostsPath: string,
  identityFile: string,
  sites: readonly (SshAlias & { hostKeyPublicLine: string })[]
): void {
  writeFileSync(knownHostsPath, sites.map((s) => `${knownHostsLine(s.hostName, s.port, s.hostKeyPublicLine)}\n`).join(''), { mode: 0o644 })
  writeFileSync(sshConfigPath, sshConfigText(sites, identityFile, knownHostsPath), { mode: 0o644 })
}
