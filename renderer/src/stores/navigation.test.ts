import { describe, expect, it } from 'vitest'
import { formatRoute, parseHash, type Route } from './navigation'

describe('hash routes', () => {
  it('parses every page', () => {
    expect(parseHash('')).toEqual({ page: 'overview' })
    expect(parseHash('#/overview')).toEqual({ page: 'overview' })
    expect(parseHash('#/site/sh-01')).toEqual({ page: 'site', siteId: 'sh-01', tab: 'chain' })
    expect(parseHash('#/site/sh-01/jobs')).toEqual({ page: 'site', siteId: 'sh-01', tab: 'jobs' })
    expect(parseHash('#/site/sh-01/nope')).toEqual({ page: 'site', siteId: 'sh-01', tab: 'chain' })
    expect(parseHash('#/settings')).toEqual({ page: 'settings', section: 'sites' })
    expect(parseHash('#/settings/general')).toEqual({ page: 'settings', section: 'general' })
    expect(parseHash('#/settings/site/a1')).toEqual({ page: 'settings', section: 'sites', siteId: 'a1' })
    expect(parseHash('#/audit')).toEqual({ page: 'audit' })
  })
  it('refuses ids that are not site ids', () => {
    expect(parseHash('#/site/..%2Fx')).toEqual({ page: 'overview' })
    expect(parseHash('#/site/UPPER')).toEqual({ page: 'overview' })
  })
  it('round-trips', () => {
    const routes: Route[] = [
      { page: 'overview' },
      { page: 'site', siteId: 'bj-2', tab: 'proving' },
      { page: 'settings', section: 'general' },
      { page: 'settings', section: 'sites', siteId: 'bj-2' },
      { page: 'audit' }
    ]
    for (const r of routes) expect(parseHash(formatRoute(r))).toEqual(r)
  })
})
