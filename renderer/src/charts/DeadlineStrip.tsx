import './charts.css'
import dayjs from 'dayjs'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Until } from '@renderer/components/Ago'
import { Mono } from '@renderer/components/Mono'
import type { ProvingSnapshot } from '@contract'
import { deadlineCells, deadlineStatus, DEADLINE_STATUSES, type DeadlineCell, type DeadlineStatus } from '@renderer/model/deadlines'
import { formatInt } from '@renderer/model/format'
import { usePalette } from '@renderer/theme/context'
import type { StatusTone } from '@renderer/theme/tokens'
import { EChart } from './EChart'

export const DEADLINE_TONE: Record<DeadlineStatus, StatusTone> = { proven: 'ok', proving: 'warning', due: 'info', faulty: 'critical', empty: 'unknown' }

/**
 * The 48 WindowPoSt deadlines of the current proving period in one strip: proven, being proven
 * (the open window), still due, with faults, without sectors; the current one outlined, the next
 * one due marked, and the countdown to it in words beside the strip.
 */
export function DeadlineStrip({ proving, height = 44, legend = true, testId = 'deadline-strip' }: { proving: ProvingSnapshot; height?: number; legend?: boolean; testId?: string }) {
  const { t, i18n } = useTranslation()
  const palette = usePalette()
  const cells = useMemo(() => deadlineCells(proving), [proving])
  const option = useMemo(() => {
    const color = (c: DeadlineCell) => (c.status === 'empty' ? palette.border : palette.tones[DEADLINE_TONE[c.status]])
    return {
      grid: { left: 2, right: 2, top: 4, bottom: 18 },
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p: { dataIndex: number }) => tooltipHtml(cells[p.dataIndex], t, i18n.language)
      },
      xAxis: {
        type: 'category',
        data: cells.map((c) => String(c.index)),
        axisTick: { show: false },
        axisLine: { show: false },
        axisLabel: {
          interval: 0,
          fontSize: 10,
          color: palette.mutedText,
          formatter: (v: string) => {
            const i = Number(v)
            return i % 6 === 0 || i === proving.deadlineIndex || i === proving.nextWithSectors?.index ? v : ''
          }
        }
      },
      yAxis: { type: 'value', show: false, max: 1 },
      series: [
        {
          type: 'bar',
          barCategoryGap: '12%',
          data: cells.map((c) => ({
            value: 1,
            itemStyle: {
              color: color(c),
              opacity: c.status === 'empty' ? 0.6 : 1,
              borderColor: c.current ? palette.tones.warning : c.next ? palette.primary : 'transparent',
              borderWidth: c.current || c.next ? 2 : 0,
              borderType: c.next && !c.current ? 'dashed' : 'solid'
            }
          }))
        }
      ]
    }
  }, [cells, palette, proving.deadlineIndex, proving.nextWithSectors?.index, t, i18n.language])
  const next = proving.nextWithSectors
  const nextRow = next ? proving.deadlines[next.index] : undefined
  const current = proving.deadlines[proving.deadlineIndex]
  return (
    <div className="md-dl-strip" data-testid={testId}>
      <EChart option={option} height={height} label={t('deadlines.stripLabel', { index: proving.deadlineIndex })} testId={`${testId}-chart`} />
      <div className="md-dl-strip-text">
        {current && current.sectors > 0 && (
          <span data-testid={`${testId}-current`}>
            {t('deadlines.currentWindow', { index: proving.deadlineIndex })} {t(`deadlines.status.${deadlineStatus(current, proving.deadlineIndex)}`)} ·{' '}
            {t('deadlines.closes')} <Until at={proving.closeAt} />
          </span>
        )}
        {next && (
          <span data-testid={`${testId}-next`}>
            {t('deadlines.nextDue')} <Mono>#{next.index}</Mono> · {t('deadlines.sectorsN', { count: nextRow?.sectors ?? 0, n: formatInt(nextRow?.sectors ?? 0, i18n.language) })} · <Mono>{dayjs(next.openAt).format('HH:mm')}</Mono>{' '}
            <strong>
              <Until at={next.openAt} />
            </strong>
          </span>
        )}
        {legend && (
          <span className="md-dl-legend" data-testid={`${testId}-legend`}>
            {DEADLINE_STATUSES.map((s) => (
              <span key={s} className="md-dl-legend-item">
                <span className="md-dl-swatch" style={{ background: s === 'empty' ? palette.border : palette.tones[DEADLINE_TONE[s]] }} aria-hidden />
                {t(`deadlines.status.${s}`)}
              </span>
            ))}
          </span>
        )}
      </div>
    </div>
  )
}

type T = (key: string, o?: Record<string, unknown>) => string

function tooltipHtml(c: DeadlineCell | undefined, t: T, lang: string): string {
  if (!c) return ''
  const r = c.row
  const lines = [
    `<b>${t('deadlines.deadline', { index: c.index })}</b> · ${t(`deadlines.status.${c.status}`)}${c.current ? ` · ${t('deadlines.current')}` : ''}${c.next ? ` · ${t('deadlines.next')}` : ''}`,
    `${t('deadlines.opens')} ${dayjs(r.openAt).format('HH:mm:ss')}`,
    `${t('deadlines.partitions')} ${formatInt(r.partitions, lang)} · ${t('deadlines.sectors')} ${formatInt(r.sectors, lang)}`,
    `${t('deadlines.faults')} ${formatInt(r.faults, lang)} · ${t('deadlines.recoveries')} ${formatInt(r.recoveries, lang)}`
  ]
  if (c.current) lines.push(`${t('deadlines.provenPartitions')} ${formatInt(r.proven, lang)} / ${formatInt(r.partitions, lang)}`)
  return lines.join('<br/>')
}
