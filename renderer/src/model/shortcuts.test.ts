import { describe, expect, it } from 'vitest'
import { matchShortcut, SEQUENCE_MS, stepSite, type KeyLike } from './shortcuts'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods })

describe('shortcuts', () => {
  it('maps Ctrl/Cmd+digit to site indexes', () => {
    expect(matchShortcut(key('1', { ctrlKey: true }), { pendingG: null }, 0).action).toEqual({ kind: 'site-index', index: 0 })
    expect(matchShortcut(key('9', { metaKey: true }), { pendingG: null }, 0).action).toEqual({ kind: 'site-index', index: 8 })
    expect(matchShortcut(key('0', { ctrlKey: true }), { pendingG: null }, 0).action).toBeNull()
    expect(matchShortcut(key('1'), { pendingG: null }, 0).action).toBeNull()
  })
  it('maps Alt+arrows to previous/next', () => {
    expect(matchShortcut(key('ArrowUp', { altKey: true }), { pendingG: null }, 0).action).toEqual({ kind: 'site-step', delta: -1 })
    expect(matchShortcut(key('ArrowDown', { altKey: true }), { pendingG: null }, 0).action).toEqual({ kind: 'site-step', delta: 1 })
  })
  it('recognises g-sequences only within the time window', () => {
    const g = matchShortcut(key('g'), { pendingG: null }, 1000)
    expect(g.action).toBeNull()
    expect(matchShortcut(key('o'), g.state, 1000 + 200).action).toEqual({ kind: 'go', page: 'overview' })
    expect(matchShortcut(key('a'), g.state, 1000 + 200).action).toEqual({ kind: 'go', page: 'audit' })
    expect(matchShortcut(key('o'), g.state, 1000 + SEQUENCE_MS + 1).action).toBeNull()
    expect(matchShortcut(key('o'), { pendingG: null }, 0).action).toBeNull()
  })
  it('steps through sites with wrap-around', () => {
    expect(stepSite(['a', 'b', 'c'], 'a', 1)).toBe('b')
    expect(stepSite(['a', 'b', 'c'], 'c', 1)).toBe('a')
    expect(stepSite(['a', 'b', 'c'], 'a', -1)).toBe('c')
    expect(stepSite(['a', 'b', 'c'], null, 1)).toBe('a')
    expect(stepSite(['a', 'b', 'c'], null, -1)).toBe('c')
    expect(stepSite([], null, 1)).toBeNull()
  })
})
