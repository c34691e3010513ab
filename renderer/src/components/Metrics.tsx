import type { ReactNode } from 'react'
import { usePalette } from '@renderer/theme/context'
import type { StatusTone } from '@renderer/theme/tokens'

/**
 * A compact label/value grid: a row label, then up to five cells, each a muted label on the left
 * and its value right-aligned (numbers line up down the card).
 */
export function MetricGrid({ children, dimmed, testId }: { children: ReactNode; dimmed?: boolean; testId?: string }) {
  return (
    <div className={`md-metrics${dimmed ? ' md-dimmed' : ''}`} data-testid={testId}>
      {children}
    </div>
  )
}

export function MetricRow({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <>
      <div className="md-metric-label">{label}</div>
      {children}
    </>
  )
}

export function Metric({ label, value, span = 1, tone, testId }: { label?: ReactNode; value?: ReactNode; span?: number; tone?: StatusTone; testId?: string }) {
  const palette = usePalette()
  return (
    <div className={`md-metric${label === undefined ? ' md-no-label' : ''}`} style={{ gridColumn: `span ${span}` }} data-testid={testId}>
      {label !== undefined && <span className="md-metric-name">{label}</span>}
      <span className="md-metric-value" style={tone ? { color: palette.tones[tone], fontWeight: 600 } : undefined}>
        {value ?? '—'}
      </span>
    </div>
  )
}

/** Pads a row to the grid's five cells. */
export function MetricGap({ span }: { span: number }) {
  return <div style={{ gridColumn: `span ${span}` }} />
}
