import { describe, expect, it } from 'vitest'
import { syncProgress } from './chain'

describe('syncProgress', () => {
  it('is the share of the way from base to target', () => {
    expect(syncProgress({ workerId: 1, stage: 'message sync', baseHeight: 100, targetHeight: 200, height: 150 })).toBe('50%')
    expect(syncProgress({ workerId: 1, stage: 'header sync', baseHeight: 100, targetHeight: 200, height: 90 })).toBe('0%')
    expect(syncProgress({ workerId: 1, stage: 'header sync', baseHeight: null, targetHeight: 200, height: 90 })).toBe('—')
    expect(syncProgress({ workerId: 1, stage: 'complete', baseHeight: 200, targetHeight: 200, height: 200 })).toBe('—')
  })
})
