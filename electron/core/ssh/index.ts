/**
 * The SSH layer (plain Node, no Electron): OpenSSH config resolution, known_hosts, one ssh2
 * connection per host with keepalive, reconnect and a channel queue, and the pool of them.
 */
export type { ExecOptions, ExecResult, ExecStream, SecretStore, SshCommand, SshHost, SshPool, SshPoolOptions, SshPrompts } from './types'
export { createSshPool, defaultSshConfigPath, type ManagedSshPool, type SshPoolInternals } from './pool'
export { createSshHost, type ManagedSshHost, type SshHostOptions } from './connection'
export { createMemoryOnlySecretStore } from './secrets'
export { ExecInterruptedError } from './channels'
export { listAliases, resolveAlias, resolveRoute, defaultResolveEnv, type ResolveEnv, type ResolvedHost, type SshRoute, type SshAliasEntry } from './config'
export { addKnownHost, checkKnownHosts, knownHostName, type KnownHostsResult } from './knownHosts'
export { fingerprintSha256 } from './hostKey'
