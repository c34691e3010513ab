import { createContext, useContext } from 'react'
import { PALETTES, type ThemeMode } from './tokens'

export const ThemeModeContext = createContext<ThemeMode>('light')

export function useThemeMode(): ThemeMode {
  return useContext(ThemeModeContext)
}

export function usePalette() {
  return PALETTES[useContext(ThemeModeContext)]
}
