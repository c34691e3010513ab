import type { NetBlockList, PeerAddrInfo, PubsubScore } from '../../../../preload/contract/lotus/types'
import { CliExit } from '../../common/cliOutput'
import { checkPeerId } from '../../daemon/ids'
import { fullNodeClient } from './client'
import type { Command, Context } from './framework'
import { cliLogger, goJson } from './goLog'

/** `lotus net …` (cli/net.go). */

type Repo = () => string | undefined

/** Go's strings.Compare order (bytewise), as `sort.Slice` in cli/net.go uses. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function peersCmd(repo: Repo): Command {
  return {
    name: 'peers',
    usage: 'Print peers',
    flags: [
      { names: ['agent', 'a'], kind: 'bool', usage: 'Print agent name' },
      { names: ['extended', 'x'], kind: 'bool', usage: 'Print extended peer information in json' }
    ],
    action: async (ctx: Context) => {
      const api = fullNodeClient(repo())
      const peers = await api.call<PeerAddrInfo[]>('NetPeers')
      peers.sort((a, b) => compare(b.ID, a.ID))
      const log = cliLogger()
      if (ctx.flags.extended === true) {
        const seen = new Set<string>()
        for (const p of peers) {
          if (seen.has(p.ID)) continue
          seen.add(p.ID)
          try {
            process.stdout.write(`${goJson(await api.call('NetPeerInfo', [p.ID]))}\n`)
          } catch (e) {
            log.warn('cli/net.go:97', `error getting extended peer info: ${(e as Error).message}`)
          }
        }
        return
      }
      for (const p of peers) {
        let agent = ''
        if (ctx.flags.agent === true) {
          try {
            agent = `, ${await api.call<string>('NetAgentVersion', [p.ID])}`
          } catch (e) {
            log.warn('cli/net.go:113', `getting agent version: ${(e as Error).message}`)
          }
        }
        process.stdout.write(`${p.ID}, [${p.Addrs.join(' ')}]${agent}\n`)
      }
    }
  }
}

function scoresCmd(repo: Repo): Command {
  return {
    name: 'scores',
    usage: "Print peers' pubsub scores",
    flags: [{ names: ['extended', 'x'], kind: 'bool', usage: 'print extended peer scores in json' }],
    action: async (ctx) => {
      const scores = await fullNodeClient(repo()).call<PubsubScore[]>('NetPubsubScores')
      for (const s of scores) {
        process.stdout.write(ctx.flags.extended === true ? `${goJson(s)}\n` : `${s.ID}, ${s.Score.Score.toFixed(6)}\n`)
      }
    }
  }
}

function idCmd(repo: Repo): Command {
  return {
    name: 'id',
    usage: 'Get node identity',
    action: async () => {
      process.stdout.write(`${await fullNodeClient(repo()).call<string>('ID')}\n`)
    }
  }
}

function listenCmd(repo: Repo): Command {
  return {
    name: 'listen',
    usage: 'List listen addresses',
    action: async () => {
      const a = await fullNodeClient(repo()).call<{ ID: string; Addrs: string[] }>('NetAddrsListen')
      for (const addr of a.Addrs) process.stdout.write(`${addr}/p2p/${a.ID}\n`)
    }
  }
}

function blockTarget(kind: 'peer' | 'ip' | 'subnet', verb: 'add' | 'remove', repo: Repo): Command {
  const usage = {
    peer: verb === 'add' ? 'Block a peer' : 'Unblock a peer',
    ip: verb === 'add' ? 'Block an IP address' : 'Unblock an IP address',
    subnet: verb === 'add' ? 'Block an IP subnet' : 'Unblock an IP subnet'
  }[kind]
  return {
    name: kind,
    usage,
    argsUsage: { peer: '<Peer> ...', ip: '<IP> ...', subnet: '<CIDR> ...' }[kind],
    action: async (ctx) => {
      const api = fullNodeClient(repo())
      const acl: NetBlockList = { Peers: null, IPAddrs: null, IPSubnets: null }
      if (kind === 'peer') {
        for (const p of ctx.args) {
          const err = checkPeerId(p)
          if (err) throw new CliExit(1, err)
        }
        acl.Peers = ctx.args.length ? ctx.args : null
      } else if (kind === 'ip') acl.IPAddrs = ctx.args
      else acl.IPSubnets = ctx.args
      await api.call(verb === 'add' ? 'NetBlockAdd' : 'NetBlockRemove', [acl])
    }
  }
}

function blockListCmd(repo: Repo): Command {
  return {
    name: 'list',
    usage: 'list connection gating rules',
    action: async () => {
      const acl = await fullNodeClient(repo()).call<NetBlockList>('NetBlockList')
      const section = (title: string, items: string[] | null, desc: boolean) => {
        if (!items?.length) return
        const sorted = [...items].sort((a, b) => (desc ? compare(b, a) : compare(a, b)))
        process.stdout.write(`${title}\n${sorted.map((x) => `\t${x}\n`).join('')}`)
      }
      section('Blocked Peers:', acl.Peers, true)
      section('Blocked IPs:', acl.IPAddrs, false)
      section('Blocked Subnets:', acl.IPSubnets, false)
    }
  }
}

const notSimulated = (name: string, usage: string, aliases?: string[]): Command => ({ name, usage, notSimulated: true, ...(aliases ? { aliases } : {}) })

export function netCommand(repo: Repo): Command {
  return {
    name: 'net',
    usage: 'Manage P2P Network',
    category: 'NETWORK',
    subcommands: [
      peersCmd(repo),
      notSimulated('ping', 'Ping peers'),
      notSimulated('connect', 'Connect to a peer'),
      notSimulated('disconnect', 'Disconnect from a peer'),
      listenCmd(repo),
      idCmd(repo),
      notSimulated('find-peer', 'Find the addresses of a given peerID', ['findpeer']),
      scoresCmd(repo),
      notSimulated('reachability', 'Print information about reachability from the internet'),
      notSimulated('bandwidth', 'Print bandwidth usage information'),
      {
        name: 'block',
        usage: 'Manage network connection gating rules',
        subcommands: [
          { name: 'add', usage: 'Add connection gating rules', subcommands: (['peer', 'ip', 'subnet'] as const).map((k) => blockTarget(k, 'add', repo)) },
          {
            name: 'remove',
            usage: 'Remove connection gating rules',
            subcommands: (['peer', 'ip', 'subnet'] as const).map((k) => blockTarget(k, 'remove', repo))
          },
          blockListCmd(repo)
        ]
      },
      notSimulated('stat', 'Report resource usage for a scope'),
      notSimulated('limit', 'Get or set resource limits for a scope'),
      notSimulated('protect', 'Add one or more peer IDs to the list of protected peer connections'),
      notSimulated('unprotect', 'Remove one or more peer IDs from the list of protected peer connections.'),
      notSimulated('list-protected', 'List the peer IDs with protected connection.')
    ]
  }
}
