import { describe, expect, it } from 'vitest'
import { entry, facts, sector } from '../../../test/support/healthFacts'
import { evaluate } from './evaluate'
import { logEvents, type LogSource } from './logEvents'
import { parseLogLine } from './logLines'
import { classifyCheck } from './kinds/provingCheck'

/**
 * Findings from Lotus's logs, read from lines as Lotus writes them: go-log's console format (tabs,
 * or the spaces they become when pasted; the level in ANSI colours on a terminal) and its JSON
 * format. The lines are the shapes of real miner and worker logs quoted in Lotus issue threads.
 */

const miner: LogSource = { host: 'site-1', file: '/home/lotus/miner.log', role: 'miner' }
const worker: LogSource = { host: 'pc1box', file: '/home/lotus/worker.log', role: 'worker', worker: 'pc1box' }
const T = '2025-04-09T13:31:30'
const NOW = Date.parse(`${T}.000Z`) + 60_000

describe('log lines in both encodings', () => {
  it('reads the console format with colour codes, with spaces for tabs, and JSON', () => {
    const colour = `${T}.196+0800\t\x1b[33mWARN\x1b[0m\tadvmgr\tsealer/faults.go:125\tCheckProvable Sector FAULT: generating vanilla proof\t{"sector": {"ID":{"Miner":1848169,"Number":48573},"ProofType":8}, "err": "failed to generate vanilla proof before context cancellation: context deadline exceeded"}`
    expect(parseLogLine(colour)).toMatchObject({ level: 'warn', logger: 'advmgr', caller: 'sealer/faults.go:125', msg: 'CheckProvable Sector FAULT: generating vanilla proof', fields: { sector: { ID: { Number: 48573 } } } })
    expect(parseLogLine(colour)?.at).toBe(Date.parse(`${T}.196+08:00`))
    const spaces = '2022-10-31T12:16:05.605+0100    WARN    miner   miner/miner.go:571      CAUTION: block production took longer than the block delay. Your computer may not be fast enough to keep up      {"tPowercheck ": 0.001311227, "tProof ": 4.037999298}'
    expect(parseLogLine(spaces)).toMatchObject({ level: 'warn', logger: 'miner', msg: 'CAUTION: block production took longer than the block delay. Your computer may not be fast enough to keep up', fields: { 'tProof ': 4.037999298 } })
    const json = '{"level":"info","ts":"2021-02-09T08:09:48.867Z","logger":"storageminer","caller":"storage/wdpost_run.go:595","msg":"computing window post","batch":0,"elapsed":1366.374909889}'
    expect(parseLogLine(json)).toMatchObject({ at: Date.parse('2021-02-09T08:09:48.867Z'), level: 'info', logger: 'storageminer', msg: 'computing window post', fields: { batch: 0, elapsed: 1366.374909889 } })
    expect(parseLogLine('    github.com/filecoin-project/lotus/storage.(*WindowPoStScheduler).submitPost')).toBeNull()
  })
})

