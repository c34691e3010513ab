import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SectorInfo } from '../../preload/contract/lotus/types'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * The runbook's miner and worker commands over real SSH on a site brought up with
 * `npm run sim -- up` (runbook §4, §6): the read commands, the spellings current Lotus does not
 * know (`sealing sectors list|remove`), a pledge, and the restart order's miner half —
 * `lotus-miner stop`, `./runminer.sh`, the warm-up lines in miner.log.
 */

let sim: SimSites

beforeAll(async () => {
  sim = await startSimSites({ sites: 1, speed: 120, sectors: 300 })
}, 120_000)

afterAll(async () => {
  await sim?.down()
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('lotus-miner / lotus-worker over SSH (runbook §4, §6)', () => {
  it('answers the runbook\'s read commands', async () => {
    const jobs = await sim.sshOk('site-1', 'lotus-miner sealing jobs')
    expect(jobs.split('\n')[0]).toMatch(/^ID +Sector +Worker +Hostname +Task +State +Time$/)
    const workers = await sim.sshOk('site-1', 'lotus-miner sealing workers')
    expect(workers).toMatch(/^Worker [0-9a-f-]{36}, host site-1\S*$/m)
    expect(workers).toMatch(/\tCPU: {2}\[[| ]+\] \d+\/\d+ core\(s\) in use\n/)
    const dl = await sim.sshOk('site-1', 'lotus-miner proving deadlines')
    expect(dl).toMatch(/^Miner: f0\d+\n/)
    expect(dl).toMatch(/\ndeadline {2}open {6}partitions {2}sectors \(faults\) {2}proven partitions\n0 {9}\d\d:\d\d:\d\d {2}1 {11}\d+ \(\d+\)/)
    const status = await sim.sshOk('site-1', 'lotus-miner sectors status --log 0')
    expect(status).toMatch(/^SectorID:\t0\nStatus:\t\tProving\n/)
    expect(status).toMatch(/\nEvent Log:\n0\.\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} UTC:\t\[event;sealing\.SectorStartCC\]\t\{"User":\{/)
    const find = await sim.sshOk('site-1', 'lotus-miner storage find 0')
    expect(find).toMatch(/^In [0-9a-f-]{36} \(Sealed, Cache\)\n\tSealing: false; Storage: true\n\tLocal \(\S+\)\n\tURL: http:\/\/127\.0\.0\.1:\d+\/remote\/sealed\/s-t0\d+-0\n$/)
    const info = await sim.sshOk('site-1', 'lotus-worker --worker-repo ~/.lotusworker-site-1-pc1 info')
    expect(info).toMatch(/\nTask types: FUS FIN GET FRU C1 PC1 PR1 AP DC \n/)
  })

  it('the runbook spellings `sealing sectors list|remove` fail as current Lotus fails', async () => {
    const list = await sim.ssh('site-1', 'lotus-miner sealing sectors list')
    expect(list.code).toBe(3)
    expect(list).toMatchObject({ stdout: '', stderr: 'No help topic for \'sectors\'\n' })
    const remove = await sim.ssh('site-1', 'lotus-miner sealing sectors remove 1')
    expect(remove.code).toBe(3)
  })

  it('pledges a sector; stop, ./runminer.sh, and the warm-up lines in miner.log', async () => {
    const pledged = await sim.sshOk('site-1', 'lotus-miner sectors pledge')
    const n = Number(/^Created CC sector: {2}(\d+)\n$/.exec(pledged)?.[1])
    expect(Number.isInteger(n)).toBe(true)
    expect(await sim.ssh('site-1', 'lotus-miner stop')).toMatchObject({ code: 0, stdout: '' })
    const down = await sim.ssh('site-1', 'lotus-miner sealing jobs')
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/^ERROR: could not get API info for StorageMiner: could not get api endpoint: No file \(\S+\/\.lotusminer\/api\): API not running \(no endpoint\)\n\n$/)
    const before = Number((await sim.sshOk('site-1', 'wc -l < miner.log')).trim())
    await sim.sshOk('site-1', './runminer.sh')
    await sim.sshOk('site-1', 'lotus-miner wait-api --timeout 30s', { timeoutMs: 40_000 })
    let tail = ''
    for (let i = 0; i < 60 && !/winning PoSt warmup successful/.test(tail); i++) {
      await sleep(500)
      tail = await sim.sshOk('site-1', `tail -n +${before + 1} miner.log`)
    }
    expect(tail).toMatch(/\tINFO\tminer\tminer\/warmup\.go:52\tstarting winning PoSt warmup\t\{"sector": "\d+"\}\n/)
    expect(tail).toMatch(/\tINFO\tminer\tminer\/warmup\.go:87\twinning PoSt warmup successful\t\{"took": \d+\.\d+\}\n/)
    const sector = await sim.rpc<SectorInfo>('site-1', 'miner', 'SectorsStatus', [n, false])
    expect(sector.SectorID).toBe(n)
    expect(sector.State).not.toBe('Removed')
  }, 90_000)
})
