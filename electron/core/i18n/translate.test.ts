import { describe, expect, it } from 'vitest'
import { translate } from './translate'

describe('translate (CLI and notifications)', () => {
  it('picks English plural forms by count, the one Chinese form, and drops the window-only markup', () => {
    expect(translate('en', 'deadlines.sectorsN', { count: 1, n: '1' })).toBe('1 sector')
    expect(translate('en', 'deadlines.sectorsN', { count: 3, n: '3' })).toBe('3 sectors')
    expect(translate('zh-CN', 'deadlines.sectorsN', { count: 1, n: '1' })).toBe('1 个扇区')
    expect(translate('en', 'no.such.key')).toBe('no.such.key')
  })
})
