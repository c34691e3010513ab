import { MinerDeskError, type HostKeyDecision, type HostKeyInfo } from '../../../preload/contract'
import type { ResolvedHost } from './config'
import { errorMessage } from './errors'
import { fingerprintSha256, keyTypeOfBlob } from './hostKey'
import { addKnownHost, checkKnownHosts, knownHostName } from './knownHosts'
import type { SshPrompts } from './types'

/**
 * The host-key decision for one hop, made before anything else is sent: known → go on; changed
 * or revoked → refuse, always (OpenSSH with `StrictHostKeyChecking no` would go on, without
 * passwords or forwarding; MinerDesk never does); unknown → as StrictHostKeyChecking says, as
 * OpenSSH's check_host_key does: `yes` refuses, `ask` asks the operator, `accept-new` and `no`
 * accept and record the key in the first UserKnownHostsFile ("Permanently added"). An unknown key
 * of a host whose keys of other types are known is presented as such, with those keys.
 * No authentication is attempted unless this says yes.
 */

export type HostKeyOutcome =
  | { ok: true; saved?: string; saveError?: string }
  | { ok: false; state: 'host-key-changed' | 'host-key-unknown'; error: MinerDeskError; key: HostKeyInfo }

/** What the operator said about host keys in this app run, shared by every connection. */
export class HostKeyMemory {
  /** Keys accepted (once or saved) in this run: `name base64`. */
  readonly accepted = new Set<string>()
  /** Questions being asked right now, so connections that meet the same key share one answer. */
  readonly asking = new Map<string, Promise<HostKeyDecision>>()
}

export interface VerifyContext {
  siteId: string
  prompts: SshPrompts
  memory: HostKeyMemory
  /** The operator is being asked about this key (true) / has answered (false). */
  onPrompt(waiting: boolean, key: HostKeyInfo): void
}

function onceKey(name: string, blob: Buffer): string {
  return `${name} ${blob.toString('base64')}`
}

