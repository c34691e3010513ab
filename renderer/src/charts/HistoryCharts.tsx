import { Segmented } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Section } from '@renderer/components/Section'
import { HISTORY_RANGES, type HistoryPoint, type HistoryRange, type SiteHistory } from '@contract'
import { formatInt } from '@renderer/model/format'
import { useHistory } from '@renderer/stores/history'
import { usePalette } from '@renderer/theme/context'
import { FONT_MONO } from '@renderer/theme/tokens'
import { EChart } from './EChart'
import { pipelineSeries, sealedPerDay, stateColor } from './historyModel'

/**
 * Pictures of a site's recent past, drawn from the history the polls leave: the sealing pipeline
 * by state, chain sync (epochs behind and peers), and sectors sealed per day.
 */

const CHART_HEIGHT = 220

function useAxisStyle() {
  const palette = usePalette()
  return useMemo(
    () => ({
      axisLabel: { color: palette.mutedText, fontSize: 11 },
      axisLine: { lineStyle: { color: palette.border } },
      splitLine: { lineStyle: { color: palette.border } }
    }),
    [palette]
  )
}

/** A time axis over the points (at most the range): labels as precise as the span needs. */
function timeAxis(points: readonly HistoryPoint[], style: ReturnType<typeof useAxisStyle>) {
  const span = points.length > 1 ? (points[points.length - 1] as HistoryPoint).t - (points[0] as HistoryPoint).t : 0
  const fmt = span > 2 * 86400_000 ? 'MM-DD' : span > 20 * 60_000 ? 'HH:mm' : 'HH:mm:ss'
  return {
    type: 'time',
    ...style,
    splitLine: { show: false },
    axisLabel: { ...style.axisLabel, hideOverlap: true, formatter: (v: number) => dayjs(v).format(fmt) }
  }
}

function RangePicker({ value, onChange, testId }: { value: HistoryRange; onChange: (r: HistoryRange) => void; testId: string }) {
  const { t } = useTranslation()
  return (
    <Segmented<HistoryRange>
      size="small"
      value={value}
      onChange={onChange}
      options={HISTORY_RANGES.map((r) => ({ value: r, label: t(`history.range.${r}`) }))}
      data-testid={testId}
    />
  )
}

/** Loading, failure and "nothing recorded yet" around a chart. */
function HistoryBody({ history, error, minPoints = 2, children }: { history: SiteHistory | undefined; error: ReturnType<typeof useHistory>['error']; minPoints?: number; children: ReactNode }) {
  const { t } = useTranslation()
  if (error) return <ErrorNotice error={error} />
  if (!history) return <div className="md-chart-empty md-muted">{t('history.loading')}</div>
  if (history.points.length < minPoints) return <div className="md-chart-empty md-muted" data-testid="history-empty">{t('history.empty')}</div>
  return <>{children}</>
}

/** A chart over a range the operator picks (6 h first): the history of that range and the chart styles. */
function useRangedHistory(siteId: string) {
  const [range, setRange] = useState<HistoryRange>(21600)
  return { range, setRange, ...useHistory(siteId, range), style: useAxisStyle(), palette: usePalette() }
}

