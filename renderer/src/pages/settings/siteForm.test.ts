import { describe, expect, it } from 'vitest'
import { DEFAULT_START_COMMANDS, type SiteConfig } from '@contract'
import { ipProblem, isIpAddress, toForm, toPatch } from './siteForm'

const site: SiteConfig = {
  id: 'sh-01', alias: 'sh-01', name: '上海 01', group: '上海', order: 0, pollIntervalSec: 15,
  durations: { PC1: 4 * 3600 }, workDir: '~', startCommands: DEFAULT_START_COMMANDS,
  expectedEnv: { FIL_PROOFS_USE_GPU_COLUMN_BUILDER: '1' }, workerHosts: { '10.0.0.11': 'sh-01-w1' }
}

describe('site settings form', () => {
  it('round-trips a site', () => {
    const r = toPatch(toForm(site))
    expect(r).toEqual({
      ok: true,
      patch: { name: '上海 01', group: '上海', pollIntervalSec: 15, durations: { PC1: 14400 }, workDir: '~', startCommands: DEFAULT_START_COMMANDS, expectedEnv: site.expectedEnv, workerHosts: site.workerHosts, readOnly: false }
    })
  })
  it('drops empty rows and empty durations', () => {
    const f = toForm(site)
    f.durations = { PC1: undefined, C2: 1200 }
    f.env.push({ name: '', value: '' })
    f.hosts.push({ ip: ' ', alias: '' })
    const r = toPatch(f)
    expect(r.ok && r.patch.durations).toEqual({ C2: 1200 })
    expect(r.ok && Object.keys(r.patch.expectedEnv ?? {})).toEqual(['FIL_PROOFS_USE_GPU_COLUMN_BUILDER'])
    expect(r.ok && Object.keys(r.patch.workerHosts ?? {})).toEqual(['10.0.0.11'])
  })
  it('refuses what the contract refuses', () => {
    const f = toForm(site)
    f.env.push({ name: 'BAD NAME', value: 'x' })
    expect(toPatch(f).ok).toBe(false)
    const g = toForm(site)
    g.pollIntervalSec = 1
    expect(toPatch(g).ok).toBe(false)
  })
  it('knows an IP address', () => {
    expect(isIpAddress('10.0.0.11')).toBe(true)
    expect(isIpAddress('fe80::1')).toBe(true)
    expect(isIpAddress('10.0.0.256')).toBe(false)
    expect(isIpAddress('worker-1')).toBe(false)
  })
  it('says what is wrong with an IP address', () => {
    expect(ipProblem('999.1.1.1')).toEqual({ key: 'octet', params: { part: '999' } })
    expect(ipProblem('10.0.0.011')).toEqual({ key: 'octet', params: { part: '011' } })
    expect(ipProblem('10.0.1')).toEqual({ key: 'parts', params: { value: '10.0.1' } })
    expect(ipProblem('worker-1')).toEqual({ key: 'hostname', params: { value: 'worker-1' } })
    expect(ipProblem(' ')).toEqual({ key: 'empty' })
    expect(ipProblem('fe80::1::2')).toEqual({ key: 'v6' })
    expect(ipProblem('192.168.1.254')).toBeNull()
  })
})
