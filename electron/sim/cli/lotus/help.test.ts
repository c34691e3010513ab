import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { daemonCommand } from './basicCmds'
import { helpText, type Command } from './framework'
import { mpoolCommand } from './mpoolCmd'
import { netCommand } from './netCmd'
import { syncCommand } from './syncCmd'
import { renderTable } from './tableWriter'
import { Eta } from './syncCmd'

/** The `--help` block of a Lotus doc file in ../shared/lotus-conformance (between the ``` fences). */
function lotusHelp(file: string): string {
  const text = readFileSync(join(process.cwd(), '..', 'shared', 'lotus-conformance', file), 'utf8')
  const m = /```\n([\s\S]*?)```/.exec(text)
  if (!m) throw new Error(`no help block in ${file}`)
  return m[1] as string
}

const repo = () => undefined
function sub(cmd: Command, ...path: string[]): Command {
  let c = cmd
  for (const p of path) c = c.subcommands?.find((s) => s.name === p) as Command
  return c
}

describe('help texts match Lotus', () => {
  it.each([
    ['cli.lotus-daemon.help.txt', daemonCommand(repo), 'lotus daemon'],
    ['cli.lotus-mpool-pending.help.txt', sub(mpoolCommand(repo), 'pending'), 'lotus mpool pending'],
    ['cli.lotus-mpool-replace.help.txt', sub(mpoolCommand(repo), 'replace'), 'lotus mpool replace'],
    ['cli.lotus-net-peers.help.txt', sub(netCommand(repo), 'peers'), 'lotus net peers'],
    ['cli.lotus-net-block-add-peer.help.txt', sub(netCommand(repo), 'block', 'add', 'peer'), 'lotus net block add peer'],
    ['cli.lotus-sync-status.help.txt', sub(syncCommand(repo), 'status'), 'lotus sync status']
  ])('%s', (file, cmd, path) => {
    expect(helpText(cmd, path)).toBe(lotusHelp(file))
  })
})

describe('lib/tablewriter', () => {
  it('drops columns nobody filled, pads every cell by two, prints new-line columns below', () => {
    const out = renderTable(
      [{ name: 'Address' }, { name: 'ID' }, { name: 'Balance' }, { name: 'Nonce' }, { name: 'Default' }, { name: 'Error', newLine: true }],
      [
        { Address: 'f3aaa', Balance: '1.5 FIL', Nonce: '63', Default: 'X' },
        { Address: 'f1bb', Balance: '0 FIL', Nonce: '7' },
        { Address: 'f1cc', Error: 'boom' }
      ]
    )
    expect(out).toBe(
      'Address  Balance  Nonce  Default  \n' +
        'f3aaa    1.5 FIL  63     X        \n' +
        'f1bb     0 FIL    7               \n' +
        'f1cc                              \n' +
        '  Error: boom\n'
    )
  })
})

describe('cliutil.ETA', () => {
  it('estimates from the items processed over the last updates, as hh:mm:ss', () => {
    const eta = new Eta()
    expect(eta.update(100, 0)).toBe('')
    expect(eta.update(90, 1000)).toBe('00h:00m:09s')
    expect(eta.update(90, 1500)).toBe('00h:00m:09s')
    expect(eta.update(0, 4000)).toBe('00h:00m:00s')
  })
})
