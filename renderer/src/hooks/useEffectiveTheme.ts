import { useSyncExternalStore } from 'react'
import type { Theme } from '@contract'
import type { ThemeMode } from '@renderer/theme/tokens'

const QUERY = '(prefers-color-scheme: dark)'

function subscribe(fn: () => void): () => void {
  const mq = window.matchMedia(QUERY)
  mq.addEventListener('change', fn)
  return () => mq.removeEventListener('change', fn)
}

/** `system` follows the OS (live); `light`/`dark` are taken as set. */
export function useEffectiveTheme(setting: Theme): ThemeMode {
  const systemDark = useSyncExternalStore(subscribe, () => window.matchMedia(QUERY).matches)
  if (setting === 'system') return systemDark ? 'dark' : 'light'
  return setting
}
