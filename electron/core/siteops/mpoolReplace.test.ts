import { describe, expect, it } from 'vitest'
import { buildCommandLine } from '../../common/shellQuote'
import { minimumReplacementPremium, parseNewCid, replaceCommand, sameAddress } from './mpoolReplace'

describe('mpool replace', () => {
  it('builds Lotus\'s command with --fee-limit in FIL', () => {
    expect(buildCommandLine(replaceCommand('f3abc', 34, '0.5', null))).toBe('lotus mpool replace --auto --fee-limit 0.5 f3abc 34')
  })

  it('reads the new CID from Lotus\'s output', () => {
    expect(parseNewCid('new message cid:  bafy2bzaceabc\n')).toBe('bafy2bzaceabc')
    expect(parseNewCid('')).toBeNull()
  })

  it('computes the replace-by-fee minimum as Lotus does (×1.25 + 1)', () => {
    expect(minimumReplacementPremium('1012', 1.25).toString()).toBe('1266')
  })

  it('compares addresses across the f/t network prefix', () => {
    expect(sameAddress('f01000', 't01000')).toBe(true)
    expect(sameAddress('f01000', 'f01001')).toBe(false)
  })
})
