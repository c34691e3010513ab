import type { ReactNode } from 'react'
import { usePalette } from '@renderer/theme/context'
import type { StatusTone } from '@renderer/theme/tokens'

/**
 * A status shown as a coloured dot plus its words: colour is never the only carrier of meaning
 * (colour-blind operators, grey-scale screenshots in chat groups).
 */
export function StatusText({ tone, children, testId, title, strong, wrap }: { tone: StatusTone; children: ReactNode; testId?: string; title?: string; strong?: boolean; wrap?: boolean }) {
  const palette = usePalette()
  const color = palette.tones[tone]
  return (
    <span className={wrap ? 'md-status md-status-wrap' : 'md-status'} data-tone={tone} data-testid={testId} title={title} style={{ color: tone === 'unknown' ? undefined : color, fontWeight: strong ? 600 : undefined }}>
      <span className="md-status-dot" style={{ background: color }} aria-hidden />
      {children}
    </span>
  )
}
