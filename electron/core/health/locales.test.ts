import { describe, expect, it } from 'vitest'
import zhCN from '../../../resources/locales/zh-CN.json'
import en from '../../../resources/locales/en.json'
import { FINDING_KINDS } from '../../../preload/contract'
import { RULES } from './rules'

type Tree = { [k: string]: string | Tree }
function lookup(tree: Tree, key: string): string | undefined {
  let n: string | Tree | undefined = tree
  for (const p of key.split('.')) n = typeof n === 'object' ? n[p] : undefined
  return typeof n === 'string' ? n : undefined
}
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort()

describe('finding texts', () => {
  it('exist in zh-CN and English for every key a rule can produce, with the same placeholders', () => {
    for (const rule of RULES) {
      for (const key of rule.keys) {
        const zh = lookup(zhCN as Tree, key)
        const eng = lookup(en as Tree, key)
        expect(zh, key).toBeDefined()
        expect(eng, key).toBeDefined()
        expect(placeholders(zh ?? ''), key).toEqual(placeholders(eng ?? ''))
        // i18next reads a `count` param as a plural selector.
        expect(placeholders(eng ?? ''), key).not.toContain('count')
      }
    }
  })
  it('cover every kind of the contract with one rule each', () => {
    expect(RULES.map((r) => r.kind).sort()).toEqual([...FINDING_KINDS].sort())
  })
})
