import { describe, expect, it } from 'vitest'
import { displayWidth, renderTable } from './textTable'

describe('renderTable', () => {
  it('aligns text left and numbers right, with CJK counted as two cells', () => {
    const out = renderTable(
      [
        { name: 'site-1', n: 5 },
        { name: '矿池二', n: 120 }
      ],
      [
        { header: 'SITE', value: (r) => r.name },
        { header: 'SECTORS', value: (r) => r.n, align: 'right' }
      ]
    )
    expect(out.split('\n')).toEqual(['SITE    SECTORS', 'site-1        5', '矿池二      120'])
    expect(displayWidth('矿池二')).toBe(6)
  })
})
