import { describe, expect, it } from 'vitest'
import { siteHealth } from './health'
import type { Alert } from './snapshot'

const alert = (severity: Alert['severity']): Alert => ({ key: `s:faults:${severity}`, siteId: 's', kind: 'faults', severity, subject: '', since: 0, params: {} })

describe('siteHealth', () => {
  it('is unknown without data', () => {
    expect(siteHealth(undefined, undefined)).toBe('unknown')
    expect(siteHealth({ alerts: [] }, { state: 'connecting' })).toBe('unknown')
  })
  it('is critical when the site cannot be reached, warning while it waits for the operator', () => {
    expect(siteHealth({ alerts: [] }, { state: 'unreachable' })).toBe('critical')
    expect(siteHealth(undefined, { state: 'host-key-changed' })).toBe('critical')
    expect(siteHealth(undefined, { state: 'host-key-unknown' })).toBe('warning')
  })
  it('follows the worst alert when connected', () => {
    expect(siteHealth({ alerts: [] }, { state: 'connected' })).toBe('ok')
    expect(siteHealth({ alerts: [alert('info')] }, { state: 'connected' })).toBe('ok')
    expect(siteHealth({ alerts: [alert('info'), alert('warning')] }, { state: 'connected' })).toBe('warning')
    expect(siteHealth({ alerts: [alert('warning'), alert('critical')] }, { state: 'connected' })).toBe('critical')
  })
})
