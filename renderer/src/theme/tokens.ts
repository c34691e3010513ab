import { theme, type MappingAlgorithm, type ThemeConfig } from 'antd'
import type { FindingSeverity, ConnectionStateName, Health } from '@contract'

/**
 * MinerDesk's design tokens in one place (Curio STYLE.md spirit): dense, calm, a restrained
 * palette where colour only carries status — and is always paired with text.
 */
export type ThemeMode = 'light' | 'dark'

export const FONT_SANS =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Liberation Sans", Arial, sans-serif'
/** Sector ids, addresses, epochs, CIDs, peer ids, job ids, commands. */
export const FONT_MONO =
  '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace'

/** Every table row is this tall (the dense ops layout the runbook's terminals are replaced by). */
export const ROW_HEIGHT = 32
export const FONT_SIZE = 13
export const SIDEBAR_WIDTH = 232

export type StatusTone = 'ok' | 'warning' | 'critical' | 'unknown' | 'info' | 'busy'

interface Palette {
  primary: string
  tones: Record<StatusTone, string>
  /** Background of the current row (current deadline, selected site). */
  highlightBg: string
  mutedText: string
  pageBg: string
  panelBg: string
  border: string
}

export const PALETTES: Record<ThemeMode, Palette> = {
  light: {
    primary: '#2f5fb3',
    tones: { ok: '#2e7d32', warning: '#b26a00', critical: '#c62828', unknown: '#6b7280', info: '#2f5fb3', busy: '#6a4fb3' },
    highlightBg: '#eef3fb',
    mutedText: '#6b7280',
    pageBg: '#f5f6f8',
    panelBg: '#ffffff',
    border: '#e3e6eb'
  },
  dark: {
    primary: '#5b8def',
    tones: { ok: '#66bb6a', warning: '#f0a93b', critical: '#ef5350', unknown: '#9aa3af', info: '#5b8def', busy: '#a38ded' },
    highlightBg: '#1c2636',
    mutedText: '#9aa3af',
    pageBg: '#111418',
    panelBg: '#181c22',
    border: '#2a3038'
  }
}

/**
 * The compact algorithm takes the small font size as its base (10 px from a 13 px seed), which is
 * too small to read all day. Keep compact spacing and control heights, but fonts at 13/12 px with
 * 20/18 px lines (a 32 px table row = 4 + 20 + 4 padding + border, see ROW_HEIGHT).
 */
const readableFonts: MappingAlgorithm = (seed, map) => ({
  ...(map ?? theme.defaultAlgorithm(seed)),
  fontSize: FONT_SIZE,
  fontSizeSM: 12,
  fontSizeLG: 14,
  fontSizeXL: 16,
  fontSizeHeading1: 24,
  fontSizeHeading2: 20,
  fontSizeHeading3: 17,
  fontSizeHeading4: 15,
  fontSizeHeading5: 14,
  lineHeight: 20 / FONT_SIZE,
  lineHeightSM: 18 / 12,
  lineHeightLG: 22 / 14,
  lineHeightHeading1: 32 / 24,
  lineHeightHeading2: 28 / 20,
  lineHeightHeading3: 24 / 17,
  lineHeightHeading4: 22 / 15,
  lineHeightHeading5: 22 / 14
})

export function antdTheme(mode: ThemeMode): ThemeConfig {
  const p = PALETTES[mode]
  return {
    algorithm: [mode === 'dark' ? theme.darkAlgorithm : theme.defaultAlgorithm, theme.compactAlgorithm, readableFonts],
    token: {
      colorPrimary: p.primary,
      colorSuccess: p.tones.ok,
      colorWarning: p.tones.warning,
      colorError: p.tones.critical,
      colorInfo: p.tones.info,
      colorBgLayout: p.pageBg,
      colorBgContainer: p.panelBg,
      colorBorderSecondary: p.border,
      fontFamily: FONT_SANS,
      fontFamilyCode: FONT_MONO,
      fontSize: FONT_SIZE,
      borderRadius: 4,
      wireframe: false,
      motion: false
    },
    components: {
      Table: {
        cellPaddingBlockSM: 4,
        cellPaddingInlineSM: 8,
        cellFontSizeSM: FONT_SIZE,
        headerBg: mode === 'dark' ? '#1d222a' : '#f7f8fa',
        rowHoverBg: p.highlightBg
      },
      Layout: { siderBg: p.panelBg, headerBg: p.panelBg, bodyBg: p.pageBg },
      Menu: { itemHeight: 30, itemBg: 'transparent', subMenuItemBg: 'transparent' },
      Card: { paddingLG: 12, headerHeight: 36 },
      Descriptions: { itemPaddingBottom: 4 },
      Tabs: { horizontalMargin: '0 0 8px 0' }
    }
  }
}

export const HEALTH_TONE: Record<Health, StatusTone> = { ok: 'ok', warning: 'warning', critical: 'critical', unknown: 'unknown' }
export const SEVERITY_TONE: Record<FindingSeverity, StatusTone> = { critical: 'critical', warning: 'warning', info: 'info' }
export const CONNECTION_TONE: Record<ConnectionStateName, StatusTone> = {
  idle: 'unknown',
  connecting: 'busy',
  connected: 'ok',
  'auth-failed': 'critical',
  'passphrase-needed': 'warning',
  'host-key-unknown': 'warning',
  'host-key-changed': 'critical',
  unreachable: 'critical',
  stale: 'warning',
  'config-error': 'critical'
}
