import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EPOCH_SECONDS, PRECOMMIT_CHALLENGE_DELAY, SEAL_RANDOMNESS_LOOKBACK, ChainClock } from '../common/clock'
import { PERMISSIONS, signToken } from '../common/jwt'
import { writeJsonAtomic } from '../common/persist'
import { hasScenario, type SimSiteConfig } from '../common/siteConfig'
import {
  corruptPAux,
  readStorageMeta,
  SDR_LAYERS,
  sectorPath,
  sparseFile,
  treeRLastName,
  treeRLastSize,
  storageMeta,
  TREE_FILES,
  makeCache,
  writeLayer,
  writePC2Final,
  writePC2Step,
  writeStorageMeta,
  writeTreeD,
  writeUnsealed
} from '../worker/files'
import { messageCid } from './cids'
import { renderMinerConfig } from './config'
import { INTERACTIVE_POREP_CONFIDENCE, TASK_SECONDS } from './durations'
import { E, eventLogEntry, type SectorEvent } from './events'
import { applyEvent } from './fsm'
import { ccFiller, commRFor, pc1Out, proofBytes, seedValue, ticketValue, tipsetOf, type HistoryContext } from './history'
import { ensureJwtSecret } from './keystore'
import { minerRepoFiles } from './repoFiles'
import type { MinerMeta } from './sectorStore'
import { newSectorRecord, type SectorRecord } from './sectorTypes'

/**
 * Creates a site's miner repo (`<home>/.lotusminer`): JWT secret and admin token, config.toml
 * (Lotus's default keys, the site's API port, sealing on the workers only), storage.json with
 * the long-term store path(s), and the sector state — `cfg.initialSectors` sectors numbered
 * from 0, all Proving except the last few, which sit at staggered pipeline states with the event
 * log Lotus would have written and their files on the workers' paths. Proving sectors are kept
 * as ranges (fast for 100,000); only the last ~200 get files in the store path (the rest would
 * be over a million files), their index entries are declared without files.
 *
 * Returns the on-chain facts the chain must hold (initChainState).
 */
export interface OnChainFacts {
  active: number[]
  precommitted: { sector: number; epoch: number }[]
}

/**
 * Pipeline states of the initial sectors, most interesting first (small sites get these). Two at
 * most are on their way to PC1 (PreCommit1, Packing): their PC1s begin as the site starts and end
 * together, and a third would wait twice a PC2's time for the site's one PC2 worker.
 */
const PIPELINE_PRIORITY = ['Committing', 'PreCommit1', 'WaitSeed', 'PreCommit2', 'Packing', 'FinalizeSector', 'Committing', 'WaitSeed', 'WaitSeed', 'FinalizeSector']
const PIPELINE_ORDER = ['FinalizeSector', 'Committing', 'WaitSeed', 'PreCommit2', 'PreCommit1', 'GetTicket', 'Packing']
/** Proving sectors that get files in the store path. */
const PROVING_WITH_FILES = 200

export function minerRepoOf(cfg: SimSiteConfig): string {
  return join(cfg.home, '.lotusminer')
}

export function pipelineCount(n: number): number {
  return n <= 0 ? 0 : Math.min(10, Math.max(1, Math.floor(n / 10)))
}

function writeRepo(cfg: SimSiteConfig, repo: string): void {
  mkdirSync(repo, { recursive: true })
  const secret = ensureJwtSecret(repo)
  writeFileSync(join(repo, 'token'), signToken(secret, PERMISSIONS), { mode: 0o600 })
  const port = cfg.ports.miner
  writeFileSync(
    join(repo, 'config.toml'),
    renderMinerConfig({
      API: { ListenAddress: `"/ip4/127.0.0.1/tcp/${port}/http"`, RemoteListenAddress: `"127.0.0.1:${port}"` },
      Storage: {
        AllowAddPiece: 'false',
        AllowPreCommit1: 'false',
        AllowPreCommit2: 'false',
        AllowCommit: 'false',
        AllowUnseal: 'false',
        AllowReplicaUpdate: 'false',
        AllowProveReplicaUpdate2: 'false',
        AllowRegenSectorKey: 'false',
        LocalWorkerName: JSON.stringify(cfg.name)
      }
    })
  )
  writeFileSync(join(repo, 'storage.json'), JSON.stringify({ StoragePaths: cfg.storePaths.map((p) => ({ Path: p })) }, null, 2))
  for (const p of cfg.storePaths) {
    if (!readStorageMeta(p)) writeStorageMeta(p, storageMeta(randomUUID(), false, true))
  }
  mkdirSync(join(repo, 'datastore'), { recursive: true })
}

