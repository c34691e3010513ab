import { describe, expect, it } from 'vitest'
import { compareTasks, jobStateLabel, methodName } from './lotusNames'

describe('Lotus names', () => {
  it('names miner methods only for the miner actor', () => {
    expect(methodName(5, 'f01234', 'f01234')).toBe('SubmitWindowedPoSt')
    expect(methodName(28, 't01234', 'f01234')).toBe('PreCommitSectorBatch2')
    expect(methodName(5, 'f05', 'f01234')).toBeNull()
    expect(methodName(0, 'f1abc', 'f01234')).toBe('Send')
    expect(methodName(99, 'f01234', 'f01234')).toBeNull()
  })
  it('orders tasks along the pipeline', () => {
    expect(['C2', 'GET', 'AP', 'PC1', 'WDP', 'ZZ'].sort(compareTasks)).toEqual(['AP', 'PC1', 'C2', 'GET', 'WDP', 'ZZ'])
  })
  it('prints assigned(N) like sealing jobs', () => {
    expect(jobStateLabel('assigned', 3)).toBe('assigned(2)')
    expect(jobStateLabel('running', 0)).toBe('running')
  })
})
