import type { NetBlockList, PeerAddrInfo, PubsubScore } from '../../../preload/contract/lotus/types'
import { goError } from '../common/rpcServer'
import { peerIdFrom, seededFloat, seededInt } from './ids'
import { NETWORK_NAME } from './version'

/**
 * The node's libp2p side: a stable set of a few dozen mainnet peers (fixed per site), pubsub
 * scores, and the connection gater. Blocking a peer, IP or subnet drops its connection at once
 * (NetBlockAdd closes connections), and the block list persists in the repo.
 */

export interface Peer {
  id: string
  ip: string
  addr: string
  agent: string
  /** Seconds after daemon start at which the connection comes up. */
  connectAfter: number
}

const AGENTS = [
  'lotus-1.34.1+mainnet+git.2a31e3d7c', 'lotus-1.33.1+mainnet+git.8f3e1b7a2', 'lotus-1.35.0+mainnet+git.0c1e5a9d3',
  'lotus-1.34.0+mainnet+git.b7c0da8ad', 'lotus-1.32.3+mainnet+git.c3e0b9a1f', 'forest-0.26.1', 'forest-0.25.3',
  'boost-2.4.5+mainnet', 'venus-1.16.0+git.f0d7e6b'
]

function publicIp(seed: string): string {
  // Avoid private, loopback and multicast ranges so addresses look like the public internet.
  const firsts = [3, 5, 8, 13, 18, 23, 34, 35, 38, 43, 45, 47, 51, 52, 54, 58, 61, 62, 65, 66, 78, 82, 85, 89, 91, 95, 101, 103, 104, 106, 110, 112, 115, 116, 118, 119, 120, 121, 122, 123, 124, 125, 139, 140, 142, 144, 146, 147, 149, 150, 157, 159, 162, 163, 167, 175, 176, 178, 180, 182, 183, 185, 188, 193, 195, 199, 202, 203, 207, 209, 211, 212, 213, 217, 218, 219, 220, 221, 222, 223]
  const n = seededInt(seed)
  return `${firsts[n % firsts.length]}.${(n >>> 8) & 255}.${(n >>> 16) & 255}.${1 + ((n >>> 24) % 253)}`
}

export function sitePeers(seed: string, count = 42): Peer[] {
  return Array.from({ length: count }, (_, i) => {
    const s = `${seed}:peer:${i}`
    const ip = publicIp(`${s}:ip`)
    const port = [1347, 1347, 1347, 24001, 4001, 10240, 12345][seededInt(`${s}:port`) % 7] as number
    const quic = seededFloat(`${s}:quic`) < 0.35
    return {
      id: peerIdFrom(s),
      ip,
      addr: quic ? `/ip4/${ip}/udp/${port}/quic-v1` : `/ip4/${ip}/tcp/${port}`,
      agent: AGENTS[seededInt(`${s}:agent`) % AGENTS.length] as string,
      connectAfter: 0.2 + seededFloat(`${s}:after`) * 2.2
    }
  })
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.')
  if (parts.length !== 4) return null
  let n = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null
    n = n * 256 + Number(p)
  }
  return n
}

function parseCidr(s: string): { base: number; bits: number } | null {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s)
  if (!m) return null
  const base = ipv4ToInt(m[1] as string)
  const bits = Number(m[2])
  if (base === null || bits > 32) return null
  return { base, bits }
}

function inSubnet(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr)
  const n = ipv4ToInt(ip)
  if (!c || n === null) return false
  const mask = c.bits === 0 ? 0 : (0xffffffff << (32 - c.bits)) >>> 0
  return ((n & mask) >>> 0) === ((c.base & mask) >>> 0)
}

export class Net {
  constructor(
    readonly peers: Peer[],
    readonly blocked: NetBlockList,
    private readonly startedAt: number
  ) {}

  private isBlocked(p: Peer): boolean {
    return (
      (this.blocked.Peers ?? []).includes(p.id) ||
      (this.blocked.IPAddrs ?? []).includes(p.ip) ||
      (this.blocked.IPSubnets ?? []).some((c) => inSubnet(p.ip, c))
    )
  }

