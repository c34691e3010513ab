import { LoadingOutlined } from '@ant-design/icons'
import { Button, Input, Select, Table, Tooltip } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { previewKillWorkers, previewRunWorker, readWorkerProcesses } from '@renderer/stores/siteops'
import { Ago } from '@renderer/components/Ago'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import { processFlagSchema, type ErrorInfo, type SiteConfig, type SiteProcess, type StartKind, type WpsResult } from '@contract'
import { OpFacts, useOpDialog } from '@renderer/ops/useOpDialog'
import { Rich } from '@renderer/components/Rich'

const SCRIPT: Record<StartKind, string> = { worker: 'runworker.sh', workerC2: 'runworkerC2.sh' }

/** The site's own hosts: its alias, then each worker host once (the main side accepts only these). */
export function siteHostAliases(site: Pick<SiteConfig, 'alias' | 'workerHosts'>): string[] {
  const out = [site.alias]
  for (const a of Object.values(site.workerHosts)) if (a && !out.includes(a)) out.push(a)
  return out
}

/**
 * The runbook's worker scripts: wps.sh (the site's Lotus processes whose command line contains
 * a flag, on the site host and its worker hosts), killw.sh (TERM, then KILL, of exactly the
 * previewed worker PIDs, confirmed by typing the flag), runworker.sh / runworkerC2.sh (the
 * site's configured start commands).
 */