export async function verifyHostKey(hop: ResolvedHost, blob: Buffer, ctx: VerifyContext): Promise<HostKeyOutcome> {
  let keyType: string
  try {
    keyType = keyTypeOfBlob(blob)
  } catch (err) {
    const key: HostKeyInfo = { host: hop.hostName, port: hop.port, keyType: 'unknown', fingerprint: fingerprintSha256(blob), knownHostsFile: '' }
    return { ok: false, state: 'host-key-changed', key, error: new MinerDeskError({ code: 'ssh/host-key-changed', message: `${hop.alias} sent an unreadable host key: ${errorMessage(err)}` }) }
  }
  const fingerprint = fingerprintSha256(blob)
  const name = knownHostName(hop.hostName, hop.port)
  const files = [...hop.userKnownHostsFiles, ...hop.globalKnownHostsFiles]
  const saveTo = hop.userKnownHostsFiles[0]
  const result = checkKnownHosts(files, hop.hostName, hop.port, keyType, blob)
  const base = { host: hop.hostName, port: hop.port, keyType, fingerprint }

  if (result.status === 'match') return { ok: true }

  if (result.status === 'changed' || result.status === 'revoked') {
    const where = result.status === 'changed' ? (result.expected[0] as { file: string; line: number; fingerprint: string }) : result
    const key: HostKeyInfo = { ...base, knownHostsFile: where.file }
    let message: string
    if (result.status === 'changed') {
      key.expectedFingerprint = result.expected[0]?.fingerprint as string
      message =
        `HOST KEY CHANGED for ${name} (${hop.alias}): the server presented ${keyType} ${fingerprint}, ` +
        `but ${where.file} line ${where.line} holds ${key.expectedFingerprint}. Someone could be intercepting the ` +
        `connection, or the host was reinstalled. MinerDesk refused to connect and sent nothing.`
    } else {
      message = `The host key ${keyType} ${fingerprint} of ${name} (${hop.alias}) is marked @revoked in ${where.file} line ${where.line}. MinerDesk refused to connect and sent nothing.`
    }
    const hint =
      result.status === 'changed'
        ? `If you know why the key changed, remove line ${where.line} from ${where.file} (ssh-keygen -R '${name}' -f ${where.file}) and connect again.`
        : `Ask whoever revoked the key; MinerDesk never connects to a host with a revoked key.`
    const params: Record<string, string | number> = { host: name, alias: hop.alias, fingerprint, file: where.file, line: where.line }
    if (key.expectedFingerprint) params.expectedFingerprint = key.expectedFingerprint
    return { ok: false, state: 'host-key-changed', key, error: new MinerDeskError({ code: 'ssh/host-key-changed', message, hint, params }) }
  }

  // Unknown key (possibly of a new type, with keys of other types known).
  const key: HostKeyInfo = { ...base, knownHostsFile: saveTo ?? '', ...(result.others.length > 0 ? { otherKnownKeys: result.others } : {}) }
  const otherText = result.others.length > 0 ? ` Keys of another type are already known for this host: ${result.others.map((o) => `${o.keyType} ${o.fingerprint} (${o.file} line ${o.line})`).join(', ')}; it now presents a new key type.` : ''
  const once = onceKey(name, blob)
  if (ctx.memory.accepted.has(once)) return { ok: true }
  const save = (): { ok: true; saved?: string; saveError?: string } => {
    if (!saveTo) return { ok: true, saveError: 'UserKnownHostsFile is none; the key was accepted for this run only' }
    try {
      addKnownHost(saveTo, hop.hostName, hop.port, keyType, blob)
      return { ok: true, saved: saveTo }
    } catch (err) {
      // The operator accepted the key; failing to write it down only means being asked again next run.
      return { ok: true, saveError: `could not write ${saveTo}: ${errorMessage(err)}` }
    }
  }
  const unknownParams = { host: name, alias: hop.alias, fingerprint, keyType }
  switch (hop.strictHostKeyChecking) {
    case 'no':
    case 'accept-new':
      return save()
    case 'yes':
      return {
        ok: false,
        state: 'host-key-unknown',
        key,
        error: new MinerDeskError({
          code: 'ssh/host-key-unknown',
          message: `${name} (${hop.alias}) has no ${keyType} key in known_hosts and StrictHostKeyChecking is yes; its key is ${keyType} ${fingerprint}.${otherText}`,
          hint: `Check the fingerprint with the host's administrator, then add it (ssh-keyscan, or connect once with ssh) to ${saveTo ?? 'your known_hosts'}.`,
          params: unknownParams
        })
      }
    case 'ask': {
      let decision: HostKeyDecision
      let asked = ctx.memory.asking.get(once)
      const first = asked === undefined
      if (!asked) {
        asked = ctx.prompts.hostKeyUnknown({ siteId: ctx.siteId, alias: hop.alias, key }).catch((): HostKeyDecision => 'reject')
        ctx.memory.asking.set(once, asked)
      }
      ctx.onPrompt(true, key)
      try {
        decision = await asked
      } finally {
        ctx.onPrompt(false, key)
        if (first) ctx.memory.asking.delete(once)
      }
      if (decision === 'accept-save') {
        ctx.memory.accepted.add(once)
        // Whoever shared the question may already have written the line.
        if (!first && checkKnownHosts(files, hop.hostName, hop.port, keyType, blob).status === 'match') return { ok: true }
        return save()
      }
      if (decision === 'accept-once') {
        ctx.memory.accepted.add(once)
        return { ok: true }
      }
      return {
        ok: false,
        state: 'host-key-unknown',
        key,
        error: new MinerDeskError({
          code: 'ssh/host-key-rejected',
          message: `You rejected the host key ${keyType} ${fingerprint} of ${name} (${hop.alias}); MinerDesk did not connect.${otherText}`,
          hint: 'Connect again to be asked again.',
          params: unknownParams
        })
      }
    }
  }
}
