import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MutationPreview, PeersInfo, ProvingCheckState, ProvingCheckUpdate, SiteSnapshot } from '../../preload/contract'
import { startSimSites, type SimSites } from '../support/simSites'
import { startCore, waitFor, type TestCore } from '../support/siteops'

/**
 * Proving and chain actions through the real core, over real sshd, against a simulated site with
 * the stuck-message scenario: `proving check --slow` streamed with progress and a result, and
 * cancelled; `net block add peer`; `mpool replace --auto --fee-limit` of the stuck owner message,
 * which then lands. The CLI runs the same actions (a real `minerdesk` process).
 */

const ROOT = resolve(__dirname, '../..')

interface PendingWire {
  Message: { From: string; Nonce: number; GasPremium: string; GasFeeCap: string; GasLimit: number }
  CID: { '/': string }
}

let sim: SimSites
let t: TestCore

beforeAll(async () => {
  sim = await startSimSites({ sites: 1, sectors: 40, speed: 60, deadlines: [5], scenarios: ['stuck-message'] })
  t = startCore(sim)
})

afterAll(async () => {
  await t?.close()
  await sim?.down()
})

function minerdesk(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'electron/cli/bin.mjs'), '--ssh-config', sim.sshConfigPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MINERDESK_HOME: t.home, ...env },
    timeout: 60_000
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('proving check --slow', () => {
  it('checks every live sector of a deadline, with progress events and the result', async () => {
    const updates: ProvingCheckUpdate[] = []
    const off = t.core.events.on('siteops:provingCheck', (u) => void updates.push(u))
    const started = await t.ok<ProvingCheckState>('siteops:provingCheckStart', ['site-1', 5])
    expect(started).toMatchObject({ siteId: 'site-1', deadline: 5, status: 'running', host: 'site-1', checked: 0 })
    expect(started.command).toMatch(/^LOTUS_MINER_PATH=\S+ LOTUS_PATH=\S+ lotus-miner proving check --slow 5$/)
    expect(started.expectedSectors).toBeGreaterThan(0)
    expect(started.partitions).toBe(1)
    // One check at a time per site.
    expect((await t.fails('siteops:provingCheckStart', ['site-1', 6])).code).toBe('conflict')
    const done = await waitFor('the check to end', 30_000, async () => {
      const s = await t.ok<ProvingCheckState>('siteops:provingCheckGet', [started.id])
      return s.status !== 'running' ? s : null
    })
    off()
    expect(done.status).toBe('done')
    expect(done.checked).toBe(started.expectedSectors)
    expect(done.bad).toBe(0)
    expect(done.rows.every((r) => r.deadline === 5 && r.partition === 0 && r.ok)).toBe(true)
    expect(new Set(done.rows.map((r) => r.sector)).size).toBe(done.rows.length)
    // Events carried every row once and ended with the final status.
    expect(updates.flatMap((u) => u.newRows)).toHaveLength(done.rows.length)
    expect(updates.at(-1)).toMatchObject({ id: started.id, status: 'done', checked: done.checked })
    expect((await t.ok<ProvingCheckState[]>('siteops:provingChecks', ['site-1']))[0]?.id).toBe(started.id)
  })

  it('an empty deadline checks nothing; a running check can be cancelled', async () => {
    const empty = await t.ok<ProvingCheckState>('siteops:provingCheckStart', ['site-1', 30])
    expect(empty.expectedSectors).toBe(0)
    const e = await waitFor('the empty check', 20_000, async () => {
      const s = await t.ok<ProvingCheckState>('siteops:provingCheckGet', [empty.id])
      return s.status !== 'running' ? s : null
    })
    expect(e).toMatchObject({ status: 'done', checked: 0, bad: 0 })
    const slow = await t.ok<ProvingCheckState>('siteops:provingCheckStart', ['site-1', 5])
    await t.ok('siteops:provingCheckCancel', [slow.id])
    const c = await waitFor('the cancelled check', 20_000, async () => {
      const s = await t.ok<ProvingCheckState>('siteops:provingCheckGet', [slow.id])
      return s.status !== 'running' ? s : null
    })
    expect(c.status).toBe('cancelled')
    // Proving checks change nothing: nothing is audited.
    expect(t.audit()).toEqual([])
  })

  it('the CLI streams the table and exits 0 when every sector is good', () => {
    const r = minerdesk(['proving-check', 'site-1', '5'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/lotus-miner proving check --slow 5\n/)
    expect(r.stdout).toMatch(/^5 +0 +\d+ +good$/m)
    expect(r.stdout).toMatch(/^done: \d+ checked, 0 bad/m)
  })
})

describe('block a peer (lotus net block add peer)', () => {
  it('blocks a connected peer after the preview; it leaves the peer list and enters the block list', async () => {
    const before = await t.ok<PeersInfo>('siteops:peers', ['site-1'])
    expect(before.peers.length).toBeGreaterThan(0)
    const peer = before.peers[0]!.id
    const { preview, outcome } = await t.run('siteops:previewBlockPeer', ['site-1', peer])
    expect(preview.steps).toEqual([{ kind: 'api', host: 'site-1', text: `Filecoin.NetBlockAdd [{"Peers":["${peer}"],"IPAddrs":null,"IPSubnets":null}]` }])
    expect(preview.warnings[0]?.text).toMatch(/is connected now .*blocking closes that connection/)
    expect(outcome.ok).toBe(true)
    const after = await t.ok<PeersInfo>('siteops:peers', ['site-1'])
    expect(after.blocked.peers).toContain(peer)
    expect(after.peers.some((p) => p.id === peer)).toBe(false)
    expect((await t.fails('siteops:previewBlockPeer', ['site-1', peer])).code).toBe('conflict')
    expect((await t.fails('siteops:previewBlockPeer', ['site-1', before.self])).code).toBe('invalid-input')
    expect(t.audit().filter((e) => e.action === 'net.block-peer').map((e) => e.result)).toEqual(['started', 'ok'])
  })

  it('the CLI previews without --yes (exit 3, nothing run) and blocks with --yes', async () => {
    const peer = (await t.ok<PeersInfo>('siteops:peers', ['site-1'])).peers[0]!.id
    const dry = minerdesk(['block-peer', 'site-1', peer])
    expect(dry.code).toBe(3)
    expect(dry.stdout).toContain(`Filecoin.NetBlockAdd [{"Peers":["${peer}"]`)
    expect(dry.stdout).toContain('Not run. Add --yes to run it.')
    expect((await t.ok<PeersInfo>('siteops:peers', ['site-1'])).blocked.peers).not.toContain(peer)
    const run = minerdesk(['--json', 'block-peer', 'site-1', peer, '--yes'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ executed: true, outcome: { ok: true, data: { blocked: true } } })
    expect((await t.ok<PeersInfo>('siteops:peers', ['site-1'])).blocked.peers).toContain(peer)
  })
})

describe('replace the stuck message (lotus mpool replace --auto --fee-limit)', () => {
  it('the CLI accepts the runbook --max-fee in attoFIL and shows it as --fee-limit in FIL', async () => {
    const snap = (await t.core.sites.get('site-1').poller.refresh()) as SiteSnapshot
    const m = snap.messages?.list[0]
    if (!m) throw new Error('no stuck message')
    const r = minerdesk(['--json', 'mpool-replace', 'site-1', m.from, String(m.nonce), '--max-fee', '1000000000000000000'])
    expect(r.code).toBe(3)
    const out = JSON.parse(r.stdout) as { preview: MutationPreview; executed: boolean }
    expect(out.executed).toBe(false)
    expect(out.preview.steps[0]?.text).toMatch(new RegExp(`lotus mpool replace --auto --fee-limit 1 ${m.from} ${m.nonce}$`))
    const none = minerdesk(['mpool-replace', 'site-1', m.from, String(m.nonce)])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/a fee limit is required/)
  })

  it('replaces the stuck owner message with the fee limit confirmed; the new message lands', async () => {
    const pending = await sim.rpc<PendingWire[]>('site-1', 'daemon', 'MpoolPending', [[]])
    const stuck = pending[0]
    if (!stuck) throw new Error('no stuck message')
    const { from, nonce } = { from: stuck.Message.From, nonce: stuck.Message.Nonce }
    // Stuck: it stays pending while blocks go by.
    await new Promise((r) => setTimeout(r, 2000))
    expect((await sim.rpc<PendingWire[]>('site-1', 'daemon', 'MpoolPending', [[]])).some((p) => p.CID['/'] === stuck.CID['/'])).toBe(true)
    const { preview, outcome } = await t.run('siteops:previewMpoolReplace', ['site-1', { from, nonce: String(nonce), feeLimit: '0.5' }])
    expect(preview.steps[0]).toMatchObject({ kind: 'command', host: 'site-1' })
    expect(preview.steps[0]?.text).toMatch(new RegExp(`^LOTUS_PATH=\\S+ lotus mpool replace --auto --fee-limit 0\\.5 ${from} ${nonce}$`))
    expect(preview.params).toMatchObject({ from, nonce, feeLimit: '0.5', cid: stuck.CID['/'] })
    expect(preview.warnings[0]?.text).toBe('The replacement may spend up to 0.5 FIL on gas (--fee-limit 0.5).')
    expect(preview.warnings[1]?.text).toMatch(/^Now: premium 1012, fee cap 101215 attoFIL\/gas, gas limit 15218409: at most 0\.\d+ FIL\. Lotus raises the premium to at least 1266 attoFIL\/gas/)
    expect(outcome.ok).toBe(true)
    const newCid = String(outcome.data?.newCid)
    expect(newCid).toMatch(/^bafy2bzace/)
    expect(newCid).not.toBe(stuck.CID['/'])
    expect(outcome.steps[0]?.output).toBe(`new message cid:  ${newCid}`)
    await waitFor('the replacement to land', 30_000, async () => {
      const left = await sim.rpc<PendingWire[]>('site-1', 'daemon', 'MpoolPending', [[]])
      if (left.some((p) => p.Message.From === from && p.Message.Nonce === nonce)) return null
      return sim.rpc<{ Receipt: { ExitCode: number } } | null>('site-1', 'daemon', 'StateSearchMsg', [[], { '/': newCid }, -1, true])
    })
    const found = await sim.rpc<{ Receipt: { ExitCode: number } } | null>('site-1', 'daemon', 'StateSearchMsg', [[], { '/': newCid }, -1, true])
    expect(found?.Receipt.ExitCode).toBe(0)
    // The snapshot no longer lists it, and replacing it again finds nothing.
    const snap = (await t.core.sites.get('site-1').poller.refresh()) as SiteSnapshot
    expect(snap.messages?.list.some((m) => m.from === from && m.nonce === nonce)).toBe(false)
    expect((await t.fails('siteops:previewMpoolReplace', ['site-1', { from, nonce, feeLimit: '0.5' }])).code).toBe('not-found')
    const audit = t.audit().filter((e) => e.action === 'mpool.replace')
    expect(audit.map((e) => e.result)).toEqual(['started', 'ok'])
    expect(audit[1]?.detail).toBe(`new message cid:  ${newCid}`)
  })
})
