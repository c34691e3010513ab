import { Button, Progress, Switch, Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import type { ProvingCheckRow, ProvingCheckStatus } from '@contract'
import { formatDuration } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'
import type { StatusTone } from '@renderer/theme/tokens'
import type { ProvingCheckView } from './useProvingCheck'

const TONE: Record<ProvingCheckStatus, StatusTone> = { running: 'busy', done: 'ok', failed: 'critical', cancelled: 'unknown' }
const VIRTUAL_FROM = 200

/**
 * `lotus-miner proving check --slow <deadline>` as it runs: the exact command, how many of the
 * deadline's live sectors have been reported, elapsed time, cancel; then every sector's result,
 * bad ones first with Lotus's reason. (Lotus prints its table when it has checked everything, so
 * on a real miner the rows tend to come at the end; the bar moves as they arrive.)
 */
export function ProvingCheckPanel({ view }: { view: ProvingCheckView }) {
  const { t } = useTranslation()
  const now = useNow()
  const [onlyBad, setOnlyBad] = useState(false)
  const { check, rows } = view
  const shown = useMemo(() => {
    const list = onlyBad ? rows.filter((r) => !r.ok) : [...rows]
    return list.sort((a, b) => Number(a.ok) - Number(b.ok) || a.partition - b.partition || a.sector - b.sector)
  }, [rows, onlyBad])
  if (!check && !view.error) return null

  const columns: ColumnsType<ProvingCheckRow> = [
    { title: t('col.deadline'), dataIndex: 'deadline', width: 90, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    { title: t('col.partition'), dataIndex: 'partition', width: 90, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    { title: t('col.sector'), dataIndex: 'sector', width: 100, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    {
      title: t('col.status'),
      key: 'status',
      render: (_, r) =>
        r.ok ? (
          <StatusText tone="ok">{t('provingCheck.good')}</StatusText>
        ) : (
          <StatusText tone="critical" strong>
            {t('provingCheck.bad')} <span className="md-mono">({r.reason ?? ''})</span>
          </StatusText>
        )
    }
  ]
  const elapsed = check ? Math.max(0, Math.round(((check.endedAt ?? now) - check.startedAt) / 1000)) : 0
  const expected = check?.expectedSectors ?? null
  const percent = check && expected ? Math.min(100, Math.round((check.checked / expected) * 100)) : check?.status === 'done' ? 100 : 0
  const virtual = shown.length >= VIRTUAL_FROM

  return (
    <Section
      title={
        <>
          {t('siteops.proving.check')} {check && <Mono>{`#${check.deadline}`}</Mono>} <span className="md-muted md-mono">lotus-miner proving check --slow</span>
        </>
      }
      extra={
        check?.status === 'running' && (
          <Button size="small" danger onClick={() => void view.cancel()} data-testid="proving-check-cancel">
            {t('siteops.proving.cancel')}
          </Button>
        )
      }
      testId="proving-check"
    >
      <div className="md-stack" data-testid="proving-check-body" data-status={check?.status ?? 'none'}>
        {view.error && <ErrorNotice error={view.error} testId="proving-check-start-error" />}
        {check && (
          <>
            <div className="md-toolbar md-subbar">
              <StatusText tone={TONE[check.status]} strong testId="proving-check-status">
                {t(`siteops.proving.status.${check.status}`)}
              </StatusText>
              <span className="md-muted">{t('siteops.proving.elapsed', { time: formatDuration(elapsed) })}</span>
              <span data-testid="proving-check-counts">
                {t('siteops.proving.counts', { checked: check.checked, expected: expected ?? '?', partitions: check.partitions ?? '?' })}
              </span>
              {check.bad > 0 ? (
                <StatusText tone="critical" strong testId="proving-check-bad">
                  {t('siteops.proving.bad', { n: check.bad })}
                </StatusText>
              ) : (
                check.status === 'done' && (
                  <StatusText tone="ok" testId="proving-check-bad">
                    {t('siteops.proving.allGood')}
                  </StatusText>
                )
              )}
            </div>
            <Progress
              percent={percent}
              status={check.status === 'running' ? 'active' : check.status === 'done' ? (check.bad > 0 ? 'exception' : 'success') : 'normal'}
              format={() => `${check.checked}/${expected ?? '?'}`}
              data-testid="proving-check-progress"
            />
            <div>
              <span className="md-muted">{check.host}: </span>
              <Mono testId="proving-check-command">{check.command}</Mono>
            </div>
            {check.error && <ErrorNotice error={check.error} testId="proving-check-error" />}
            {rows.length > 0 && (
              <>
                <div className="md-toolbar md-subbar">
                  <Switch size="small" checked={onlyBad} onChange={setOnlyBad} data-testid="proving-check-only-bad" /> <span>{t('siteops.proving.onlyBad')}</span>
                </div>
                <Table<ProvingCheckRow>
                  size="small"
                  rowKey={(r) => `${r.partition}:${r.sector}`}
                  columns={columns}
                  dataSource={shown}
                  pagination={false}
                  virtual={virtual}
                  // A deadline holds up to thousands of sectors: the list scrolls within 12 rows.
                  scroll={shown.length > 12 ? { y: 12 * 32 } : undefined}
                  rowClassName={(r) => (r.ok ? '' : 'md-row-critical')}
                  onRow={(r) => ({ 'data-testid': 'check-row', 'data-ok': String(r.ok), 'data-sector': r.sector }) as React.HTMLAttributes<HTMLElement>}
                  data-testid="proving-check-table"
                />
              </>
            )}
          </>
        )}
      </div>
    </Section>
  )
}
