import { MinerDeskError, type MutationPreview, type PeersInfo } from '../../../preload/contract'
import { fullCalls } from '../lotus/fullApi'
import type { NetBlockList } from '../../../preload/contract/lotus/types'
import { apiStepText } from '../runtime/ops'
import type { ServiceContext } from '../runtime/context'

/**
 * `lotus net peers` / `net scores` / `net block list` in one batch, and `lotus net block add
 * peer <id>` (NetBlockAdd, admin). Blocking closes the existing connections to the peer at once;
 * MinerDesk refuses to block the node's own peer ID and says so when the peer is already blocked.
 */

export async function listPeers(ctx: ServiceContext, siteId: string): Promise<PeersInfo> {
  const { lotus } = ctx.sites.get(siteId)
  const [id, peers, scores, blocked] = await lotus.full.batch([fullCalls.id(), fullCalls.netPeers(), fullCalls.netPubsubScores(), fullCalls.netBlockList()] as const)
  if (!id.ok) throw new MinerDeskError(id.error)
  if (!peers.ok) throw new MinerDeskError(peers.error)
  const score = new Map(scores.ok ? scores.value.map((s) => [s.ID, s.Score.Score]) : [])
  const b: NetBlockList = blocked.ok ? blocked.value : { Peers: [], IPAddrs: [], IPSubnets: [] }
  // `lotus net peers` sorts by peer ID, descending (Go string order).
  const list = [...peers.value].sort((x, y) => (x.ID < y.ID ? 1 : x.ID > y.ID ? -1 : 0))
  return {
    siteId,
    self: id.value,
    peers: list.map((p) => ({ id: p.ID, addrs: p.Addrs ?? [], score: score.get(p.ID) ?? null })),
    blocked: { peers: b.Peers ?? [], ipAddrs: b.IPAddrs ?? [], ipSubnets: b.IPSubnets ?? [] }
  }
}

export async function previewBlockPeer(ctx: ServiceContext, siteId: string, peer: string): Promise<MutationPreview> {
  const { config, lotus } = ctx.sites.get(siteId)
  const info = await listPeers(ctx, siteId)
  if (peer === info.self) {
    throw new MinerDeskError({ code: 'invalid-input', message: `${peer} is this node's own peer ID`, hint: 'a node cannot block itself; check the peer ID' })
  }
  if (info.blocked.peers.includes(peer)) {
    throw new MinerDeskError({ code: 'conflict', message: `${peer} is already blocked on ${siteId}`, hint: 'lotus net block list shows what is blocked' })
  }
  const connected = info.peers.find((p) => p.id === peer)
  const acl: NetBlockList = { Peers: [peer], IPAddrs: null, IPSubnets: null }
  return ctx.ops.preview({
    site: siteId,
    action: 'net.block-peer',
    params: { peer },
    steps: [{ kind: 'api', host: config.alias, text: apiStepText('NetBlockAdd', [acl]) }],
    warnings: connected
      ? [{ key: 'peerConnected', params: { peer, addrs: connected.addrs.join(' ') || '—' }, text: `${peer} is connected now (${connected.addrs.join(' ') || 'no address'}): blocking closes that connection at once.` }]
      : [{ key: 'peerNotConnected', params: { peer }, text: `${peer} is not connected now; the block keeps it from connecting.` }],
    execute: async (s) => {
      await s.run(0, async () => {
        await lotus.full.netBlockAdd(acl)
        const after = await lotus.full.netBlockList()
        if (!(after.Peers ?? []).includes(peer)) {
          throw new MinerDeskError({ code: 'lotus/bad-response', message: `NetBlockAdd answered, but ${peer} is not in the block list` })
        }
        return `blocked ${peer}`
      })
      s.data({ blocked: true })
    }
  })
}
