import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECTOR_STATES } from '../../preload/contract/lotus/states'
import { callRpc, type RpcCallError } from '../../electron/sim/common/rpcClient'
import { conformanceExample, missingKeyPaths, typeMismatches } from '../support/sim/minerConformance'
import { bootSite, createTestSite, minerRpc, prepareBundle, type Booted, type TestSite } from '../support/sim/minerSite'

/**
 * The simulated miner and workers through their real JSON-RPC APIs and CLIs: every miner.* and
 * worker.* documentation example's key paths, Lotus's permissions and endpoints, and the CLI
 * commands' outputs and errors.
 */

let dir: string
let site: TestSite
let booted: Booted

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mdsim-miner-api-'))
  const bundle = await prepareBundle(dir)
  site = await createTestSite({ dir, bundle, speed: 60, sectors: 40, sectorDeadlines: 'far' })
  booted = await bootSite(site)
}, 120_000)

afterAll(async () => {
  await site?.stopAll()
  rmSync(dir, { recursive: true, force: true })
})

function check(name: string, answer: unknown, optional: string[] = []): void {
  const example = conformanceExample(`miner.${name}.response.json`)
  expect(missingKeyPaths(example, answer, optional), `${name}: missing key paths`).toEqual([])
  expect(typeMismatches(example, answer), `${name}: JSON types`).toEqual([])
}

