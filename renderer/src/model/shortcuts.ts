/**
 * Keyboard shortcuts as a pure function of the key event, so they can be tested without a DOM.
 * Ctrl/Cmd+1…9: the first nine sites; Alt+↑/↓: previous/next site; `g o` Overview, `g s` Settings,
 * `g a` Audit log; `r` refresh; `?` this list.
 */
export type ShortcutAction =
  | { kind: 'site-index'; index: number }
  | { kind: 'site-step'; delta: -1 | 1 }
  | { kind: 'go'; page: 'overview' | 'settings' | 'audit' }
  | { kind: 'refresh' }
  | { kind: 'help' }

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

/** How long the second key of a `g x` sequence may follow the first. */
export const SEQUENCE_MS = 1500

export interface ShortcutState {
  /** When `g` was pressed (ms), or null. */
  pendingG: number | null
}

export function matchShortcut(e: KeyLike, state: ShortcutState, now: number): { action: ShortcutAction | null; state: ShortcutState } {
  const none = { action: null, state: { pendingG: null } }
  if ((e.ctrlKey || e.metaKey) && !e.altKey && /^[1-9]$/.test(e.key)) return { action: { kind: 'site-index', index: Number(e.key) - 1 }, state: { pendingG: null } }
  if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown'))
    return { action: { kind: 'site-step', delta: e.key === 'ArrowUp' ? -1 : 1 }, state: { pendingG: null } }
  if (e.ctrlKey || e.metaKey || e.altKey) return none
  const k = e.key.toLowerCase()
  if (state.pendingG !== null && now - state.pendingG <= SEQUENCE_MS) {
    if (k === 'o') return { action: { kind: 'go', page: 'overview' }, state: { pendingG: null } }
    if (k === 's') return { action: { kind: 'go', page: 'settings' }, state: { pendingG: null } }
    if (k === 'a') return { action: { kind: 'go', page: 'audit' }, state: { pendingG: null } }
  }
  if (k === 'g' && !e.shiftKey) return { action: null, state: { pendingG: now } }
  if (e.key === '?') return { action: { kind: 'help' }, state: { pendingG: null } }
  if (k === 'r' && !e.shiftKey) return { action: { kind: 'refresh' }, state: { pendingG: null } }
  return none
}

/** The next site for Alt+↑/↓, wrapping around; from no site, ↓ goes to the first and ↑ to the last. */
export function stepSite(ids: string[], current: string | null, delta: -1 | 1): string | null {
  if (ids.length === 0) return null
  const i = current === null ? -1 : ids.indexOf(current)
  if (i < 0) return delta === 1 ? (ids[0] ?? null) : (ids[ids.length - 1] ?? null)
  return ids[(i + delta + ids.length) % ids.length] ?? null
}

/** The shortcut list shown in the help popover (keys are not translated; descriptions are i18n keys). */
export const SHORTCUT_HELP: { keys: string[]; label: string }[] = [
  { keys: ['Ctrl/⌘', '1…9'], label: 'shortcuts.siteIndex' },
  { keys: ['Alt', '↑'], label: 'shortcuts.prevSite' },
  { keys: ['Alt', '↓'], label: 'shortcuts.nextSite' },
  { keys: ['g', 'o'], label: 'shortcuts.goOverview' },
  { keys: ['g', 's'], label: 'shortcuts.goSettings' },
  { keys: ['g', 'a'], label: 'shortcuts.goAudit' },
  { keys: ['r'], label: 'shortcuts.refresh' },
  { keys: ['?'], label: 'shortcuts.help' }
]
