import { createInterface } from 'node:readline'
import type { HostKeyDecision } from '../../preload/contract'
import type { SshPrompts } from '../core/ssh/types'

/**
 * The CLI asks on its terminal; without one (scripts, cron) it never guesses: an unknown host
 * key is rejected and an encrypted key without a remembered passphrase fails, each with a
 * message saying how to fix it.
 */
function ask(question: string, hidden = false): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
    if (hidden) {
      const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl)
      ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(question)) write(s)
      }
    }
    rl.question(question, (answer) => {
      rl.close()
      if (hidden) process.stderr.write('\n')
      resolve(answer)
    })
  })
}

export function terminalPrompts(): SshPrompts {
  const tty = Boolean(process.stdin.isTTY && process.stderr.isTTY)
  return {
    async hostKeyUnknown({ alias, key }): Promise<HostKeyDecision> {
      const where = key.port === 22 ? key.host : `[${key.host}]:${key.port}`
      // As OpenSSH says it: the keys of other types this host is known by, then the new one.
      const others = (key.otherKnownKeys ?? []).map((o) => `WARNING: ${o.keyType} key found for host ${where}\nin ${o.file}:${o.line}\n${o.keyType} key fingerprint ${o.fingerprint}.\n`).join('')
      const newType = others ? `\nbut keys of different type are already known for this host` : ''
      if (!tty) {
        process.stderr.write(
          `${others}minerdesk: the host key of ${alias} (${where}) is not in ${key.knownHostsFile}${newType}: refusing.\n` +
            `  ${key.keyType} key fingerprint is ${key.fingerprint}\n` +
            `  Check it, then accept it once with: ssh ${alias} true   (or in the MinerDesk app)\n`
        )
        return 'reject'
      }
      process.stderr.write(`${others}The authenticity of host '${alias}' (${where}) can't be established${newType}.\n${key.keyType} key fingerprint is ${key.fingerprint}.\n`)
      const a = (await ask('Save it to known_hosts and continue (yes), continue this once (once), or stop (no)? ')).trim().toLowerCase()
      return a === 'yes' ? 'accept-save' : a === 'once' ? 'accept-once' : 'reject'
    },
    async passphrase({ keyFile, retry }) {
      if (!tty) {
        process.stderr.write(`minerdesk: ${keyFile} is encrypted and there is no terminal to ask for its passphrase; load it into ssh-agent (ssh-add ${keyFile}) first.\n`)
        return null
      }
      const p = await ask(`${retry ? 'Wrong passphrase. ' : ''}Enter passphrase for key '${keyFile}': `, true)
      return p === '' ? null : { passphrase: p, remember: false }
    }
  }
}