describe('log findings', () => {
  const running = (ts: string, index: number) =>
    `{"level":"info","ts":"${ts}","logger":"wdpost","caller":"wdpost/wdpost_run.go:399","msg":"running window post","chain-random":"Ll3gLUFOxROkF6BLIBsOQEt2db83egkutuqKPDEpVwY=","deadline":{"CurrentEpoch":485014,"PeriodStart":485034,"Index":${index},"Open":485034,"Close":485094,"Challenge":485014,"FaultCutoff":484964,"WPoStPeriodDeadlines":48,"WPoStProvingPeriod":2880,"WPoStChallengeWindow":60,"WPoStChallengeLookback":20,"FaultDeclarationCutoff":70},"height":"485014","skipped":0}`
  const computed = (ts: string, elapsed: number) => `{"level":"info","ts":"${ts}","logger":"wdpost","caller":"wdpost/wdpost_run.go:419","msg":"computing window post","batch":0,"elapsed":${elapsed},"skip":0,"err":null}`

  it('WindowPoSt slower than its window (JSON format), and one that leaves no margin', () => {
    const lines = [running(`${T}.000Z`, 3), computed(`${T}.500Z`, 2600), running(`${T}.600Z`, 4), computed(`${T}.900Z`, 1400)]
    const f = evaluate(facts({ now: NOW, logs: [{ source: miner, lines }] })).filter((x) => x.kind === 'wdpost-slow')
    // The documented BlockDelay is 42 s: a 60-epoch window is 42 min.
    expect(f.map((x) => [x.subject.id, x.severity, x.title.params.elapsed, x.title.params.window])).toEqual([
      ['3', 'critical', '43m20s', '42m'],
      ['4', 'warning', '23m20s', '42m']
    ])
    expect(f[0]!.remedies.at(-1)?.action).toEqual({ kind: 'proving-check', deadline: 3 })
  })

  it('a late block (console format with colours)', () => {
    const lines = [
      `${T}.604+0000\t\x1b[34mINFO\x1b[0m\tminer\tminer/miner.go:644\tmined new block\t{"cid": "bafy2bzaceb7taxxt5twadhezsgv5qybscudmwddcpdggxrjx75ciumn2thzfa", "height": 9452, "miner": "t01000", "parents": ["t01000"], "parentTipset": "{bafy2bzacebiwzedn66rapq75repfmn352orgptxydks3kkzeqp2aqcip6g72k}", "took": 31.059341019}`,
      `${T}.605+0000\t\x1b[33mWARN\x1b[0m\tminer\tminer/miner.go:646\tCAUTION: block production took us past the block time. Your computer may not be fast enough to keep up\t{"tPowercheck ": 0.001311227, "tTicket ": 0.002092124, "tSeed ": 0.000002793, "tProof ": 31.037999298, "tPending ": 0.000411552, "tCreateBlock ": 0.017524025}`
    ]
    const f = evaluate(facts({ now: NOW, logs: [{ source: miner, lines }] })).filter((x) => x.kind === 'late-block')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ severity: 'critical', subject: { kind: 'block', id: '9452' }, title: { params: { height: 9452, took: '31.1s', proof: '31.0s' } } })
  })

  it('a worker that lost its miner and has not registered again', () => {
    const lost = `${T}.000+0000\tERROR\tworker\tworker/worker.go:778\tLOTUS-MINER CONNECTION LOST`
    const back = `${T}.900+0000\tINFO\tworker\tworker/worker.go:769\tWorker registered successfully, waiting for tasks`
    expect(evaluate(facts({ now: NOW, logs: [{ source: worker, lines: [lost] }] })).filter((x) => x.kind === 'worker-lost-miner')).toMatchObject([{ subject: { kind: 'worker', id: 'pc1box' }, severity: 'warning' }])
    expect(evaluate(facts({ now: NOW, logs: [{ source: worker, lines: [lost, back] }] })).filter((x) => x.kind === 'worker-lost-miner')).toEqual([])
    const hb = `${T}.100+0000\tERROR\tworker\tworker/worker.go:753\theartbeat: checking remote session failed: handler: websocket connection closed`
    expect(evaluate(facts({ now: NOW, logs: [{ source: worker, lines: [hb] }] })).filter((x) => x.kind === 'worker-lost-miner')[0]?.title.key).toBe('findings.worker-lost-miner.unreachable.title')
  })

  it('reads `truncating sector log` and the miner pre-check faults', () => {
    const lines = [`${T}.000+0000\tWARN\tsectors\tpipeline/fsm.go:356\ttruncating sector log\t{"sector": 44}`]
    expect(logEvents(lines, miner)).toMatchObject([{ kind: 'sector-log-truncated', sector: 44 }])
  })
})

describe('proving check reasons', () => {
  it('are classified by what Lotus says', () => {
    expect(classifyCheck('generating vanilla proof: failed to generate vanilla proof before context cancellation: context deadline exceeded')).toBe('timeout')
    expect(classifyCheck('waiting for check worker: context deadline exceeded')).toBe('timeout')
    expect(classifyCheck('generating vanilla proof: fsstat: path not found')).toBe('missing')
    expect(classifyCheck("generating vanilla proof: sector not found\n * non-200 code from http://10.0.0.5:3456/remote/vanilla/single: 'sector not found'")).toBe('unreachable')
    expect(classifyCheck('generating vanilla proof: do request: Post "http://10.0.0.5:3456/remote/vanilla/single": dial tcp 10.0.0.5:3456: connect: connection refused')).toBe('unreachable')
    expect(classifyCheck("can't acquire read lock")).toBe('locked')
  })

  it('group the bad rows of a check with the remedy of their class and a re-check of the deadline', () => {
    const check = { id: 'c', siteId: 's1', deadline: 2, status: 'done' as const, command: '', host: 'miner-a', startedAt: NOW - 60_000, endedAt: NOW - 1000, expectedSectors: 3, partitions: 1, checked: 3, bad: 2, stderr: '',
      rows: [
        { deadline: 2, partition: 0, sector: 40, ok: false, reason: 'generating vanilla proof: failed to generate vanilla proof before context cancellation: context deadline exceeded' },
        { deadline: 2, partition: 0, sector: 41, ok: false, reason: 'generating vanilla proof: failed to generate vanilla proof before context cancellation: context deadline exceeded' },
        { deadline: 2, partition: 0, sector: 42, ok: true }
      ] }
    const f = evaluate(facts({ now: NOW, checks: [check] })).filter((x) => x.kind === 'proving-check')
    expect(f).toMatchObject([{ severity: 'critical', title: { key: 'findings.proving-check.timeout.title', params: { sectors: '40, 41', deadlines: '2' } } }])
    expect(f[0]!.remedies.map((r) => r.action?.kind ?? r.text.key)).toEqual(['findings.proving-check.timeout.remedy.storage', 'findings.proving-check.timeout.remedy.timeouts', 'proving-check'])
  })
})

