import { CliExit, runCli } from '../common/cliOutput'
import { parseFlags } from '../common/flags'
import { NODE_USER_VERSION } from '../daemon/version'
import { authCommand, daemonCommand, versionCommand, waitApiCommand } from './lotus/basicCmds'
import { runCommand, type Command, type Flag } from './lotus/framework'
import { mpoolCommand } from './lotus/mpoolCmd'
import { netCommand } from './lotus/netCmd'
import { syncCommand } from './lotus/syncCmd'
import { walletCommand } from './lotus/walletCmd'

/**
 * The simulated `lotus` binary (cli/lotus/lotus.go App): global flags, then one of Lotus's
 * commands. The runbook's commands and the ones MinerDesk uses are implemented against the
 * site's daemon; the rest are listed in help as Lotus lists them and say they are not simulated.
 */

const GLOBAL_FLAGS: Flag[] = [
  { names: ['color'], kind: 'bool', usage: 'use color in display output', defaultText: 'depends on output being a TTY' },
  { names: ['interactive'], kind: 'bool', usage: 'setting to false will disable interactive functionality of commands' },
  { names: ['force-send'], kind: 'bool', usage: 'if true, will ignore pre-send checks' },
  { names: ['vv'], kind: 'bool', usage: 'enables very verbose mode, useful for debugging the CLI' },
  { names: ['help', 'h'], kind: 'bool', usage: 'show help' },
  { names: ['version', 'v'], kind: 'bool', usage: 'print the version' }
]
const HIDDEN_FLAGS: Flag[] = [
  { names: ['repo'], kind: 'string', usage: '' },
  { names: ['panic-reports'], kind: 'string', usage: '' }
]

const ns = (name: string, usage: string, category?: string): Command => ({ name, usage, notSimulated: true, ...(category ? { category } : {}) })

function commands(repo: () => string | undefined): Command[] {
  return [
    daemonCommand(repo),
    ns('backup', 'Create node metadata backup'),
    ns('config', 'Manage node config'),
    versionCommand(repo),
    ns('send', 'Send funds between accounts', 'BASIC'),
    walletCommand(repo),
    ns('info', 'Print node info', 'BASIC'),
    ns('msig', 'Interact with a multisig wallet', 'BASIC'),
    ns('filplus', 'Interact with the verified registry actor used by Filplus', 'BASIC'),
    ns('paych', 'Manage payment channels', 'BASIC'),
    authCommand(repo),
    mpoolCommand(repo),
    ns('state', 'Interact with and query filecoin chain state', 'DEVELOPER'),
    ns('chain', 'Interact with filecoin blockchain', 'DEVELOPER'),
    ns('log', 'Manage logging', 'DEVELOPER'),
    waitApiCommand(repo),
    ns('fetch-params', 'Fetch proving parameters', 'DEVELOPER'),
    ns('evm', 'Commands related to the Filecoin EVM runtime', 'DEVELOPER'),
    ns('index', 'Commands related to managing the chainindex', 'DEVELOPER'),
    netCommand(repo),
    syncCommand(repo),
    ns('f3', 'Manages Filecoin Fast Finality (F3) interactions', 'NETWORK'),
    ns('status', 'Check node status', 'STATUS')
  ]
}

function appHelp(cmds: Command[]): string {
  const plain = cmds.filter((c) => !c.category).map((c) => [c.name, c.usage] as [string, string])
  plain.push(['help, h', 'Shows a list of commands or help for one command'])
  const w = Math.max(...plain.map(([n]) => n.length))
  const lines = [
    'NAME:',
    '   lotus - Filecoin decentralized storage network client',
    '',
    'USAGE:',
    '   lotus [global options] command [command options]',
    '',
    'VERSION:',
    `   ${NODE_USER_VERSION}`,
    '',
    'COMMANDS:',
    ...plain.map(([n, u]) => `   ${n.padEnd(w + 2)}${u}`)
  ]
  for (const cat of ['BASIC', 'DEVELOPER', 'NETWORK', 'STATUS']) {
    const inCat = cmds.filter((c) => c.category === cat)
    const cw = Math.max(...inCat.map((c) => c.name.length))
    lines.push(`   ${cat}:`, ...inCat.map((c) => `     ${c.name.padEnd(cw + 2)}${c.usage}`))
  }
  const labels = GLOBAL_FLAGS.map((f) => [f.names.map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join(', '), f] as const)
  const fw = Math.max(...labels.map(([l]) => l.length))
  lines.push('', 'GLOBAL OPTIONS:')
  for (const [l, f] of labels) {
    const def = f.names[0] === 'help' || f.names[0] === 'version' ? '' : ` (default: ${f.defaultText ?? 'false'})`
    lines.push(`   ${l.padEnd(fw + 2)}${f.usage}${def}`)
  }
  return `${lines.join('\n')}\n`
}

export async function lotusCli(argv: string[]): Promise<number> {
  return runCli(async () => {
    let parsed: { flags: Record<string, string | boolean>; args: string[] }
    try {
      parsed = parseFlags(argv, [...GLOBAL_FLAGS, ...HIDDEN_FLAGS], 'lotus')
    } catch (e) {
      if (e instanceof CliExit) process.stdout.write(`Incorrect Usage: ${e.message}\n\n${appHelp(commands(() => undefined))}`)
      throw e
    }
    const repo = () => (typeof parsed.flags.repo === 'string' ? parsed.flags.repo : undefined)
    const cmds = commands(repo)
    if (parsed.flags.version === true) {
      process.stdout.write(`lotus version ${NODE_USER_VERSION}\n`)
      return 0
    }
    const [name, ...rest] = parsed.args
    if (parsed.flags.help === true || name === undefined || name === 'help' || name === 'h') {
      const topic = name === 'help' || name === 'h' ? rest[0] : undefined
      if (topic === undefined) {
        process.stdout.write(appHelp(cmds))
        return 0
      }
      const cmd = cmds.find((c) => c.name === topic)
      if (!cmd) {
        process.stderr.write(`No help topic for '${topic}'\n`)
        return 3
      }
      return runCommand(cmd, ['--help'], `lotus ${cmd.name}`)
    }
    const cmd = cmds.find((c) => c.name === name || c.aliases?.includes(name))
    if (!cmd) {
      process.stderr.write(`No help topic for '${name}'\n`)
      return 3
    }
    return runCommand(cmd, rest, `lotus ${cmd.name}`)
  })
}
