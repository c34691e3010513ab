import { describe, expect, it } from 'vitest'
import { cliCommand, findingForSector, siteHealth, type Finding } from './health'

const finding = (severity: Finding['severity']): Finding => ({
  id: `s:sectors-faulty:deadline:${severity}`,
  siteId: 's',
  kind: 'sectors-faulty',
  severity,
  subject: { kind: 'deadline', id: '3' },
  title: { key: 'findings.sectors-faulty.faulty.title', params: {} },
  cause: { key: 'findings.sectors-faulty.faulty.cause', params: {} },
  consequence: { key: 'findings.sectors-faulty.faulty.consequence', params: {} },
  deadline: null,
  remedies: [],
  evidence: [],
  related: [],
  since: 0
})

describe('siteHealth', () => {
  it('is unknown without data', () => {
    expect(siteHealth(undefined, undefined)).toBe('unknown')
    expect(siteHealth({ findings: [] }, { state: 'connecting' })).toBe('unknown')
  })
  it('is critical when the site cannot be reached, warning while it waits for the operator', () => {
    expect(siteHealth({ findings: [] }, { state: 'unreachable' })).toBe('critical')
    expect(siteHealth(undefined, { state: 'host-key-changed' })).toBe('critical')
    expect(siteHealth(undefined, { state: 'host-key-unknown' })).toBe('warning')
  })
  it('follows the worst finding when connected', () => {
    expect(siteHealth({ findings: [] }, { state: 'connected' })).toBe('ok')
    expect(siteHealth({ findings: [finding('info')] }, { state: 'connected' })).toBe('ok')
    expect(siteHealth({ findings: [finding('info'), finding('warning')] }, { state: 'connected' })).toBe('warning')
    expect(siteHealth({ findings: [finding('warning'), finding('critical')] }, { state: 'connected' })).toBe('critical')
  })
})

describe('cliCommand', () => {
  it('gives the minerdesk command that applies each action', () => {
    expect(cliCommand('site-1', { kind: 'abort', job: '76081ba0-61bd-45a5-bc08-af05f1c26e5d' })).toBe('minerdesk abort site-1 76081ba0')
    expect(cliCommand('site-1', { kind: 'update-state', sectors: [12, 13], state: 'Committing' })).toBe('minerdesk update-state site-1 12,13 Committing')
    expect(cliCommand('site-1', { kind: 'proving-check', deadline: 4 })).toBe('minerdesk proving-check site-1 4')
    expect(cliCommand('site-1', { kind: 'sync-unmark-bad', cid: 'bafy2bzacecnamqgqmifpluoeldx7zzglxcljo6oja4vrmtj7432rphldpdmm2' })).toBe('minerdesk sync-unmark-bad site-1 bafy2bzacecnamqgqmifpluoeldx7zzglxcljo6oja4vrmtj7432rphldpdmm2')
  })
})

describe('findingForSector', () => {
  it('narrows the group actions to the sector whose page shows the finding', () => {
    const f: Finding = {
      ...finding('critical'),
      remedies: [
        { text: { key: 'a', params: {} }, action: { kind: 'remove', sectors: [291, 292] } },
        { text: { key: 'b', params: {} }, action: { kind: 'update-state', sectors: [291, 292], state: 'Committing' } },
        { text: { key: 'c', params: {} }, action: { kind: 'status', sector: 292 } },
        { text: { key: 'd', params: {} } }
      ]
    }
    const n = findingForSector(f, 292)
    expect(n.remedies.map((r) => r.action)).toEqual([{ kind: 'remove', sectors: [292] }, { kind: 'update-state', sectors: [292], state: 'Committing' }, { kind: 'status', sector: 292 }, undefined])
    // A sector outside the group keeps the group's actions untouched.
    expect(findingForSector(f, 7).remedies).toEqual(f.remedies)
    expect(f.remedies[0]!.action).toEqual({ kind: 'remove', sectors: [291, 292] })
  })
})
