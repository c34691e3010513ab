import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EPOCH_SECONDS, genesisFor } from '../common/clock'
import type { SimSiteConfig } from '../common/siteConfig'
import { newBlsAddress, newPeerId, newSecpAddress } from '../front/identity'
import { TASK_SECONDS } from './durations'
import { initMinerState, minerRepoOf } from './init'
import { minerRepoFiles } from './repoFiles'
import type { SectorRecord } from './sectorTypes'

/**
 * A fresh site's pipeline: the sectors a site starts with entered their states when their task
 * could have begun, so the first look at a new site (the demo) finds nothing late of its own.
 */

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function site(speed: number, sectors: number): SimSiteConfig {
  dir = mkdtempSync(join(tmpdir(), 'md-sim-init-'))
  const home = join(dir, 'home')
  const store = join(dir, 'store-1')
  mkdirSync(home, { recursive: true })
  mkdirSync(store, { recursive: true })
  const nowMs = Date.now()
  return {
    version: 1,
    name: 'site-1',
    index: 1,
    root: dir,
    home,
    minerId: 1234,
    sectorSize: 34359738368,
    sealProof: 8,
    speed,
    genesisTime: genesisFor(Math.floor((nowMs / 1000 - 1598306400) / EPOCH_SECONDS), speed, nowMs),
    scenarios: [],
    initialSectors: sectors,
    ports: { daemon: 1, miner: 2 },
    workers: ['pc1', 'pc2', 'c2'].map((kind) => ({ name: `site-1-${kind}`, kind: kind as 'pc1', port: 3, repo: join(home, `.lotusworker-${kind}`) })),
    storePaths: [store],
    wallets: { owner: newBlsAddress(), worker: newBlsAddress(), control: [newSecpAddress()] },
    peerId: newPeerId(),
    node: process.execPath,
    bundle: ''
  } as SimSiteConfig
}

describe("a fresh site's pipeline", () => {
  it.each([60, 600])('at speed %i: a task state was entered as the site starts, no event lies ahead', (speed) => {
    const cfg = site(speed, 100)
    const before = Math.floor(Date.now() / 1000)
    initMinerState(cfg)
    const after = Date.now() / 1000
    const records = JSON.parse(readFileSync(minerRepoFiles(minerRepoOf(cfg)).sectors, 'utf8')) as SectorRecord[]
    const entered = new Map(records.map((r) => [r.state, Math.max(...r.log.map((l) => l.Timestamp))]))
    expect([...entered.keys()].sort()).toEqual(['Committing', 'FinalizeSector', 'Packing', 'PreCommit1', 'PreCommit2', 'WaitSeed'])
    // No more than two on their way to PC1: their PC1s end together and queue for the one PC2 worker.
    expect(records.filter((r) => ['Packing', 'GetTicket', 'PreCommit1'].includes(r.state))).toHaveLength(2)
    for (const r of records) for (const l of r.log) expect(l.Timestamp, `${r.n} ${r.state} ${l.Kind}`).toBeLessThanOrEqual(after)
    // Their task runs from the start: well within the time it takes (C1+C2 for Committing).
    for (const s of ['Packing', 'PreCommit1', 'PreCommit2']) expect(entered.get(s), s).toBeGreaterThanOrEqual(before - 1)
    expect(entered.get('Committing')).toBeGreaterThanOrEqual(before - 2 * (EPOCH_SECONDS / speed) - 1)
    expect(entered.get('FinalizeSector')).toBeGreaterThanOrEqual(before - (TASK_SECONDS.C1 + TASK_SECONDS.C2 + 120) / speed - 1)
  })
})
