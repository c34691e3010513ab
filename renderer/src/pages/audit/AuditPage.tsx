import { Button, Select, Table } from 'antd'
import { ReloadOutlined } from '@ant-design/icons'
import type { ColumnsType } from 'antd/es/table'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError, getApi } from '@renderer/api'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import type { AuditEntry, ErrorInfo } from '@contract'
import { selectSites, useSitesStore } from '@renderer/stores/sites'
import type { StatusTone } from '@renderer/theme/tokens'

const RESULT_TONE: Record<AuditEntry['result'], StatusTone> = { ok: 'ok', error: 'critical', refused: 'warning', started: 'busy' }
const LIMITS = [100, 500, 2000]

type AuditRow = AuditEntry & { key: string }

/** Newest first; the log may hold identical lines, so rows are keyed by position. */
function toRows(entries: AuditEntry[]): AuditRow[] {
  return [...entries].sort((a, b) => b.time.localeCompare(a.time)).map((e, i) => ({ ...e, key: String(i) }))
}

/** The append-only audit log: who did what to which site, the exact command, and how it ended. */
export function AuditPage() {
  const { t } = useTranslation()
  const sites = useSitesStore(selectSites)
  const [site, setSite] = useState<string | null>(null)
  const [limit, setLimit] = useState(LIMITS[0] as number)
  const [tick, setTick] = useState(0)
  // Only the rows this screen shows, newest first; kept local to the page, not in a store.
  // `key` names the request; a result for another key is stale, so `loading` needs no own state.
  const key = `${site ?? '*'}|${limit}|${tick}`
  const [result, setResult] = useState<{ key: string; rows: AuditRow[]; error: ErrorInfo | null } | null>(null)
  useEffect(() => {
    let live = true
    getApi()
      .audit.list({ ...(site ? { site } : {}), limit })
      .then(
        (entries) => live && setResult({ key, rows: toRows(entries), error: null }),
        (err: unknown) => live && setResult({ key, rows: [], error: asMinerDeskError(err).toInfo() })
      )
    return () => {
      live = false
    }
  }, [key, site, limit])
  const loading = result?.key !== key
  const rows = result?.rows ?? []
  const error = result?.error ?? null

  const columns: ColumnsType<AuditRow> = [
    { title: t('audit.time'), dataIndex: 'time', width: 160, render: (v: string) => <Mono title={v}>{dayjs(v).format('YYYY-MM-DD HH:mm:ss')}</Mono> },
    { title: t('audit.site'), dataIndex: 'site', width: 120, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('audit.operator'), dataIndex: 'operator', width: 100, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('audit.via'), dataIndex: 'via', width: 80, render: (v: AuditEntry['via']) => t(`audit.viaName.${v}`) },
    { title: t('audit.action'), dataIndex: 'action', width: 160, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('audit.command'), dataIndex: 'command', render: (v: string) => <span className="md-mono md-wrap">{v}</span> },
    {
      title: t('audit.result'),
      dataIndex: 'result',
      width: 200,
      render: (_, e) => (
        <span>
          <StatusText tone={RESULT_TONE[e.result]}>{t(`audit.resultName.${e.result}`)}</StatusText>
          {e.detail && <div className="md-muted md-mono md-wrap">{e.detail}</div>}
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
          style={{ width: 200 }}
          data-testid="audit-site"
        />
        <Select<number> value={limit} onChange={setLimit} options={LIMITS.map((l) => ({ value: l, label: t('audit.lastN', { n: l }) }))} style={{ width: 140 }} data-testid="audit-limit" />
        <span className="md-flex-fill" />
        <Button icon={<ReloadOutlined spin={loading} />} onClick={() => setTick((n) => n + 1)} data-testid="audit-reload">
          {t('audit.reload')}
        </Button>
      </div>
      {error && <ErrorNotice error={error} testId="audit-error" />}
      <Table<AuditRow>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={{ pageSize: 100, size: 'small', hideOnSinglePage: true }}
        locale={{ emptyText: t('audit.empty') }}
        onRow={() => ({ 'data-testid': 'audit-row' }) as React.HTMLAttributes<HTMLElement>}
        data-testid="audit-table"
      />
    </div>
  )
}
