import type { GoLogger } from '../common/golog'
import { bitfieldFirst, type ChainApi } from './chain'
import { WARMUP_SECONDS } from './durations'

/**
 * The winning PoSt warm-up every miner start runs (miner/warmup.go, logger `miner`): the first
 * active sector of the first deadline that has one gets a winning PoSt computed; the log says
 * `starting winning PoSt warmup {"sector": "n"}` then `winning PoSt warmup successful {"took": s}`
 * (or `winning PoSt warmup failed` with scenario warmup-fail, or `skipping …, no sectors`).
 */
export async function winPoStWarmup(chain: ChainApi, log: GoLogger, fail: boolean): Promise<void> {
  try {
    const deadlines = await chain.deadlines()
    let sector: number | null = null
    for (let dl = 0; dl < deadlines.length && sector === null; dl++) {
      const parts = await chain.partitions(dl)
      for (const p of parts) {
        const first = bitfieldFirst(p.ActiveSectors)
        if (first !== null) {
          sector = first
          break
        }
      }
    }
    if (sector === null) {
      log.info('miner/warmup.go:48', 'skipping winning PoSt warmup, no sectors')
      return
    }
    log.info('miner/warmup.go:52', 'starting winning PoSt warmup', { sector: String(sector) })
    const start = Date.now()
    const si = await chain.sectorInfo(sector)
    if (!si) throw new Error(`sector not found ${sector}`)
    await new Promise((r) => setTimeout(r, (WARMUP_SECONDS + Math.random() * 0.6 - 0.3) * 1000))
    if (fail) throw new Error(`failed to compute proof: faulty sectors [SectorId(${sector})]`)
    log.info('miner/warmup.go:87', 'winning PoSt warmup successful', { took: (Date.now() - start) / 1000 })
  } catch (e) {
    log.error('miner/warmup.go:94', 'winning PoSt warmup failed', { error: (e as Error).message })
  }
}