export function PipelineHistory({ siteId }: { siteId: string }) {
  const { t } = useTranslation()
  const { range, setRange, history, error, version, style, palette } = useRangedHistory(siteId)
  const option = useMemo(() => {
    const series = pipelineSeries(history?.points ?? [])
    return {
      grid: { left: 44, right: 12, top: 36, bottom: 24 },
      tooltip: { trigger: 'axis', confine: true, order: 'seriesDesc', textStyle: { fontFamily: FONT_MONO, fontSize: 12 } },
      legend: { type: 'scroll', top: 0, left: 0, right: 0, textStyle: { color: palette.mutedText, fontFamily: FONT_MONO, fontSize: 11 }, itemWidth: 12, itemHeight: 8 },
      xAxis: timeAxis(history?.points ?? [], style),
      yAxis: { type: 'value', minInterval: 1, ...style },
      series: series.map((s) => ({
        name: s.state,
        type: 'line',
        stack: 'states',
        step: 'end',
        symbol: 'none',
        sampling: 'lttb',
        areaStyle: { opacity: 0.85 },
        lineStyle: { width: 0 },
        color: stateColor(s.state),
        data: s.data
      }))
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the points change with `version`
  }, [history, version, style, palette])
  return (
    <Section title={t('history.pipelineTitle')} extra={<RangePicker value={range} onChange={setRange} testId="pipeline-history-range" />} testId="pipeline-history">
      <HistoryBody history={history} error={error}>
        <EChart option={option} height={CHART_HEIGHT} label={t('history.pipelineTitle')} testId="pipeline-history-chart" />
      </HistoryBody>
    </Section>
  )
}

export function SyncHistory({ siteId }: { siteId: string }) {
  const { t } = useTranslation()
  const { range, setRange, history, error, version, style, palette } = useRangedHistory(siteId)
  const option = useMemo(() => {
    const points = history?.points ?? []
    const behind = t('history.behind')
    const peers = t('history.peers')
    return {
      grid: { left: 44, right: 44, top: 28, bottom: 24 },
      tooltip: { trigger: 'axis', confine: true },
      legend: { top: 0, left: 'center', textStyle: { color: palette.mutedText, fontSize: 11 }, itemWidth: 14, itemHeight: 8 },
      xAxis: timeAxis(points, style),
      // Epochs behind on the left, peers on the right; the legend names both.
      yAxis: [
        { type: 'value', minInterval: 1, ...style },
        { type: 'value', minInterval: 1, ...style, splitLine: { show: false } }
      ],
      series: [
        { name: behind, type: 'line', step: 'end', symbol: 'none', sampling: 'lttb', color: palette.tones.warning, areaStyle: { opacity: 0.2 }, data: points.map((p) => [p.t, p.behind]) },
        { name: peers, type: 'line', yAxisIndex: 1, symbol: 'none', sampling: 'lttb', color: palette.tones.info, data: points.map((p) => [p.t, p.peers]) }
      ]
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the points change with `version`
  }, [history, version, style, palette, t])
  return (
    <Section title={t('history.syncTitle')} extra={<RangePicker value={range} onChange={setRange} testId="sync-history-range" />} testId="sync-history">
      <HistoryBody history={history} error={error}>
        <EChart option={option} height={180} label={t('history.syncTitle')} testId="sync-history-chart" />
      </HistoryBody>
    </Section>
  )
}

export function SealedPerDay({ siteId }: { siteId: string }) {
  const { t, i18n } = useTranslation()
  const { history, error, version } = useHistory(siteId, 30 * 86400)
  const style = useAxisStyle()
  const palette = usePalette()
  const days = useMemo(() => sealedPerDay(history?.points ?? []), [history, version]) // eslint-disable-line react-hooks/exhaustive-deps
  const option = useMemo(
    () => ({
      grid: { left: 44, right: 12, top: 12, bottom: 24 },
      tooltip: { trigger: 'axis', confine: true, valueFormatter: (v: number) => t('history.sealedN', { count: v, n: formatInt(v, i18n.language) }) },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)), ...style, splitLine: { show: false } },
      yAxis: { type: 'value', minInterval: 1, ...style },
      series: [{ name: t('history.sealedTitle'), type: 'bar', color: palette.tones.ok, barMaxWidth: 28, data: days.map((d) => d.sealed) }]
    }),
    [days, style, palette, t, i18n.language]
  )
  const today = days.length ? (days[days.length - 1]?.sealed ?? 0) : 0
  return (
    <Section
      title={t('history.sealedTitle')}
      extra={
        <span className="md-muted" data-testid="sealed-today">
          {t('history.sealedToday', { count: today, n: formatInt(today, i18n.language) })}
        </span>
      }
      testId="sealed-per-day"
    >
      <HistoryBody history={history} error={error} minPoints={1}>
        <EChart option={option} height={CHART_HEIGHT} label={t('history.sealedTitle')} testId="sealed-per-day-chart" />
      </HistoryBody>
    </Section>
  )
}
