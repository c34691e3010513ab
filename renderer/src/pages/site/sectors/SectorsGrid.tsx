import { Checkbox } from 'antd'
import { memo, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { formatDuration } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'
import { ROW_HEIGHT, type StatusTone } from '@renderer/theme/tokens'
import { rowDetail, rowGroup, rowJob, type RowGroup, type SectorsModel } from './sectorsModel'
import { selectMany, toggleSelected, useSelection } from './sectorsStore'

export const GROUP_TONE: Record<RowGroup, StatusTone> = { failed: 'critical', stuck: 'warning', sealing: 'info', proving: 'ok', removed: 'unknown' }

const OVERSCAN = 10
/**
 * The tallest scroll area the grid makes (px). Browsers cap an element's height (Firefox near
 * 17.9 million px, Chromium near 33.5 million): a million 32 px rows would not fit, so beyond this
 * height the scrollbar is scaled (one pixel of scrollbar is several pixels of rows) and the wheel
 * moves the rows at their natural speed.
 */
export const MAX_SCROLL_PX = 4_000_000

/**
 * Every sector of a site in one virtual list (only the rows in view exist in the DOM): number,
 * state, time in state against the expected duration, retries, last error, the job that runs.
 * Rows are read straight from the model's typed arrays by index. Rows have one fixed height, so
 * the visible range is plain arithmetic on the scroll offset: nothing is computed per row of the
 * million (a general virtualizer keeps a measurement per item and rebuilds it on every filter
 * change).
 */
export function SectorsGrid({ model, rows, siteId, onOpen, height, resetKey }: { model: SectorsModel; rows: Int32Array; siteId: string; onOpen: (n: number) => void; height: number; resetKey: string }) {
  const { t } = useTranslation()
  // `offset`: how far down the rows the view is (px of rows); the scrollbar shows it scaled.
  const [offset, setOffset] = useState(0)
  const bodyRef = useRef<HTMLDivElement>(null)
  const rowsPx = rows.length * ROW_HEIGHT
  const spacerPx = Math.min(rowsPx, MAX_SCROLL_PX)
  const maxOffset = Math.max(0, rowsPx - height)
  const ratio = spacerPx > height ? maxOffset / (spacerPx - height) : 1
  // The scrollTop the grid set itself (a wheel turn), to tell it from a drag of the scrollbar.
  const setByWheel = useRef(-1)
  const offsetNow = useRef(0)
  useEffect(() => {
    offsetNow.current = offset
  }, [offset])
  // A new filter starts at the top (state adjusted during render, the DOM in an effect).
  const [seenKey, setSeenKey] = useState(resetKey)
  if (seenKey !== resetKey) {
    setSeenKey(resetKey)
    setOffset(0)
  }
  useEffect(() => {
    if (bodyRef.current) bodyRef.current.scrollTop = 0
  }, [resetKey])
  useEffect(() => {
    const el = bodyRef.current
    if (!el || ratio <= 1) return
    const onWheel = (e: WheelEvent) => {
      if (e.deltaY === 0 || e.ctrlKey) return
      e.preventDefault()
      const delta = e.deltaMode === 1 ? e.deltaY * ROW_HEIGHT : e.deltaMode === 2 ? e.deltaY * height : e.deltaY
      const next = Math.min(maxOffset, Math.max(0, offsetNow.current + delta))
      offsetNow.current = next
      setByWheel.current = Math.round(next / ratio)
      el.scrollTop = setByWheel.current
      setOffset(next)
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [ratio, maxOffset, height])
  const onScroll = (top: number) => {
    if (Math.abs(top - setByWheel.current) <= 1) return
    setByWheel.current = -1
    // The end of the scrollbar is the end of the rows, whatever rounding did on the way.
    setOffset(top >= spacerPx - height - 1 ? maxOffset : Math.min(maxOffset, top * ratio))
  }
  const scrollTop = Math.round(offset / ratio)
  const now = useNow()
  const { selected, version: selVersion } = useSelection(siteId)
  const first = Math.max(0, Math.floor(offset / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((offset + height) / ROW_HEIGHT) + OVERSCAN)
  const visible: number[] = []
  for (let i = first; i < last; i++) visible.push(i)
  const allSelected = rows.length > 0 && rows.length <= 10_000 && selected.size >= rows.length && Array.from(rows).every((r) => selected.has(model.numbers[r] as number))
  return (
    <div className="md-sgrid" data-testid="sectors-grid" data-rows={rows.length} data-last-sector={rows.length ? model.numbers[rows[rows.length - 1] as number] : undefined}>
      <div className="md-sgrid-head" role="row">
        <Checkbox
          checked={allSelected}
          disabled={rows.length === 0 || rows.length > 10_000}
          title={rows.length > 10_000 ? t('sectors.grid.tooManyToSelect') : t('sectors.grid.selectAll')}
          onChange={(e) => selectMany(siteId, Array.from(rows, (r) => model.numbers[r] as number), e.target.checked)}
          data-testid="sectors-select-all"
        />
        <span className="md-sgrid-num">{t('sectors.grid.sector')}</span>
        <span>{t('sectors.grid.state')}</span>
        <span className="md-sgrid-num">{t('sectors.grid.inState')}</span>
        <span className="md-sgrid-num">{t('sectors.grid.expected')}</span>
        <span className="md-sgrid-num">{t('sectors.grid.retries')}</span>
        <span>{t('sectors.grid.lastError')}</span>
        <span>{t('sectors.grid.job')}</span>
      </div>
      <div ref={bodyRef} className="md-sgrid-body" style={{ height }} onScroll={(e) => onScroll(e.currentTarget.scrollTop)} data-testid="sectors-grid-body" data-scale={ratio.toFixed(3)}>
        {rows.length === 0 ? (
          <div className="md-sgrid-empty md-muted" data-testid="sectors-none">
            {t('sectors.grid.none')}
          </div>
        ) : (
          <div style={{ height: spacerPx, position: 'relative' }}>
            {visible.map((i) => {
              const row = rows[i] as number
              return <Row key={i} model={model} row={row} top={scrollTop + i * ROW_HEIGHT - offset} now={now} selected={selected.has(model.numbers[row] as number)} selVersion={selVersion} siteId={siteId} onOpen={onOpen} />
            })}
          </div>
        )}
      </div>
    </div>
  )
}

const Row = memo(function Row({ model, row, top, now, selected, siteId, onOpen }: { model: SectorsModel; row: number; top: number; now: number; selected: boolean; selVersion: number; siteId: string; onOpen: (n: number) => void }) {
  const { t } = useTranslation()
  const n = model.numbers[row] as number
  const state = model.states[model.stateIdx[row] as number] as string
  const group = rowGroup(model, row)
  const d = rowDetail(model, row)
  const job = rowJob(model, row)
  const inState = d?.enteredAt ? Math.max(0, (now - d.enteredAt) / 1000) : null
  return (
    <div
      className="md-sgrid-row"
      role="row"
      style={{ transform: `translateY(${top}px)` }}
      data-testid="sector-row"
      data-sector={n}
      data-state={state}
      data-group={group}
      data-selected={String(selected)}
      onClick={() => onOpen(n)}
    >
      <span onClick={(e) => e.stopPropagation()}>
        {/* A native checkbox: 50 rows re-render on every filter change, antd's would cost more than the filter. */}
        <input type="checkbox" className="md-sgrid-check" checked={selected} onChange={(e) => toggleSelected(siteId, n, e.target.checked)} aria-label={String(n)} data-testid="sector-select" />
      </span>
      <span className="md-sgrid-cell md-sgrid-num">
        <Mono>{n}</Mono>
      </span>
      <span className="md-sgrid-cell">
        <StatusText tone={GROUP_TONE[group]} strong={group === 'failed' || group === 'stuck'}>
          <span className="md-mono">{state}</span>
          {group === 'stuck' && d?.timing && inState !== null && <span>· {t('sectors.grid.stuckBy', { ratio: (inState / d.timing.expectedSec).toFixed(1) })}</span>}
        </StatusText>
      </span>
      <span className="md-sgrid-cell md-sgrid-num">
        <Mono>{inState === null ? '—' : formatDuration(inState)}</Mono>
      </span>
      <span className="md-sgrid-cell md-sgrid-num">
        <Mono>{d?.timing ? formatDuration(d.timing.expectedSec) : '—'}</Mono>
      </span>
      <span className="md-sgrid-cell md-sgrid-num">
        <Mono>{d ? d.retries : '—'}</Mono>
      </span>
      <span className="md-sgrid-cell md-mono" title={d?.lastErr || undefined} data-testid="sector-last-error">
        {d?.lastErr || ''}
      </span>
      <span className="md-sgrid-cell" title={job ? `${job.taskType} ${job.id}` : undefined}>
        {job && (
          <Mono>
            {job.task} {job.state}
            {job.hostname ? ` · ${job.hostname}` : ''}
            {job.start && job.state === 'running' ? ` · ${formatDuration((now - job.start) / 1000)}` : ''}
          </Mono>
        )}
      </span>
    </div>
  )
})