interface Built {
  rec: SectorRecord
  files: (paths: { pc1: string | null; pc2: string | null }) => void
}

/** States whose task runs on a worker from the site's start, entered by events that no chain epoch ties down. */
const TASK_STATES: ReadonlySet<string> = new Set(['Packing', 'GetTicket', 'PreCommit1', 'PreCommit2'])

/**
 * Epochs from the seed to now for a sector that reached Committing or FinalizeSector: Committing
 * begins as the seed is confirmed (so its C1 and C2 run from the site's start); a FinalizeSector
 * sector also had its C1, C2 and commit wait.
 */
function sinceSeed(state: string): number {
  return state === 'FinalizeSector' ? Math.ceil((TASK_SECONDS.C1 + TASK_SECONDS.C2 + 60) / EPOCH_SECONDS) + 1 : 1
}

/** A pipeline sector at `state`, with the events that led there and its files on the workers. */
function pipelineSector(cfg: SimSiteConfig, ctx: HistoryContext, n: number, state: string, slot: number, now: number): Built {
  const { clock, minerId, sectorSize } = ctx
  const head = clock.epochAt(now)
  const rec = newSectorRecord(n, cfg.sealProof)
  const sec = (s: number) => s / cfg.speed
  const events: [number, SectorEvent][] = []
  // How far into its current step the sector is: staggered by slot.
  const frac = 0.2 + 0.15 * (slot % 5)
  const stages = PIPELINE_ORDER.length - PIPELINE_ORDER.indexOf(state)
  let t = now / 1000 - sec(TASK_SECONDS.AP + TASK_SECONDS.PC1 + TASK_SECONDS.PC2) * (stages / 5) - 30
  const push = (e: SectorEvent) => events.push([Math.max(Math.floor(t), events[events.length - 1]?.[0] ?? 0), e])
  const reached = (s: string) => PIPELINE_ORDER.indexOf(state) <= PIPELINE_ORDER.indexOf(s)
  push(E.startCC(n, cfg.sealProof))
  let precommitEpoch = 0
  const ticketEpoch = head - SEAL_RANDOMNESS_LOOKBACK - 40 - slot * 7
  if (reached('GetTicket')) {
    t += sec(TASK_SECONDS.AP)
    push(E.packed([ccFiller(sectorSize)]))
  }
  if (reached('PreCommit1')) {
    t += sec(3)
    push(E.ticket(ticketValue(minerId, n, ticketEpoch), ticketEpoch))
  }
  if (reached('PreCommit2')) {
    t += sec(TASK_SECONDS.PC1)
    push(E.preCommit1(pc1Out(minerId, n, ticketEpoch)))
  }
  if (reached('WaitSeed')) {
    precommitEpoch = state === 'WaitSeed' ? head - Math.floor(PRECOMMIT_CHALLENGE_DELAY * frac) : head - PRECOMMIT_CHALLENGE_DELAY - INTERACTIVE_POREP_CONFIDENCE - sinceSeed(state)
    t = clock.timeOf(precommitEpoch) - 5
    push(E.preCommit2(commRFor(minerId, n), ccFiller(sectorSize).PieceCID))
    t += 1
    push(E.preCommitBatchSent(messageCid(`precommit:${minerId}:${n}`)))
    t = clock.timeOf(precommitEpoch) + 1
    push(E.preCommitLanded(tipsetOf(precommitEpoch)))
    rec.precommitEpoch = precommitEpoch
  }
  if (reached('Committing')) {
    const seedEpoch = precommitEpoch + PRECOMMIT_CHALLENGE_DELAY
    t = clock.timeOf(seedEpoch + 6)
    push(E.seedReady(seedValue(minerId, n, seedEpoch), seedEpoch))
  }
  if (reached('FinalizeSector')) {
    t += sec(TASK_SECONDS.C1 + TASK_SECONDS.C2)
    push(E.committed(proofBytes(minerId, n, precommitEpoch + PRECOMMIT_CHALLENGE_DELAY)))
    push(E.commitAggregateSent(messageCid(`commit:${minerId}:${n}`)))
    t += sec(60)
    push(E.proving())
    rec.onChain = true
  }
  // A task the site runs right now began when the site started (a PC1 begins with its cache
  // cleaned, so nothing of an earlier attempt counts): the sector entered its state then, not
  // hours ago, or a fresh site would show its own sectors overdue.
  if (TASK_STATES.has(state)) {
    const shift = Math.floor(now / 1000) - (events[events.length - 1]?.[0] ?? 0)
    for (const ev of events) ev[0] += shift
  }
  for (const [when, e] of events) {
    applyEvent(rec, e, when)
    rec.log.push(eventLogEntry(e, when))
  }
  rec.state = state
  const files = (p: { pc1: string | null; pc2: string | null }) => {
    if (reached('GetTicket') && p.pc1) writeUnsealed(p.pc1, minerId, n, sectorSize)
    if (state === 'PreCommit2' && p.pc1) {
      makeCache(p.pc1, minerId, n)
      for (let i = 1; i <= SDR_LAYERS; i++) writeLayer(p.pc1, minerId, n, i, sectorSize)
      writeTreeD(p.pc1, minerId, n, sectorSize)
    }
    const sealedOn = p.pc2 ?? p.pc1
    if (reached('WaitSeed') && sealedOn) {
      makeCache(sealedOn, minerId, n)
      for (let i = 1; i <= SDR_LAYERS; i++) writeLayer(sealedOn, minerId, n, i, sectorSize)
      writeTreeD(sealedOn, minerId, n, sectorSize)
      for (let i = 0; i < TREE_FILES; i++) writePC2Step(sealedOn, minerId, n, i, sectorSize)
      writePC2Final(sealedOn, minerId, n, commRFor(minerId, n), sectorSize)
      if (state === 'Committing' && hasScenario(cfg, 'compute-proof-failed')) corruptPAux(sealedOn, minerId, n)
    }
  }
  return { rec, files }
}

