import { Checkbox } from 'antd'
import { memo, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '../../../components/Mono'
import { StatusText } from '../../../components/StatusText'
import { formatDuration } from '../../../model/format'
import { useNow } from '../../../stores/clock'
import { ROW_HEIGHT, type StatusTone } from '../../../theme/tokens'
import { rowDetail, rowGroup, rowJob, type RowGroup, type SectorsModel } from './sectorsModel'
import { selectMany, toggleSelected, useSelection } from './sectorsStore'

export const GROUP_TONE: Record<RowGroup, StatusTone> = { failed: 'critical', stuck: 'warning', sealing: 'info', proving: 'ok', removed: 'unknown' }

const OVERSCAN = 10

/**
 * Every sector of a site in one virtual list (only the rows in view exist in the DOM): number,
 * state, time in state against the expected duration, retries, last error, the job that runs.
 * Rows are read straight from the model's typed arrays by index. Rows have one fixed height, so
 * the visible range is plain arithmetic on scrollTop: nothing is computed per row of the 200,000
 * (a general virtualizer keeps a measurement per item and rebuilds it on every filter change).
 */
export function SectorsGrid({ model, rows, siteId, onOpen, height, resetKey }: { model: SectorsModel; rows: Int32Array; siteId: string; onOpen: (n: number) => void; height: number; resetKey: string }) {
  const { t } = useTranslation()
  const [scrollTop, setScrollTop] = useState(0)
  const bodyRef = useRef<HTMLDivElement>(null)
  // A new filter starts at the top (state adjusted during render, the DOM in an effect).
  const [seenKey, setSeenKey] = useState(resetKey)
  if (seenKey !== resetKey) {
    setSeenKey(resetKey)
    setScrollTop(0)
  }
  useEffect(() => {
    if (bodyRef.current) bodyRef.current.scrollTop = 0
  }, [resetKey])
  const now = useNow()
  const { selected, version: selVersion } = useSelection(siteId)
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN)
  const visible: number[] = []
  for (let i = first; i < last; i++) visible.push(i)
  const allSelected = rows.length > 0 && rows.length <= 10_000 && selected.size >= rows.length && Array.from(rows).every((r) => selected.has(model.numbers[r] as number))
  return (
    <div className="md-sgrid" data-testid="sectors-grid" data-rows={rows.length}>
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
      <div ref={bodyRef} className="md-sgrid-body" style={{ height }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="sectors-grid-body">
        {rows.length === 0 ? (
          <div className="md-sgrid-empty md-muted" data-testid="sectors-none">
            {t('sectors.grid.none')}
          </div>
        ) : (
          <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
            {visible.map((i) => {
              const row = rows[i] as number
              return <Row key={i} model={model} row={row} top={i * ROW_HEIGHT} now={now} selected={selected.has(model.numbers[row] as number)} selVersion={selVersion} siteId={siteId} onOpen={onOpen} />
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