export function WorkerProcesses({ site }: { site: SiteConfig }) {
  const { t } = useTranslation()
  const ops = useOpDialog(site.id)
  const [flag, setFlag] = useState('lotus-worker')
  const [host, setHost] = useState(site.alias)
  const [result, setResult] = useState<WpsResult | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const hosts = siteHostAliases(site)
  const flagCheck = processFlagSchema.safeParse(flag)
  const flagError = flag !== '' && !flagCheck.success ? flagCheck.error.issues[0]?.message : undefined

  // Only the latest search shows: the one a finished action starts (onDone) may answer after a
  // search the operator started since, and must not replace it.
  const latest = useRef(0)
  const find = async (f = flag) => {
    if (!processFlagSchema.safeParse(f).success) return
    const id = ++latest.current
    setLoading(true)
    setError(null)
    try {
      const found = await readWorkerProcesses(site.id, f)
      if (id === latest.current) setResult(found)
    } catch (err) {
      if (id !== latest.current) return
      setResult(null)
      setError(asMinerDeskError(err).toInfo())
    } finally {
      if (id === latest.current) setLoading(false)
    }
  }

  const kill = () => {
    const f = flag
    ops.open({
      title: t('siteops.action.workers.kill'),
      make: () => previewKillWorkers(site.id, f),
      extra: (
        <OpFacts
          items={[
            { label: t('siteops.workers.flag'), value: <Mono>{f}</Mono> },
            { label: t('siteops.common.note'), value: t('siteops.workers.killNote') }
          ]}
        />
      ),
      onDone: () => void find(f)
    })
  }

  const start = (kind: StartKind) =>
    ops.open({
      title: <Rich text={t(kind === 'worker' ? 'siteops.action.workers.start' : 'siteops.action.workers.start-c2')} />,
      make: () => previewRunWorker(site.id, { kind, ...(host !== site.alias ? { host } : {}) }),
      extra: (
        <OpFacts
          items={[
            { label: t('siteops.workers.host'), value: <Mono>{host}</Mono> },
            { label: t('siteops.workers.command'), value: <Mono>{site.startCommands[kind]}</Mono> },
            { label: t('siteops.workers.workDir'), value: <Mono>{site.workDir}</Mono> }
          ]}
        />
      ),
      onDone: () => void find('lotus-worker')
    })

  const rows = result?.hosts.flatMap((h) => h.processes) ?? []
  const skipped = result?.hosts.reduce((n, h) => n + h.othersSkipped, 0) ?? 0
  const columns: ColumnsType<SiteProcess> = [
    { title: t('siteops.workers.host'), dataIndex: 'host', width: 110, ellipsis: true, render: (v: string) => <Mono>{v}</Mono> },
    { title: 'PID', dataIndex: 'pid', width: 80, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    { title: t('siteops.workers.role'), dataIndex: 'role', width: 80, render: (v: string | null) => <Mono>{v ?? '—'}</Mono> },
    { title: '--name', dataIndex: 'workerName', width: 130, ellipsis: true, render: (v: string | null) => <Mono>{v ?? '—'}</Mono> },
    {
      title: t('siteops.workers.procState'),
      dataIndex: 'state',
      width: 70,
      render: (v: string) => <StatusText tone={v === 'Z' || v === 'T' ? 'warning' : v === 'D' ? 'busy' : 'ok'}>{v}</StatusText>
    },
    { title: t('siteops.workers.started'), dataIndex: 'startedAt', width: 110, render: (v: number) => <Ago at={v} /> },
    {
      title: t('siteops.workers.commandLine'),
      dataIndex: 'argv',
      ellipsis: { showTitle: false },
      render: (v: string[]) => <Mono title={v.join(' ')}>{v.join(' ')}</Mono>
    }
  ]

  return (
    <Section
      title={
        <>
          {t('siteops.workers.processes')} <span className="md-muted md-mono">wps.sh · killw.sh · runworker.sh · runworkerC2.sh</span>
        </>
      }
      testId="worker-processes"
    >
      <div className="md-stack">
        <div className="md-toolbar">
          <span>{t('siteops.workers.flag')}</span>
          <Input
            value={flag}
            onChange={(e) => setFlag(e.target.value.trim())}
            onPressEnter={() => void find()}
            status={flagError ? 'error' : undefined}
            className="md-mono"
            style={{ width: 200 }}
            placeholder="PC1:1"
            data-testid="wps-flag"
          />
          {/* Not `loading`: antd ignores clicks on a loading button, and a search the operator asks
              for while another runs (a finished action's refresh) must start. */}
          <Button onClick={() => void find()} icon={loading ? <LoadingOutlined /> : undefined} aria-busy={loading} disabled={!flagCheck.success} data-testid="wps-find">
            <Rich text={t('siteops.workers.find')} />
          </Button>
          <Button danger onClick={kill} disabled={!flagCheck.success} data-testid="killw">
            <Rich text={t('siteops.workers.kill')} />
          </Button>
        </div>
        <div className="md-toolbar">
          {hosts.length > 1 && (
            <Select size="middle" value={host} onChange={setHost} options={hosts.map((h) => ({ value: h, label: h }))} style={{ width: 160 }} data-testid="start-host" />
          )}
          {(['worker', 'workerC2'] as const).map((kind) => (
            <Tooltip key={kind} title={<span className="md-mono">{site.startCommands[kind]}</span>}>
              <Button onClick={() => start(kind)} data-testid={kind === 'worker' ? 'runworker' : 'runworker-c2'}>
                {t(kind === 'worker' ? 'siteops.workers.start' : 'siteops.workers.startC2')} <span className="md-muted md-mono">{SCRIPT[kind]}</span>
              </Button>
            </Tooltip>
          ))}
        </div>
        {flagError && (
          <StatusText tone="critical" testId="wps-flag-error">
            {flagError}
          </StatusText>
        )}
        {error && <ErrorNotice error={error} testId="wps-error" />}
        {result?.hosts
          .filter((h) => h.error)
          .map((h) => (
            <ErrorNotice key={h.host} error={{ ...h.error!, message: `${h.host}: ${h.error!.message}` }} compact testId="wps-host-error" />
          ))}
        {result ? (
          <>
            <Table<SiteProcess>
              size="small"
              rowKey={(p) => `${p.host}:${p.pid}`}
              columns={columns}
              dataSource={rows}
              pagination={false}
              loading={loading}
              tableLayout="fixed"
              scroll={{ x: 1000 }}
              locale={{ emptyText: t('siteops.workers.none', { flag: result.flag }) }}
              onRow={(p) => ({ 'data-testid': 'process-row', 'data-pid': p.pid, 'data-name': p.workerName ?? '' }) as React.HTMLAttributes<HTMLElement>}
              data-testid="wps-table"
            />
            <div className="md-muted" data-testid="wps-summary">
              {t('siteops.workers.summary', { n: rows.length, hosts: result.hosts.length, flag: result.flag })}
              {skipped > 0 && ` ${t('siteops.workers.skipped', { n: skipped })}`}
              {result.matchedBy === 'home' && <> <Rich text={t('siteops.workers.matchedByHome')} /></>}
            </div>
          </>
        ) : (
          !error && <div className="md-muted">{t('siteops.workers.hint')}</div>
        )}
      </div>
      {ops.element}
    </Section>
  )
}