describe('miner JSON-RPC: conformance with the API documentation examples', () => {
  it('identity: Version, Session, ActorAddress', async () => {
    const v = await minerRpc<{ APIVersion: number; Version: string; Agent: string }>(site, 'Version')
    check('Version', v)
    expect(v.APIVersion).toBe(66816)
    expect(v.Version).toBe('v1.36.2-dev+mainnet+git.b835fab70')
    check('Session', await minerRpc(site, 'Session'))
    check('ActorAddress', await minerRpc(site, 'ActorAddress'))
    expect(await minerRpc(site, 'ActorAddress')).toBe(`f0${site.cfg.minerId}`)
  })

  it('sector lists and summary', async () => {
    const list = await minerRpc<number[]>(site, 'SectorsList')
    check('SectorsList', list)
    expect(list).toHaveLength(40)
    const inStates = await minerRpc<number[]>(site, 'SectorsListInStates', conformanceExample('miner.SectorsListInStates.params.json') as unknown[])
    check('SectorsListInStates', inStates)
    expect(await minerRpc(site, 'SectorsListInStates', [['NoSuchState']])).toBeNull()
    const summary = await minerRpc<Record<string, number>>(site, 'SectorsSummary')
    check('SectorsSummary', summary)
    expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(40)
  })

  it('SectorsStatus with on-chain info and the event log', async () => {
    const st = await minerRpc<{ State: string; Log: unknown[]; Activation: number }>(site, 'SectorsStatus', [3, true])
    check('SectorsStatus', st)
    expect(st.State).toBe('Proving')
    expect(st.Log.length).toBeGreaterThan(10)
    expect(st.Activation).toBeGreaterThan(0)
    await expect(minerRpc(site, 'SectorsStatus', [99_999, false])).rejects.toThrow('No state for /99999: datastore: key not found')
  })

  it('PledgeSector, SectorsUpdate, SectorRemove, SectorTerminate', async () => {
    const id = await minerRpc<{ Miner: number; Number: number }>(site, 'PledgeSector')
    check('PledgeSector', id)
    expect(id).toEqual({ Miner: site.cfg.minerId, Number: 40 })
    expect(await minerRpc(site, 'SectorsUpdate', conformanceExample('miner.SectorsUpdate.params.json') as unknown[])).toBeNull()
    expect(await minerRpc(site, 'SectorRemove', [1])).toBeNull()
    expect(await minerRpc(site, 'SectorTerminate', [2])).toBeNull()
    const st = await minerRpc<{ Log: { Kind: string; Message: string }[] }>(site, 'SectorsStatus', [9, false])
    expect(st.Log.at(-1)).toMatchObject({ Kind: 'event;sealing.SectorForceState', Message: '{"User":{"State":"Proving"}}' })
  })

  it('WorkerStats and WorkerJobs', async () => {
    const stats = await minerRpc<Record<string, { Info: { Hostname: string }; TaskCounts: Record<string, number> }>>(site, 'WorkerStats')
    check('WorkerStats', stats)
    expect(Object.values(stats).map((s) => s.Info.Hostname).sort()).toEqual(['site-1', 'site-1-c2', 'site-1-pc1', 'site-1-pc2'])
    let jobs: Record<string, { RunWait: number }[]> = {}
    for (let i = 0; i < 100 && Object.keys(jobs).length === 0; i++) {
      jobs = await minerRpc(site, 'WorkerJobs')
      await new Promise((r) => setTimeout(r, 100))
    }
    // Hostname is omitempty: Lotus sets it only on jobs of the call tracker (ret-wait…).
    check('WorkerJobs', jobs, Object.values(jobs).flat().every((j) => j.RunWait >= 0) ? ['Hostname'] : [])
    const pc1 = Object.entries(stats).find(([, s]) => s.Info.Hostname === 'site-1-pc1')?.[1]
    expect(Object.keys(pc1?.TaskCounts ?? {}).every((k) => /^8:seal\/v0\//.test(k))).toBe(true)
  })

  it('SealingAbort and SealingRemoveRequest take Lotus\'s parameters', async () => {
    const jobs = await minerRpc<Record<string, { ID: { Sector: unknown; ID: string }; RunWait: number }[]>>(site, 'WorkerJobs')
    const running = Object.values(jobs).flat().find((j) => j.RunWait === 0)
    expect(running).toBeDefined()
    expect(await minerRpc(site, 'SealingAbort', [running?.ID])).toBeNull()
    expect(await minerRpc(site, 'SealingAbort', conformanceExample('miner.SealingAbort.params.json') as unknown[])).toBeNull()
    await expect(minerRpc(site, 'SealingRemoveRequest', conformanceExample('miner.SealingRemoveRequest.params.json') as unknown[])).rejects.toThrow(
      /No requests in the scheduler|No request with provided details found/
    )
  })

  it('storage: StorageFindSector, StorageList, StorageLocal, StorageInfo, StorageStat', async () => {
    const local = await minerRpc<Record<string, string>>(site, 'StorageLocal')
    check('StorageLocal', local)
    const [storeId] = Object.keys(local)
    const found = await minerRpc<{ ID: string; URLs: string[] }[]>(site, 'StorageFindSector', [{ Miner: site.cfg.minerId, Number: 5 }, 2, 34359738368, true])
    check('StorageFindSector', found)
    expect(found[0]?.ID).toBe(storeId)
    expect(found[0]?.URLs).toEqual([`http://127.0.0.1:${site.cfg.ports.miner}/remote/sealed/s-t0${site.cfg.minerId}-5`])
    check('StorageList', await minerRpc(site, 'StorageList'))
    check('StorageInfo', await minerRpc(site, 'StorageInfo', [storeId]))
    check('StorageStat', await minerRpc(site, 'StorageStat', [storeId]))
  })

  it('worker API: Version, Info, Paths, TaskTypes', async () => {
    const w = site.cfg.workers.find((x) => x.kind === 'pc2')
    if (!w) throw new Error('no PC2 worker')
    const token = (await minerRpc<string>(site, 'AuthNew', [['read', 'write', 'sign', 'admin']])) as string
    const ep = { host: '127.0.0.1', port: w.port, token: Buffer.from(token, 'base64').toString(), path: '/rpc/v0' }
    expect(await callRpc(ep, 'Version', [])).toBe(67328)
    for (const m of ['Info', 'Paths', 'TaskTypes']) {
      const answer = await callRpc(ep, m, [])
      expect(missingKeyPaths(conformanceExample(`worker.${m}.response.json`), answer, [], ''), m).toEqual([])
    }
    const paths = await callRpc<{ LocalPath: string; CanSeal: boolean; CanStore: boolean; Weight: number }[]>(ep, 'Paths', [])
    expect(paths).toEqual([expect.objectContaining({ LocalPath: w.repo, CanSeal: true, CanStore: false, Weight: 10 })])
    await expect(callRpc({ ...ep, token: null }, 'Info', [])).rejects.toThrow("missing permission to invoke 'Info' (need 'admin')")
  })
})

describe('miner JSON-RPC: endpoints and permissions', () => {
  const raw = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'Filecoin.Version', params: [], id: 1 })
      const req = request({ host: '127.0.0.1', port: site.cfg.ports.miner, path, method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
        let b = ''
        res.on('data', (d: Buffer) => (b += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }))
      })
      req.on('error', reject)
      req.end(body)
    })

  it('serves /rpc/v0 only: /rpc/v1 is 404 as on a real miner', async () => {
    expect((await raw('/rpc/v0')).status).toBe(200)
    expect(await raw('/rpc/v1')).toEqual({ status: 404, body: '404 page not found\n' })
  })

  it('no token reads; bad tokens get 401; missing permissions get code 1', async () => {
    expect(await minerRpc(site, 'ActorAddress', [], null)).toBe(`f0${site.cfg.minerId}`)
    expect((await raw('/rpc/v0', { Authorization: 'Bearer nope' })).status).toBe(401)
    expect((await raw('/rpc/v0', { Authorization: 'Basic x' })).status).toBe(401)
    await expect(minerRpc(site, 'WorkerJobs', [], null)).rejects.toSatisfy((e: RpcCallError) => e.code === 1 && e.message === "missing permission to invoke 'WorkerJobs' (need 'admin')")
    const read = Buffer.from(await minerRpc<string>(site, 'AuthNew', [['read']]), 'base64').toString()
    await expect(minerRpc(site, 'PledgeSector', [], read)).rejects.toThrow("missing permission to invoke 'PledgeSector' (need 'write')")
    await expect(minerRpc(site, 'SectorsStatus', [1])).rejects.toThrow("wrong param count (method 'Filecoin.SectorsStatus'): 1 != 2")
  })
})

