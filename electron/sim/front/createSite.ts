import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EPOCH_SECONDS, genesisFor } from '../common/clock'
import type { Scenario, SectorDeadlines, SimSiteConfig } from '../common/siteConfig'
import { writeEd25519KeyPair } from '../ssh/keys'
import { workerNames, type WorkerCounts } from './args'
import { newBlsAddress, newPeerId, newSecpAddress } from './identity'
import { siteLayout, workerRepo, type SiteLayout } from './layout'
import { autopledgeScript, loginScript, PROGRAMS, runMinerScript, runWorkersScript, shimScript } from './scripts'
import { writeJsonPretty } from './state'

/** Filecoin mainnet genesis: 2020-08-24T22:00:00Z. Sites start at the height mainnet has now. */
export const MAINNET_GENESIS = 1598306400

export function mainnetHeight(nowMs = Date.now()): number {
  return Math.floor((nowMs / 1000 - MAINNET_GENESIS) / EPOCH_SECONDS)
}

export const SECTOR_SIZE_32G = 34359738368
/** RegisteredSealProof StackedDrg32GiBV1_1 (as in the conformance examples). */
export const SEAL_PROOF_32G = 8

export interface SitePlanInput {
  dir: string
  index: number
  minerId: number
  speed: number
  sectors: number
  scenarios: Scenario[]
  deadlines: SectorDeadlines | undefined
  workers: WorkerCounts
  /** Ports: daemon, miner, then one per worker in workerNames() order. */
  ports: number[]
  node: string
  nodeEnv: Record<string, string>
  bundle: string
  nowMs: number
}

export interface SitePlan {
  layout: SiteLayout
  cfg: SimSiteConfig
}

/** The sim.json of one site. */
export function planSite(p: SitePlanInput): SitePlan {
  const layout = siteLayout(p.dir, p.index)
  const [daemonPort, minerPort, ...workerPorts] = p.ports
  if (daemonPort === undefined || minerPort === undefined) throw new Error('planSite: ports missing')
  const workers = workerNames(layout.name, p.workers).map((w, i) => {
    const port = workerPorts[i]
    if (port === undefined) throw new Error('planSite: worker port missing')
    return { name: w.name, kind: w.kind, port, repo: workerRepo(layout.home, w.name) }
  })
  const cfg: SimSiteConfig = {
    version: 1,
    name: layout.name,
    index: p.index,
    root: layout.root,
    home: layout.home,
    minerId: p.minerId,
    sectorSize: SECTOR_SIZE_32G,
    sealProof: SEAL_PROOF_32G,
    speed: p.speed,
    genesisTime: genesisFor(mainnetHeight(p.nowMs), p.speed, p.nowMs),
    scenarios: p.scenarios,
    initialSectors: p.sectors,
    ports: { daemon: daemonPort, miner: minerPort },
    workers,
    storePaths: [layout.storeDir],
    wallets: { owner: newBlsAddress(), worker: newBlsAddress(), control: [newSecpAddress()] },
    peerId: newPeerId(),
    node: p.node,
    bundle: p.bundle
  }
  if (p.deadlines) cfg.sectorDeadlines = p.deadlines
  if (Object.keys(p.nodeEnv).length > 0) cfg.nodeEnv = p.nodeEnv
  return { layout, cfg }
}

function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o755 })
  chmodSync(path, 0o755)
}

/**
 * Lays a site out on disk (everything but the repos): sim.json, shims, login.sh, the runbook
 * scripts, storage and sshd directories with a host key and the client's authorized key.
 * Returns the host key's public line for known_hosts.
 */
export function writeSiteFiles(plan: SitePlan, clientPublicLine: string): string {
  const { layout, cfg } = plan
  for (const d of [layout.root, layout.bin, layout.home, join(layout.home, 'tmp'), layout.storeDir, layout.sshdDir]) {
    mkdirSync(d, { recursive: true, mode: 0o755 })
  }
  writeJsonPretty(layout.simJson, cfg)
  for (const program of PROGRAMS) writeExecutable(join(layout.bin, program), shimScript(cfg, program))
  writeExecutable(layout.loginSh, loginScript(cfg, layout))
  writeExecutable(join(layout.home, 'runminer.sh'), runMinerScript(cfg))
  writeExecutable(join(layout.home, 'runworker.sh'), runWorkersScript(cfg, 'sealing'))
  writeExecutable(join(layout.home, 'runworkerC2.sh'), runWorkersScript(cfg, 'c2'))
  writeExecutable(join(layout.home, 'autopledge.sh'), autopledgeScript(cfg))
  const hostKey = writeEd25519KeyPair(layout.hostKey, `${cfg.name}@minerdesk-sim`)
  // sshd reads authorized_keys as the login account.
  writeFileSync(layout.authorizedKeys, `${clientPublicLine}\n`, { mode: 0o644 })
  return hostKey.publicLine
}
