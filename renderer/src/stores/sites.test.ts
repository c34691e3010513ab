import { describe, expect, it } from 'vitest'
import { DEFAULT_START_COMMANDS, type SiteConfig } from '@contract'
import { groupSites, navigationOrder, useSitesStore } from './sites'

const site = (id: string, group: string, order: number): SiteConfig => ({
  id, alias: id, name: id, group, order, pollIntervalSec: 15, durations: {}, workDir: '~',
  startCommands: DEFAULT_START_COMMANDS, expectedEnv: {}, workerHosts: {}
})

describe('sites store', () => {
  it('keeps sites in the operator order', () => {
    useSitesStore.getState().setSites([site('c', '', 2), site('a', '', 0), site('b', '', 1)])
    expect(useSitesStore.getState().sites.map((s) => s.id)).toEqual(['a', 'b', 'c'])
  })
  it('groups by first appearance and navigates in sidebar order', () => {
    const sites = [site('a', 'sh', 0), site('b', 'bj', 1), site('c', 'sh', 2), site('d', '', 3)]
    expect(groupSites(sites).map((g) => [g.group, g.sites.map((s) => s.id)])).toEqual([
      ['sh', ['a', 'c']],
      ['bj', ['b']],
      ['', ['d']]
    ])
    expect(navigationOrder(sites).map((s) => s.id)).toEqual(['a', 'c', 'b', 'd'])
  })
})