describe('lotus-miner CLI', () => {
  it('unknown subcommands fail as urfave/cli does (runbook spellings `sealing sectors list|remove`)', () => {
    for (const args of [['sealing', 'sectors', 'list'], ['sealing', 'sectors', 'remove', '5']]) {
      const r = site.run('lotus-miner', args)
      expect(r.code).toBe(3)
      expect(r.stderr).toBe("No help topic for 'sectors'\n")
      expect(r.stdout).toBe('')
    }
  })

  it('update-state: refuses without --really-do-it; lists the states for an invalid one and exits 0', () => {
    const no = site.run('lotus-miner', ['sectors', 'update-state', '10', 'Committing'])
    expect(no.code).toBe(1)
    expect(no.stderr).toBe('ERROR: this is a command for advanced users, only use it if you are sure of what you are doing\n\n')
    const bad = site.run('lotus-miner', ['sectors', 'update-state', '--really-do-it', '10', 'Commiting'])
    expect(bad.code).toBe(0)
    const lines = bad.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(' "Commiting" is not a valid state. Possible states for sectors are: ')
    expect(lines.slice(1).sort()).toEqual([...SECTOR_STATES].sort())
    const missing = site.run('lotus-miner', ['sectors', 'update-state', '--really-do-it', '999999', 'Proving'])
    expect(missing.stderr).toBe('ERROR: sector 999999 not found, could not change state\n\n')
    const ok = site.run('lotus-miner', ['sectors', 'update-state', '--really-do-it', '11', 'FaultedFinal'])
    expect(ok).toMatchObject({ code: 0, stdout: '', stderr: '' })
  })

  it('remove / terminate guard rails and argument errors', () => {
    expect(site.run('lotus-miner', ['sectors', 'remove', '12']).stderr).toBe(
      'ERROR: this is a command for advanced users, only use it if you are sure of what you are doing\n\n'
    )
    expect(site.run('lotus-miner', ['sectors', 'terminate', '12']).stderr).toBe('ERROR: pass --really-do-it to confirm this action\n\n')
    expect(site.run('lotus-miner', ['sectors', 'remove', '--really-do-it', '777777']).stderr).toBe(
      'ERROR: sectorID 777777 has not been created yet: No state for /777777: datastore: key not found\n\n'
    )
    const r = site.run('lotus-miner', ['sectors', 'status'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('ERROR: incorrect number of arguments, got 0\n\n')
    expect(r.stdout).toMatch(/^NAME:\n {3}lotus-miner sectors status - Get the seal status of a sector by its number\n/)
    expect(site.run('lotus-miner', ['sectors', 'status', 'x']).stderr).toBe('ERROR: strconv.ParseUint: parsing "x": invalid syntax\n\n')
  })

  it('version, auth api-info, pledge, sectors status, storage find', () => {
    const v = site.run('lotus-miner', ['version'])
    expect(v.stdout).toBe('Daemon:  v1.36.2-dev+mainnet+git.b835fab70+api1.5.0\nLocal: lotus-miner version v1.36.2-dev+mainnet+git.b835fab70\n')
    const info = site.run('lotus-miner', ['auth', 'api-info', '--perm', 'admin'])
    expect(info.stdout).toMatch(new RegExp(`^MINER_API_INFO=eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+:/ip4/127\\.0\\.0\\.1/tcp/${site.cfg.ports.miner}/http\\n$`))
    expect(site.run('lotus-miner', ['auth', 'api-info']).stderr).toBe('ERROR: --perm flag not set, use with one of: read, write, sign, admin\n\n')
    const p = site.run('lotus-miner', ['sectors', 'pledge'])
    expect(p.stdout).toMatch(/^Created CC sector: {2}\d+\n$/)
    const st = site.run('lotus-miner', ['sectors', 'status', '--log', '5'])
    expect(st.stdout).toMatch(/^SectorID:\t5\nStatus:\t\tProving\nCIDcommD:\tbaga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq\n/)
    expect(st.stdout).toContain('--------\nEvent Log:\n0.\t')
    expect(st.stdout).toContain('[event;sealing.SectorFinalized]\t{"User":{}}\n')
    const f = site.run('lotus-miner', ['storage', 'find', '5'])
    expect(f.stdout).toMatch(new RegExp(`^In [0-9a-f-]{36} \\(Sealed, Cache\\)\\n\\tSealing: false; Storage: true\\n\\tLocal \\(${site.cfg.storePaths[0]}\\)\\n\\tURL: http://127\\.0\\.0\\.1:${site.cfg.ports.miner}/remote/sealed/s-t0${site.cfg.minerId}-5\\n$`))
  })

  it('sealing jobs / workers and sectors list layouts', () => {
    const jobs = site.run('lotus-miner', ['sealing', 'jobs'])
    expect(jobs.stdout.split('\n')[0]).toMatch(/^ID {8}Sector {2}Worker {4}Hostname +Task {2}State +Time$/)
    const workers = site.run('lotus-miner', ['sealing', 'workers']).stdout
    expect(workers.match(/^Worker [0-9a-f-]{36}, host site-1(-pc1|-pc2|-c2)?$/gm)).toHaveLength(4)
    expect(workers).toMatch(/\tCPU: {2}\[[| ]{64}\] \d+\/\d+ core\(s\) in use\n/)
    const list = site.run('lotus-miner', ['sectors', 'list', '--fast'])
    const lines = list.stdout.split('\n')
    expect(lines[0]).toMatch(/^ID {2}State +OnChain {2}Active {2}Deals {2}$/)
    expect(lines[1]).toMatch(/^0 {3}Proving +YES {6}(YES {5}|NO {6})CC {5}$/)
    expect(list.stdout).not.toContain('Expiration')
    const full = site.run('lotus-miner', ['sectors', 'list', '--states', 'Proving'])
    expect(full.stdout.split('\n')[0]).toMatch(/^ID +State +OnChain +Active +Expiration +Deals +$/)
  })

  it('the miner log: sync check, sync-wait output, remote version, warm-up, WindowPoSt scheduler', async () => {
    await booted.miner.waitFor(/winning PoSt warmup successful/, 20_000, 0)
    const log = readFileSync(booted.miner.log, 'utf8')
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}\tINFO\tlotus-miner\tminer\/run\.go:98\tChecking full node sync status\n/)
    expect(log).toMatch(/\nWorker: \d+; Base: \d+; Target: \d+ \(diff: \d+\)\nState: \w[\w ]*; Current Epoch: \d+; Todo: \d+, ETA: [^\n]*\n/)
    expect(log).toContain('\n\nDone!\n')
    expect(log).toMatch(/\tINFO\tlotus-miner\tminer\/run\.go:158\tRemote version v1\.36\.2-dev\+mainnet\+git\.b835fab70\+api2\.3\.0\n/)
    expect(log).toMatch(/\tINFO\tminer\tminer\/warmup\.go:87\twinning PoSt warmup successful\t\{"took": \d+\.\d+\}\n/)
    expect(log).toContain('\tINFO\twdpost\twdpost/wdpost_sched.go:170\trestarting window post scheduler\n')
    expect(log).toMatch(/\tINFO\twdpost\twdpost\/wdpost_run\.go:261\tstarting PoSt cycle\t\{"cycle": "[^"]+", "manual": false, "ts": "\[bafy2bzace\w+[^\]]*\]", "deadline": \d+\}\n/)
    expect(log).toMatch(/\tINFO\tnode\timpl\/storminer\.go:476\tConnected to a remote worker at http:\/\/127\.0\.0\.1:\d+\/rpc\/v0\n/)
  })

  it('proving deadlines / info / check (--slow takes visibly longer)', () => {
    const dl = site.cfg.sectorDeadlines?.[0] as number
    const d = site.run('lotus-miner', ['proving', 'deadlines'])
    const lines = d.stdout.split('\n')
    expect(lines[0]).toBe(`Miner: f0${site.cfg.minerId}`)
    expect(lines[1]).toBe('deadline  open      partitions  sectors (faults)  proven partitions')
    expect(lines.slice(2, 50).filter((l) => l.endsWith('(current)'))).toHaveLength(1)
    expect(lines[2 + dl]).toMatch(new RegExp(`^${dl} +\\d\\d:\\d\\d:\\d\\d  1 +3[0-9] \\(0\\) +[01]`))
    expect(site.run('lotus-miner', ['proving', 'info']).stdout).toMatch(/^Miner: f0\d+\nCurrent Epoch: {11}\d+\nProving Period Boundary: \d+\nProving Period Start: {4}\d+ \(\d\d \w{3} \d\d \d\d:\d\d \S+, [^)]+\)\n/)
    const fast = site.run('lotus-miner', ['proving', 'check', String(dl)])
    const t0 = Date.now()
    const slow = site.run('lotus-miner', ['proving', 'check', '--slow', String(dl)])
    const slowMs = Date.now() - t0
    expect(fast.stdout.split('\n')[0]).toBe('deadline  partition  sector  status')
    expect(fast.stdout).toMatch(new RegExp(`^${dl} +0 +5 +good$`, 'm'))
    // The same rows (a sector that became active in this deadline between the two checks is only in the second).
    const rows = (out: string) => out.split('\n').slice(1).filter((l) => l.trim() !== '')
    expect(slow.stdout.split('\n')[0]).toBe('deadline  partition  sector  status')
    expect(rows(slow.stdout)).toEqual(expect.arrayContaining(rows(fast.stdout)))
    // The slow check reads every challenged leaf: at least 1.5 s (a busy machine only adds to it;
    // comparing with the fast check's time would depend on the machine's load).
    expect(slowMs).toBeGreaterThanOrEqual(1500)
  })

  it('info and storage list', () => {
    const info = site.run('lotus-miner', ['info'])
    expect(info.code).toBe(0)
    expect(info.stdout).toMatch(/^Enabled subsystems: \[Mining Sealing SectorStorage\]\nStartTime: \S+ \(started at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+\)\nChain: \[sync (ok|slow[^\]]*|behind[^\]]*)\] \[basefee [^\]]+\]\n/)
    expect(info.stdout).toMatch(new RegExp(`\\nMiner: f0${site.cfg.minerId} \\(32 GiB sectors\\)\\n`))
    expect(info.stdout).toMatch(/\nSectors:\n\tTotal: \d+\n\tProving: \d+\n/)
    expect(info.stdout).toMatch(/\nWorkers: Seal\(4\) WdPoSt\(0\) WinPoSt\(0\)\n$/)
    const list = site.run('lotus-miner', ['storage', 'list'])
    expect(list.stdout).toMatch(/^[0-9a-f-]{36}:\n\t\[[#* ]{50}\] \S+ \w+\/\S+ \w+ \d+%\n\tUnsealed: \d+; Sealed: \d+; Caches: \d+; Updated: 0; Update-caches: 0; Reserved: 0 B\n\tWeight: 10; Use: /m)
    expect(list.stdout).toContain(`\tLocal: ${site.cfg.storePaths[0]}\n\tURL: http://127.0.0.1:${site.cfg.ports.miner}/remote\n`)
  })

  it('lotus-worker info, and errors the way lotus-worker reports them (WARN log line, exit 0)', () => {
    const w = site.cfg.workers.find((x) => x.kind === 'c2')
    if (!w) throw new Error('no C2 worker')
    const info = site.run('lotus-worker', ['info'], { LOTUS_WORKER_PATH: w.repo })
    expect(info.stdout).toMatch(
      new RegExp(
        `^Worker version:  1\\.7\\.0\\nCLI version: lotus-worker version v1\\.36\\.2-dev\\+mainnet\\+git\\.b835fab70\\n\\nSession: [0-9a-f-]{36}\\nEnabled: true\\nHostname: ${w.name}\\nCPUs: 64; GPUs: \\[NVIDIA GeForce RTX 3090\\]\\nRAM: \\S+ GiB/512 GiB; Swap: 0 B/64 GiB\\nTask types: FUS FIN GET FRU C1 C2 PR1 \\n\\n[0-9a-f-]{36}:\\n\\tWeight: 10; Use: Seal \\n\\tLocal: ${w.repo.replace(/[.]/g, '\\.')}\\n$`
      )
    )
    const none = site.run('lotus-worker', ['info'], { LOTUS_WORKER_PATH: join(dir, 'no-worker') })
    expect(none.code).toBe(0)
    expect(none.stderr).toMatch(/\tWARN\tmain\tlotus-worker\/main\.go:22\tcould not get API info for Worker: repo directory does not exist\. Make sure your configuration is correct\n$/)
  })

  it('`run` refuses a second miner on the same repo, and a miner without a daemon', () => {
    const second = site.run('lotus-miner', ['run', '--nosync'])
    expect(second.stderr).toContain('ERROR: repo is already locked (process is already running)')
    const nodeDir = join(dir, 'no-daemon')
    mkdirSync(join(nodeDir, 'keystore'), { recursive: true })
    const noApi = site.run('lotus-miner', ['run'], { LOTUS_PATH: nodeDir })
    expect(noApi.code).toBe(1)
    expect(noApi.stderr).toBe(`ERROR: could not get API info for FullNode: could not get api endpoint: No file (${nodeDir}/api): API not running (no endpoint)\n\n`)
    writeFileSync(join(nodeDir, 'api'), '/ip4/127.0.0.1/tcp/1/http')
    const refused = site.run('lotus-miner', ['run'], { LOTUS_PATH: nodeDir })
    expect(refused.stderr).toBe('ERROR: cannot dial address ws://127.0.0.1:1/rpc/v0 for dial tcp 127.0.0.1:1: connect: connection refused\n\n')
    expect(booted.miner.proc.exitCode).toBeNull()
  })
})
