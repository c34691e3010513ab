import type { TipSet, VersionInfo } from '../../../../preload/contract/lotus/types'
import { CliExit } from '../../common/cliOutput'
import { formatFil } from '../../daemon/fil'
import { checkAddress } from '../../daemon/ids'
import { fullNodeClient, type FullNodeClient } from './client'
import type { Command } from './framework'
import { renderTable } from './tableWriter'

/** `lotus wallet list | balance | default` (cli/wallet.go). */

type Repo = () => string | undefined

interface Actor {
  Nonce: number
  Balance: string
}

function listCmd(repo: Repo): Command {
  return {
    name: 'list',
    usage: 'List wallet address',
    flags: [
      { names: ['addr-only', 'a'], kind: 'bool', usage: 'Only print addresses' },
      { names: ['id', 'i'], kind: 'bool', usage: 'Output ID addresses' },
      { names: ['market', 'm'], kind: 'bool', usage: 'Output market balances' }
    ],
    action: async (ctx) => {
      const api = fullNodeClient(repo())
      const addrs = await api.call<string[]>('WalletList')
      let def = ''
      try {
        def = await api.call<string>('WalletDefaultAddress')
      } catch {
        // Lotus: an error means no default key is set.
      }
      if (ctx.flags['addr-only'] === true) {
        for (const a of addrs) process.stdout.write(`${a}\n`)
        return
      }
      const rows: Record<string, string>[] = []
      for (const addr of addrs) {
        let actor: Actor
        try {
          actor = await api.call<Actor>('StateGetActor', [addr, []])
        } catch (e) {
          const msg = (e as Error).message
          if (!msg.includes('actor not found')) {
            rows.push({ Address: addr, Error: msg })
            continue
          }
          actor = { Nonce: 0, Balance: '0' }
        }
        const row: Record<string, string> = { Address: addr, Balance: formatFil(BigInt(actor.Balance)), Nonce: String(actor.Nonce) }
        if (addr === def) row.Default = 'X'
        if (ctx.flags.id === true) {
          try {
            row.ID = await api.call<string>('StateLookupID', [addr, []])
          } catch {
            row.ID = 'n/a'
          }
        }
        rows.push(row)
      }
      process.stdout.write(
        renderTable(
          [
            { name: 'Address' },
            { name: 'ID' },
            { name: 'Balance' },
            { name: 'Market(Avail)' },
            { name: 'Market(Locked)' },
            { name: 'Nonce' },
            { name: 'Default' },
            { name: 'Error', newLine: true }
          ],
          rows
        )
      )
    }
  }
}

/** cli.IsSyncDone: the head is less than one block time old. */
async function isSyncDone(api: FullNodeClient): Promise<boolean> {
  const [head, version] = await Promise.all([api.call<TipSet>('ChainHead'), api.call<VersionInfo>('Version')])
  return Date.now() / 1000 - Math.min(...head.Blocks.map((b) => b.Timestamp)) < Math.max(version.BlockDelay, 1) + 1
}

function balanceCmd(repo: Repo): Command {
  return {
    name: 'balance',
    usage: 'Get account balance',
    argsUsage: '[address]',
    action: async (ctx) => {
      const api = fullNodeClient(repo())
      let addr = ctx.args[0]
      if (addr) {
        const c = checkAddress(addr)
        if (!c.ok) throw new CliExit(1, c.error)
      } else addr = await api.call<string>('WalletDefaultAddress')
      const bal = BigInt(await api.call<string>('WalletBalance', [addr]))
      const synced = await isSyncDone(api)
      process.stdout.write(bal === 0n && !synced ? `${formatFil(bal)} (warning: may display 0 if chain sync in progress)\n` : `${formatFil(bal)}\n`)
    }
  }
}

function defaultCmd(repo: Repo): Command {
  return {
    name: 'default',
    usage: 'Get default wallet address',
    action: async () => {
      process.stdout.write(`${await fullNodeClient(repo()).call<string>('WalletDefaultAddress')}\n`)
    }
  }
}

const notSimulated = (name: string, usage: string): Command => ({ name, usage, notSimulated: true })

export function walletCommand(repo: Repo): Command {
  return {
    name: 'wallet',
    usage: 'Manage wallet',
    category: 'BASIC',
    subcommands: [
      notSimulated('new', 'Generate a new key of the given type'),
      listCmd(repo),
      balanceCmd(repo),
      notSimulated('export', 'export keys'),
      notSimulated('import', 'import keys'),
      defaultCmd(repo),
      notSimulated('set-default', 'Set default wallet address'),
      notSimulated('sign', 'sign a message'),
      notSimulated('verify', 'verify the signature of a message'),
      notSimulated('delete', 'Soft delete an address from the wallet - hard deletion needed for permanent removal'),
      notSimulated('market', 'Interact with market balances')
    ]
  }
}