/** A finalized sector's files in long-term storage: sealed replica, p_aux, t_aux, tree-r-last. */
function provingFiles(store: string, minerId: number, n: number, sectorSize: number): void {
  writePC2Final(store, minerId, n, commRFor(minerId, n), sectorSize)
  const cache = sectorPath(store, 'cache', minerId, n)
  for (let i = 0; i < TREE_FILES; i++) sparseFile(join(cache, treeRLastName(i)), treeRLastSize(sectorSize))
}

export function initMinerState(cfg: SimSiteConfig): OnChainFacts {
  const repo = minerRepoOf(cfg)
  const files = minerRepoFiles(repo)
  writeRepo(cfg, repo)

  const now = Date.now()
  const clock = ChainClock.of(cfg)
  const total = cfg.initialSectors
  const k = pipelineCount(total)
  const provingCount = total - k
  const states = PIPELINE_PRIORITY.slice(0, k).sort((a, b) => PIPELINE_ORDER.indexOf(a) - PIPELINE_ORDER.indexOf(b))
  const active: number[] = []
  for (let n = 0; n < provingCount; n++) active.push(n)
  states.forEach((s, i) => {
    if (s === 'FinalizeSector') active.push(provingCount + i)
  })
  const initCount = active.length > 0 ? (active[active.length - 1] as number) + 1 : 0
  const meta: MinerMeta = {
    version: 1,
    minerId: cfg.minerId,
    sealProof: cfg.sealProof,
    sectorSize: cfg.sectorSize,
    nextSector: total,
    initEpoch: clock.epochAt(now),
    initCount,
    bulk: provingCount > 0 ? [[0, provingCount]] : []
  }
  const ctx: HistoryContext = { minerId: cfg.minerId, sealProof: cfg.sealProof, sectorSize: cfg.sectorSize, clock, initEpoch: meta.initEpoch, initCount }

  const pc1 = cfg.workers.find((w) => w.kind === 'pc1')?.repo ?? cfg.workers[0]?.repo ?? null
  const pc2 = cfg.workers.find((w) => w.kind === 'pc2')?.repo ?? pc1
  const records: SectorRecord[] = []
  const precommitted: OnChainFacts['precommitted'] = []
  states.forEach((state, i) => {
    const n = provingCount + i
    const b = pipelineSector(cfg, ctx, n, state, i, now)
    b.files({ pc1, pc2 })
    if (state === 'WaitSeed' || state === 'Committing') precommitted.push({ sector: n, epoch: b.rec.precommitEpoch })
    records.push(b.rec)
  })
  const store = cfg.storePaths[0]
  if (store) for (let n = Math.max(0, provingCount - PROVING_WITH_FILES); n < provingCount; n++) provingFiles(store, cfg.minerId, n, cfg.sectorSize)

  writeJsonAtomic(files.meta, meta)
  writeJsonAtomic(files.sectors, records)
  writeJsonAtomic(files.calls, [])
  return { active, precommitted }
}