  /** Peers connected now: started connecting after the daemon came up, not blocked. */
  connected(now = Date.now()): Peer[] {
    const up = (now - this.startedAt) / 1000
    return this.peers.filter((p) => p.connectAfter <= up && !this.isBlocked(p))
  }

  netPeers(): PeerAddrInfo[] {
    return this.connected().map((p) => ({ ID: p.id, Addrs: [p.addr] }))
  }

  peer(id: string): Peer | undefined {
    return this.peers.find((p) => p.id === id)
  }

  /** Pubsub scores of connected and recently connected peers (scores are kept after disconnects). */
  scores(now = Date.now()): PubsubScore[] {
    const up = (now - this.startedAt) / 1000
    return this.peers
      .filter((p) => p.connectAfter <= up)
      .map((p) => {
        const s = `score:${p.id}`
        const mesh = Math.floor(Math.max(0, up - p.connectAfter) * 1e9)
        const bad = seededFloat(`${s}:bad`) < 0.08
        const topic = (t: string) => ({
          TimeInMesh: mesh,
          FirstMessageDeliveries: Math.floor(seededFloat(`${s}:${t}:f`) * 40 + up / 30),
          MeshMessageDeliveries: Math.floor(seededFloat(`${s}:${t}:m`) * 200 + up / 6),
          InvalidMessageDeliveries: bad ? 1 + (seededInt(`${s}:${t}:i`) % 3) : 0
        })
        const app = bad ? -10 : Math.round(seededFloat(`${s}:app`) * 2000) / 100
        const score = bad ? -(seededFloat(`${s}:neg`) * 300 + 15) : app + seededFloat(`${s}:topic`) * 80
        return {
          ID: p.id,
          Score: {
            Score: score,
            Topics: { [`/fil/blocks/${NETWORK_NAME}`]: topic('b'), [`/fil/msgs/${NETWORK_NAME}`]: topic('m') },
            AppSpecificScore: app,
            IPColocationFactor: 0,
            BehaviourPenalty: bad ? Math.round(seededFloat(`${s}:pen`) * 400) / 100 : 0
          }
        }
      })
  }

  /** NetBlockAdd: validates like the conngater, then blocks (and so disconnects). */
  add(acl: NetBlockList): void {
    for (const ip of acl.IPAddrs ?? []) if (ipv4ToInt(ip) === null && !ip.includes(':')) throw goError(`error parsing IP address ${ip}`)
    for (const s of acl.IPSubnets ?? []) if (!parseCidr(s)) throw goError(`error parsing subnet ${s}: invalid CIDR address: ${s}`)
    const addTo = (key: keyof NetBlockList, values: string[] | null) => {
      if (!values?.length) return
      const cur = this.blocked[key] ?? []
      this.blocked[key] = [...cur, ...values.filter((v) => !cur.includes(v))]
    }
    addTo('Peers', acl.Peers)
    addTo('IPAddrs', acl.IPAddrs)
    addTo('IPSubnets', acl.IPSubnets)
  }

  remove(acl: NetBlockList): void {
    for (const ip of acl.IPAddrs ?? []) if (ipv4ToInt(ip) === null && !ip.includes(':')) throw goError(`error parsing IP address ${ip}`)
    for (const s of acl.IPSubnets ?? []) if (!parseCidr(s)) throw goError(`error parsing subnet ${s}: invalid CIDR address: ${s}`)
    const drop = (key: keyof NetBlockList, values: string[] | null) => {
      if (!values?.length) return
      const next = (this.blocked[key] ?? []).filter((v) => !values.includes(v))
      this.blocked[key] = next.length ? next : null
    }
    drop('Peers', acl.Peers)
    drop('IPAddrs', acl.IPAddrs)
    drop('IPSubnets', acl.IPSubnets)
  }

  list(): NetBlockList {
    const v = (x: string[] | null) => (x && x.length ? [...x] : null)
    return { Peers: v(this.blocked.Peers), IPAddrs: v(this.blocked.IPAddrs), IPSubnets: v(this.blocked.IPSubnets) }
  }
}
