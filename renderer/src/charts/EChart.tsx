import './charts.css'
import { useEffect, useRef, useState } from 'react'
import type { EChartsCoreOption, EChartsType } from 'echarts/core'
import { useThemeMode } from '@renderer/theme/context'
import { FONT_SANS } from '@renderer/theme/tokens'
import { loadECharts } from './loadECharts'

/**
 * One ECharts chart in a box of the given height and the full width of its parent. The library is
 * loaded on first use; the chart follows the box's size and the theme, and is disposed with the
 * component. `label` is the chart's accessible name (and what a reader of the page's text sees).
 */
export function EChart({ option, height, label, testId }: { option: EChartsCoreOption; height: number; label: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<EChartsType | null>(null)
  const mode = useThemeMode()
  const [ready, setReady] = useState(0)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    let gone = false
    loadECharts()
      .then(({ echarts }) => {
        if (gone || !box.current) return
        chart.current = echarts.init(box.current, mode === 'dark' ? 'dark' : undefined, { renderer: 'svg' })
        setReady((n) => n + 1)
      })
      .catch((err: unknown) => {
        console.error('minerdesk: could not load the charts', err)
        if (!gone) setFailed(true)
      })
    const ro = new ResizeObserver(() => chart.current?.resize())
    if (box.current) ro.observe(box.current)
    return () => {
      gone = true
      ro.disconnect()
      chart.current?.dispose()
      chart.current = null
    }
  }, [mode])

  useEffect(() => {
    if (ready > 0) chart.current?.setOption({ backgroundColor: 'transparent', textStyle: { fontFamily: FONT_SANS }, animation: false, ...option }, { notMerge: true })
  }, [option, ready])

  return (
    <div
      ref={box}
      className="md-chart"
      style={{ height }}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-ready={ready > 0 ? 'true' : 'false'}
      data-failed={failed ? 'true' : undefined}
    />
  )
}
