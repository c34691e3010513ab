import { ChainClock } from '../../common/clock'
import { currentSite } from '../../common/siteConfig'
import { NodeClient } from './clients'
import type { Ctx } from './cmd'

/** Clients and small facts every `lotus-miner` command uses. */

export function minerApi(ctx: Ctx, mode: 'ws' | 'http' = 'ws'): NodeClient {
  return NodeClient.of('miner', 'v0', String(ctx.global['miner-repo'] ?? ''), mode)
}

export function fullApi(ctx: Ctx, version: 'v0' | 'v1' = 'v0'): NodeClient {
  return NodeClient.of('full', version, String(ctx.global.repo ?? ''))
}

/** Seconds per epoch of the site (what a Lotus build for this network has as BlockDelaySecs). */
export function blockDelaySecs(): number {
  const cfg = currentSite()
  return cfg ? ChainClock.of(cfg).epochSeconds : 30
}

/** strconv.ParseUint's error text. */
export function parseUint(s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`)
  const n = Number(s)
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`)
  return n
}

/** getActorAddress: `--actor` or the miner's ActorAddress. */
export async function actorAddress(ctx: Ctx): Promise<string> {
  if (ctx.globalIsSet('actor')) return String(ctx.global.actor)
  try {
    return await minerApi(ctx).call<string>('ActorAddress')
  } catch (e) {
    if ((e as Error).message.startsWith('cannot dial') || (e as Error).message.startsWith('could not get API info')) throw e
    throw new Error(`getting actor address: ${(e as Error).message}`)
  }
}

export function minerIdOf(addr: string): number {
  const m = /^[ft]0(\d+)$/.exec(addr)
  if (!m) throw new Error(`unknown address protocol`)
  return Number(m[1])
}
