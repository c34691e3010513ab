import { useEffect, useRef } from 'react'
import { matchShortcut, stepSite, type ShortcutState } from '@renderer/model/shortcuts'
import { navigate, useNavigationStore } from '@renderer/stores/navigation'
import { refreshSites } from '@renderer/stores/overview'
import { navigationOrder, useSitesStore } from '@renderer/stores/sites'

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  const tag = target.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable
}

/** Global keyboard navigation; ignored while the operator types in a field. */
export function useKeyboardShortcuts(onHelp: () => void, onError: (err: unknown) => void): void {
  const state = useRef<ShortcutState>({ pendingG: null })
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e.target)) return
      const { action, state: next } = matchShortcut(e, state.current, Date.now())
      state.current = next
      if (!action) return
      const route = useNavigationStore.getState().route
      const ids = navigationOrder(useSitesStore.getState().sites).map((s) => s.id)
      const current = route.page === 'site' ? route.siteId : null
      const tab = route.page === 'site' ? route.tab : 'chain'
      switch (action.kind) {
        case 'site-index': {
          const id = ids[action.index]
          if (!id) return
          navigate({ page: 'site', siteId: id, tab })
          break
        }
        case 'site-step': {
          const id = stepSite(ids, current, action.delta)
          if (!id) return
          navigate({ page: 'site', siteId: id, tab })
          break
        }
        case 'go':
          navigate(action.page === 'settings' ? { page: 'settings', section: 'sites' } : action.page === 'audit' ? { page: 'audit' } : { page: 'overview' })
          break
        case 'refresh':
          refreshSites(current).catch(onError)
          break
        case 'help':
          onHelp()
          break
      }
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onHelp, onError])
}
