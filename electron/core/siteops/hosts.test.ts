import { describe, expect, it } from 'vitest'
import { resolveSiteHost, siteHosts } from './hosts'

const site = { id: 'bj-01', alias: 'bj-miner', workerHosts: { '10.0.0.2': 'bj-w1', '10.0.0.3': 'bj-w2', '10.0.0.4': 'bj-w1' } }

describe('site hosts', () => {
  it('lists the site host first, then each worker host once', () => {
    expect(siteHosts(site)).toEqual(['bj-miner', 'bj-w1', 'bj-w2'])
  })
  it('accepts only hosts of the site', () => {
    expect(resolveSiteHost(site, undefined)).toBe('bj-miner')
    expect(resolveSiteHost(site, 'bj-w2')).toBe('bj-w2')
    expect(() => resolveSiteHost(site, 'other-box')).toThrow(expect.objectContaining({ code: 'invalid-input' }))
  })
})