describe('a WindowPoSt still computing when the next deadline starts its cycle', () => {
  it('is judged for its own deadline (the cycle field), not the one whose cycle started meanwhile', () => {
    const c1 = '2025-04-09T13:00:00.000Z'
    const c2 = '2025-04-09T13:30:00.000Z'
    const lines = [
      `{"level":"info","ts":"${c1}","logger":"wdpost","caller":"wdpost/wdpost_run.go:261","msg":"starting PoSt cycle","cycle":"${c1}","manual":false,"ts":"[bafy…]","deadline":25}`,
      `{"level":"info","ts":"2025-04-09T13:00:00.100Z","logger":"wdpost","caller":"wdpost/wdpost_run.go:399","msg":"running window post","cycle":"${c1}","deadline":{"CurrentEpoch":485014,"PeriodStart":485034,"Index":25,"Open":485034,"Close":485094,"Challenge":485014,"FaultCutoff":484964,"WPoStPeriodDeadlines":48,"WPoStProvingPeriod":2880,"WPoStChallengeWindow":60,"WPoStChallengeLookback":20,"FaultDeclarationCutoff":70},"height":"485014","skipped":0}`,
      `{"level":"info","ts":"${c2}","logger":"wdpost","caller":"wdpost/wdpost_run.go:261","msg":"starting PoSt cycle","cycle":"${c2}","manual":false,"ts":"[bafy…]","deadline":26}`,
      `{"level":"info","ts":"2025-04-09T13:31:00.000Z","logger":"wdpost","caller":"wdpost/wdpost_run.go:419","msg":"computing window post","cycle":"${c1}","batch":0,"elapsed":1860,"skip":0,"err":null}`
    ]
    const computed = logEvents(lines, miner).filter((e) => e.kind === 'wdpost-computed')
    expect(computed).toHaveLength(1)
    expect(computed[0]).toMatchObject({ deadline: { index: 25 }, elapsedSec: 1860 })
  })
})

describe('a commit batch that fails before it is sent', () => {
  const t = NOW / 1000
  // handleSubmitCommitAggregate: the batch failed, the sector's own check passed → SectorRetrySubmitCommit, no error.
  const looping = (n: number, rounds: number) => {
    const log = [entry('SectorCommitted', t - 3600)]
    for (let i = 0; i < rounds; i++) log.push(entry('SectorRetrySubmitCommit', t - 3000 + i * 120), entry('SectorSubmitCommitAggregate', t - 2999 + i * 120))
    return sector(n, rounds % 2 === 0 ? 'SubmitCommitAggregate' : 'SubmitCommit', log)
  }
  const simulated = `${T}.412Z\tERROR\tsectors\tpipeline/commit_batch.go:453\tsimulating CommitBatch message failed: estimating gas used: message execution failed: exit 16, reason: message failed with backtrace: 00: f01848169 (method 26) -- aggregate seal verify failed: invalid aggregate (16) (RetCode=16)`

  it('is one finding for the sectors going round SubmitCommit, asking for the miner log while it is unread', () => {
    const sectors = [looping(41, 6), looping(42, 7), looping(43, 2), sector(44, 'SubmitCommitAggregate', [entry('SectorCommitted', t - 60)])]
    const f = evaluate(facts({ now: NOW, sectors })).filter((x) => x.kind === 'commit-failed')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ severity: 'critical', title: { key: 'findings.commit-failed.batch-unread.title', params: { n: 2, sectors: '41, 42', retries: 7 } } })
    expect(f[0]!.related.map((r) => r.id)).toEqual(['41', '42'])
    expect(f[0]!.remedies.map((r) => r.action?.kind)).toEqual(['read-logs', 'restart'])
  })

  it('names the exit code from `simulating CommitBatch message failed` in the miner log, with the remedy for an aggregate that does not verify', () => {
    const sectors = [looping(41, 6), looping(42, 6)]
    const f = evaluate(facts({ now: NOW, sectors, logs: [{ source: miner, lines: [simulated] }] })).filter((x) => x.kind === 'commit-failed')
    expect(f).toHaveLength(1)
    expect(f[0]!.title).toMatchObject({ key: 'findings.commit-failed.batch.title', params: { code: 16, name: 'ErrIllegalArgument', n: 2 } })
    expect(String(f[0]!.cause.params.reason)).toMatch(/^estimating gas used: .*aggregate seal verify failed/)
    expect(f[0]!.remedies.map((r) => r.text.key)).toEqual(['findings.commit-failed.batch.remedy.no-aggregate', 'findings.commit-failed.batch.remedy.status'])
    expect(f[0]!.evidence.map((e) => e.label)).toContain('evidence.minerLog')
  })
})
