import { Button, DatePicker, Input, Select, Space, Table } from 'antd'
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons'
import type { ColumnsType } from 'antd/es/table'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { listAudit } from '@renderer/stores/audit'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import type { AuditEntry, ErrorInfo } from '@contract'
import { selectSites, useSitesStore } from '@renderer/stores/sites'
import type { StatusTone } from '@renderer/theme/tokens'
import { actionKey, auditCsv, auditJson, auditRows, matchesSearch, type AuditRow } from './auditRows'

const RESULT_TONE: Record<AuditEntry['result'], StatusTone> = { ok: 'ok', error: 'critical', refused: 'warning', started: 'busy' }
const LIMITS = [500, 2000, 5000]
/** The settings' own entries are written under this site id. */
const GLOBAL_SITE = '-'

type Range = [Dayjs | null, Dayjs | null] | null

/** Saves text as a file: the browser's download, Electron's save dialog. */
function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/**
 * The append-only audit log: who did what to which site, the exact command, and how it ended,
 * one row per action, searchable, within a date range, exported as CSV or JSON.
 */
export function AuditPage() {
  const { t } = useTranslation()
  const sites = useSitesStore(selectSites)
  const [site, setSite] = useState<string | null>(null)
  const [limit, setLimit] = useState(LIMITS[0] as number)
  const [range, setRange] = useState<Range>(null)
  const [query, setQuery] = useState('')
  const [tick, setTick] = useState(0)
  const since = range?.[0]?.startOf('day').toISOString()
  const until = range?.[1]?.endOf('day').toISOString()
  // Only the rows this screen shows; kept local to the page, not in a store.
  // `key` names the request; a result for another key is stale, so `loading` needs no own state.
  const key = `${site ?? '*'}|${limit}|${since ?? ''}|${until ?? ''}|${tick}`
  const [result, setResult] = useState<{ key: string; rows: AuditRow[]; entries: number; error: ErrorInfo | null } | null>(null)
  useEffect(() => {
    let live = true
    listAudit({ ...(site ? { site } : {}), limit, ...(since ? { since } : {}), ...(until ? { until } : {}) })
      .then(
        (entries) => live && setResult({ key, rows: auditRows(entries), entries: entries.length, error: null }),
        (err: unknown) => live && setResult({ key, rows: [], entries: 0, error: asMinerDeskError(err).toInfo() })
      )
    return () => {
      live = false
    }
  }, [key, site, limit, since, until])
  const loading = result?.key !== key
  const error = result?.error ?? null
  const actionName = (action: string) => t(actionKey(action), { defaultValue: action })
  const rows = useMemo(() => (result?.rows ?? []).filter((r) => matchesSearch(r, query, t(actionKey(r.action), { defaultValue: '' }))), [result, query, t])
  const stamp = dayjs().format('YYYYMMDD-HHmmss')

  const columns: ColumnsType<AuditRow> = [
    {
      title: t('audit.time'),
      dataIndex: 'time',
      width: 170,
      render: (v: string, r) => (
        <span title={r.ended ? t('audit.ended', { time: dayjs(r.ended).format('YYYY-MM-DD HH:mm:ss') }) : undefined}>
          <Mono>{dayjs(v).format('YYYY-MM-DD HH:mm:ss')}</Mono>
        </span>
      )
    },
    { title: t('audit.site'), dataIndex: 'site', width: 110, render: (v: string) => (v === GLOBAL_SITE ? <span className="md-muted">{t('audit.global')}</span> : <Mono>{v}</Mono>) },
    { title: t('audit.operator'), dataIndex: 'operator', width: 130, ellipsis: true, render: (v: string) => <Mono title={v}>{v}</Mono> },
    { title: t('audit.via'), dataIndex: 'via', width: 90, render: (v: AuditEntry['via']) => t(`audit.viaName.${v}`) },
    { title: t('audit.action'), dataIndex: 'action', width: 150, render: (v: string) => <span title={v} data-testid="audit-action">{actionName(v)}</span> },
    { title: t('audit.command'), dataIndex: 'command', render: (v: string) => <span className="md-mono md-wrap">{v}</span> },
    {
      title: t('audit.result'),
      dataIndex: 'result',
      width: 240,
      render: (_, r) => (
        <span data-testid="audit-result" data-result={r.result}>
          <StatusText tone={RESULT_TONE[r.result]} title={r.result === 'started' ? t('audit.running') : undefined}>
            {t(`audit.resultName.${r.result}`)}
          </StatusText>
          {r.detail && <div className="md-muted md-mono md-wrap md-audit-detail">{r.detail}</div>}
        </span>
      )
    }
  ]

  return (
    <div className="md-page" data-testid="audit-page">
      <div className="md-toolbar">
        <h1 className="md-title">{t('nav.audit')}</h1>
        <Select<string>
          allowClear
          placeholder={t('audit.allSites')}
          value={site ?? undefined}
          onChange={(v) => setSite(v ?? null)}
          options={sites.map((s) => ({ value: s.id, label: s.name }))}
          style={{ width: 180 }}
          data-testid="audit-site"
        />
        <span data-testid="audit-range">
          <DatePicker.RangePicker allowEmpty={[true, true]} value={range} onChange={(v) => setRange(v)} placeholder={[t('audit.rangeStart'), t('audit.rangeEnd')]} style={{ width: 260 }} />
        </span>
        <Input.Search allowClear placeholder={t('audit.search')} value={query} onChange={(e) => setQuery(e.target.value)} style={{ width: 260 }} data-testid="audit-search" />
        <Select<number> value={limit} onChange={setLimit} options={LIMITS.map((l) => ({ value: l, label: t('audit.lastN', { n: l }) }))} style={{ width: 130 }} data-testid="audit-limit" />
        <span className="md-flex-fill" />
        <Space size={8}>
          <Button icon={<DownloadOutlined />} disabled={rows.length === 0} onClick={() => download(`minerdesk-audit-${stamp}.csv`, 'text/csv', auditCsv(rows))} data-testid="audit-export-csv">
            {t('audit.exportCsv')}
          </Button>
          <Button icon={<DownloadOutlined />} disabled={rows.length === 0} onClick={() => download(`minerdesk-audit-${stamp}.json`, 'application/json', auditJson(rows))} data-testid="audit-export-json">
            {t('audit.exportJson')}
          </Button>
          <Button icon={<ReloadOutlined spin={loading} />} onClick={() => setTick((n) => n + 1)} data-testid="audit-reload">
            {t('audit.reload')}
          </Button>
        </Space>
      </div>
      {error && <ErrorNotice error={error} testId="audit-error" />}
      {result && !loading && !error && (
        <div className="md-muted md-audit-count" data-testid="audit-count">
          {t('audit.shown', { count: rows.length, entries: result.entries })}
        </div>
      )}
      <Table<AuditRow>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={rows}
        loading={loading}
        tableLayout="fixed"
        pagination={{ pageSize: 100, size: 'small', hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: query || range ? t('audit.noMatch') : t('audit.empty') }}
        onRow={(r) => ({ 'data-testid': 'audit-row', 'data-action': r.action }) as React.HTMLAttributes<HTMLElement>}
        data-testid="audit-table"
      />
    </div>
  )
}
