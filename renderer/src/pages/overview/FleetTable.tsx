import { Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import type { SortOrder } from 'antd/es/table/interface'
import dayjs from 'dayjs'
import { useMemo, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { RestartLockText } from '@renderer/components/RestartLockText'
import { HealthText } from '@renderer/components/StatusTags'
import { StatusText } from '@renderer/components/StatusText'
import type { SiteConfig } from '@contract'
import { useFindingText } from '@renderer/findings/FindingCard'
import { fleetRow, siteIssues, sortFleet, type FleetRow, type FleetSortKey } from '@renderer/model/fleet'
import { formatDuration, formatInt } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'
import { navigate } from '@renderer/stores/navigation'
import { selectConnections, selectSummaries, useOverviewStore } from '@renderer/stores/overview'
import { useTeamStore } from '@renderer/stores/team'
import { SEVERITY_TONE } from '@renderer/theme/tokens'

/**
 * Every site as one 32 px row (fifty sites read at a glance): health, sync, processes, the
 * pipeline, overdue jobs, workers, the next WindowPoSt deadline counting down, faults, messages and
 * what is wrong. Sorted worst first; any column sorts (again: the other way round). Arrow keys
 * move between rows, Enter opens the site.
 */
export function FleetTable({ sites }: { sites: SiteConfig[] }) {
  const { t, i18n } = useTranslation()
  const tx = useFindingText()
  const summaries = useOverviewStore(selectSummaries)
  const connections = useOverviewStore(selectConnections)
  const team = useTeamStore((s) => s.bySite)
  const now = useNow()
  const [sort, setSort] = useState<{ key: FleetSortKey; worstFirst: boolean }>({ key: 'health', worstFirst: true })
  const rows = useMemo(() => sortFleet(sites.map((s) => fleetRow(s, summaries[s.id], connections[s.id])), sort.key, sort.worstFirst), [sites, summaries, connections, sort])
  const n = (v: number | null) => (v === null ? '—' : formatInt(v, i18n.language))
  const order = (key: FleetSortKey): SortOrder => (sort.key === key ? (sort.worstFirst ? 'descend' : 'ascend') : null)
  const col = (key: FleetSortKey, title: string, width: number | undefined, render: (r: FleetRow) => React.ReactNode, align: 'left' | 'right' = 'right') => ({
    key,
    title: <span title={t(`fleet.sortBy.${key}`)}>{title}</span>,
    width,
    align,
    ellipsis: true,
    sorter: true,
    sortOrder: order(key),
    sortDirections: ['descend', 'ascend'] as SortOrder[],
    showSorterTooltip: false,
    onHeaderCell: () => ({ 'data-testid': `fleet-sort-${key}` }) as React.HTMLAttributes<HTMLElement>,
    render: (_: unknown, r: FleetRow) => render(r)
  })
  const bad = (v: number | null, tone: 'critical' | 'warning') => (v !== null && v > 0 ? <StatusText tone={tone} strong>{n(v)}</StatusText> : <Mono>{n(v)}</Mono>)
  const columns: ColumnsType<FleetRow> = [
    col(
      'name',
      t('fleet.site'),
      136,
      (r) => (
        <span title={r.site.group ? `${r.site.group} · ${r.site.alias}` : r.site.alias}>
          <span className="md-strong">{r.site.name}</span> <Mono>{r.site.name === r.site.alias ? '' : r.site.alias}</Mono>
        </span>
      ),
      'left'
    ),
    col('health', t('fleet.health'), 64, (r) => <HealthText health={r.health} testId="fleet-health" />, 'left'),
    col('behind', t('fleet.sync'), 84, (r) =>
      r.behind === null ? '—' : r.behind <= 1 ? <StatusText tone="ok">{t('fleet.synced')}</StatusText> : <StatusText tone={r.behind > 10 ? 'critical' : 'warning'} strong>{t('fleet.behind', { n: n(r.behind) })}</StatusText>
    ),
    col(
      'processes',
      t('fleet.processes'),
      112,
      (r) =>
        // Another operator's restart explains processes going down and up: say whose, since when.
        team[r.site.id]?.lock && !team[r.site.id]!.lock!.mine ? (
          <RestartLockText siteId={r.site.id} compact testId="fleet-restart-lock" />
        ) : r.daemonUp === null ? (
          '—'
        ) : r.daemonUp && r.minerUp ? (
          <StatusText tone="ok">{t('fleet.bothUp')}</StatusText>
        ) : (
          <StatusText tone="critical" strong title={t('fleet.downTitle', { which: [!r.daemonUp && 'lotus daemon', !r.minerUp && 'lotus-miner'].filter(Boolean).join(', ') })}>
            {!r.daemonUp && !r.minerUp ? t('fleet.bothDown') : <><span className="md-mono">{r.daemonUp ? 'miner' : 'daemon'}</span> {t('fleet.down')}</>}
          </StatusText>
        ),
      'left'
    ),
    col('sealing', t('group.sealing'), 60, (r) => <Mono>{n(r.sealing)}</Mono>),
    col('failed', t('group.failed'), 48, (r) => bad(r.failed, 'critical')),
    col('proving', t('group.proving'), 70, (r) => <Mono>{n(r.proving)}</Mono>),
    col('overdue', t('fleet.overdue'), 72, (r) => bad(r.overdue, 'warning')),
    col('workers', t('fleet.workers'), 76, (r) =>
      r.workersOnline === null ? (
        '—'
      ) : (
        <span title={t('fleet.workersTitle', { online: r.workersOnline, total: r.workersTotal ?? 0, missing: r.workersMissing })}>
          {r.workersMissing > 0 && (
            <StatusText tone="critical" strong>
              -{r.workersMissing}
            </StatusText>
          )}{' '}
          <Mono>
            {r.workersOnline}/{r.workersTotal}
          </Mono>
        </span>
      )
    ),
    col('nextDeadline', t('fleet.nextDeadline'), 100, (r) =>
      r.nextDeadline ? (
        <span title={t('proving.nextFull', { index: r.nextDeadline.index, n: formatInt(r.nextDeadline.sectors, i18n.language), time: dayjs(r.nextDeadline.openAt).format('HH:mm:ss') })} data-testid="fleet-next-deadline">
          <Mono>#{r.nextDeadline.index}</Mono> <Mono>{formatDuration(Math.max(0, Math.round((r.nextDeadline.openAt - now) / 1000)))}</Mono>
        </span>
      ) : (
        '—'
      )
    ),
    col('faults', t('metric.faults'), 52, (r) => bad(r.faults, 'critical')),
    col('messages', t('fleet.messages'), 64, (r) =>
      r.messages === null ? '—' : r.messages === 0 ? <Mono>0</Mono> : <span title={t('fleet.oldestMessage', { age: formatDuration(r.oldestMessageSec ?? 0) })}><Mono>{r.messages}</Mono> <span className="md-muted">{formatDuration(r.oldestMessageSec ?? 0)}</span></span>
    ),
    col(
      'issues',
      t('fleet.issues'),
      undefined,
      (r) => {
        const list = siteIssues(r.summary)
        const first = list[0]
        if (!first) return <span className="md-muted">—</span>
        const text = tx(first.title)
        return (
          <span className="md-fleet-issues" title={list.map((f) => tx(f.title)).join('\n')} data-testid="fleet-issues">
            <StatusText tone={SEVERITY_TONE[first.severity]} strong={first.severity === 'critical'}>
              {list.length > 1 ? `${list.length} · ` : ''}
              {text}
            </StatusText>
          </span>
        )
      },
      'left'
    )
  ]
  const open = (r: FleetRow) => navigate({ page: 'site', siteId: r.site.id, tab: 'chain' })
  const onKey = (e: KeyboardEvent<HTMLElement>, r: FleetRow) => {
    const row = e.currentTarget
    const go = (el: Element | null | undefined) => {
      if (el instanceof HTMLElement && el.dataset.testid === 'fleet-row') {
        e.preventDefault()
        el.focus()
      }
    }
    if (e.key === 'ArrowDown') go(row.nextElementSibling)
    else if (e.key === 'ArrowUp') go(row.previousElementSibling)
    else if (e.key === 'Home') go(row.parentElement?.querySelector('[data-testid="fleet-row"]'))
    else if (e.key === 'End') go([...(row.parentElement?.querySelectorAll('[data-testid="fleet-row"]') ?? [])].at(-1))
    else if (e.key === 'Enter') open(r)
  }
  return (
    <div className="md-fleet" data-testid="fleet-table" data-sort={`${sort.key}:${sort.worstFirst ? 'worst' : 'best'}`}>
      <Table<FleetRow>
        size="small"
        rowKey={(r) => r.site.id}
        columns={columns}
        dataSource={rows}
        pagination={false}
        tableLayout="fixed"
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter
          const key = (s?.columnKey as FleetSortKey | undefined) ?? 'health'
          setSort(s?.order ? { key, worstFirst: s.order === 'descend' } : { key: 'health', worstFirst: true })
        }}
        onRow={(r, i) =>
          ({
            tabIndex: 0,
            'data-testid': 'fleet-row',
            'data-site': r.site.id,
            'data-health': r.health,
            'aria-rowindex': (i ?? 0) + 2,
            className: `md-clickable md-fleet-row md-fleet-${r.health}`,
            onClick: () => open(r),
            onKeyDown: (e: KeyboardEvent<HTMLElement>) => onKey(e, r)
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
    </div>
  )
}
