import { Descriptions, Table } from 'antd'
import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { CopyableCommand } from '@renderer/components/CopyableCommand'
import { Mono } from '@renderer/components/Mono'
import { Num } from '@renderer/components/Num'
import { Section } from '@renderer/components/Section'
import { ProcessText } from '@renderer/components/StatusTags'
import { StatusText } from '@renderer/components/StatusText'
import { formatDuration } from '@renderer/model/format'
import type { DeadlineView, Precheck, PrecheckJob, PrecheckMessage } from '@contract'
import { reasonText, verdictClock, verdictHeadline, warningText } from './text'
import { Rich } from '@renderer/components/Rich'


/** The verdict first (what the operator acts on), then why. */
export function VerdictBlock({ precheck }: { precheck: Precheck }) {
  const { t } = useTranslation()
  const v = precheck.verdict
  const tone = v.kind === 'safe' ? 'ok' : v.kind === 'wait' ? 'warning' : 'critical'
  return (
    <div className="md-wz-verdict" data-testid="wizard-verdict" data-kind={v.kind}>
      <StatusText tone={tone} strong>
        {verdictHeadline(t, v, verdictClock)}
      </StatusText>
      {v.reasons.length > 0 && (
        <ul className="md-wz-reasons">
          {v.reasons.map((r, i) => (
            <li key={i} data-code={r.code}>
              <Rich text={reasonText(t, r)} />
            </li>
          ))}
        </ul>
      )}
      <div className="md-muted">
        {t('wizard.verdict.restart', { duration: formatDuration(v.restartSec), source: t(`wizard.verdict.source.${v.restartSource}`), epochs: v.restartEpochs })}
        {v.windowEnd ? ` · ${t('wizard.verdict.windowEnd', { time: verdictClock(v.windowEnd) })}` : ''}
      </div>
    </div>
  )
}

/** What the pre-check found: versions, proving deadlines, jobs and what a restart does to them, messages, environment, the commands. */
export function PrecheckPanel({ precheck }: { precheck: Precheck }) {
  const { t } = useTranslation()
  const p = precheck
  const deadlineCols = [
    { title: t('col.deadline'), dataIndex: 'index', width: 80, align: 'right' as const, render: (v: number) => <Mono>{v}</Mono> },
    { title: t('wizard.pre.opens'), dataIndex: 'openAt', width: 90, render: (v: number, d: DeadlineView) => <Mono title={`epoch ${d.openEpoch}`}>{dayjs(v).format('HH:mm:ss')}</Mono> },
    { title: t('wizard.pre.challenge'), dataIndex: 'challengeEpoch', width: 110, align: 'right' as const, render: (v: number) => <Mono>{v}</Mono> },
    { title: t('col.partitions'), dataIndex: 'partitions', width: 90, align: 'right' as const, render: (v: number) => <Num n={v} /> },
    { title: t('col.sectors'), dataIndex: 'sectors', width: 90, align: 'right' as const, render: (v: number) => <Num n={v} /> },
    { title: t('col.provenPartitions'), dataIndex: 'proven', width: 130, align: 'right' as const, render: (v: number) => <Num n={v} /> },
    { title: '', key: 'cur', render: (_: unknown, d: DeadlineView) => (d.current ? <StatusText tone="info">{t('proving.current')}</StatusText> : null) }
  ]
  const jobCols = [
    { title: 'ID', dataIndex: 'id', width: 90, render: (v: string) => <Mono>{v.slice(0, 8)}</Mono> },
    { title: t('col.sector'), dataIndex: 'sector', width: 80, align: 'right' as const, render: (v: number) => <Mono>{v}</Mono> },
    { title: t('col.task'), dataIndex: 'task', width: 60, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('col.worker'), dataIndex: 'hostname', width: 130, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('col.state'), dataIndex: 'state', width: 90, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('wizard.pre.onRestart'), dataIndex: 'effect', render: (v: PrecheckJob['effect']) => <span data-effect={v}><Rich text={t(`wizard.jobEffect.${v}`)} /></span> }
  ]
  const msgCols = [
    { title: 'CID', dataIndex: 'cid', render: (v: string) => <Mono title={v}>{`${v.slice(0, 14)}…`}</Mono> },
    { title: t('col.from'), dataIndex: 'from', render: (v: string) => <Mono>{v}</Mono> },
    { title: <Mono>Nonce</Mono>, dataIndex: 'nonce', width: 80, align: 'right' as const, render: (v: number) => <Mono>{v}</Mono> },
    { title: t('col.method'), dataIndex: 'method', width: 80, align: 'right' as const, render: (v: number) => <Mono>{v}</Mono> },
    { title: t('wizard.pre.waiting'), dataIndex: 'ageSec', width: 90, align: 'right' as const, render: (v: number) => <Mono>{formatDuration(v)}</Mono> }
  ]
  return (
    <Section title={<>{t('wizard.pre.title')} <span className="md-muted">{dayjs(p.at).format('HH:mm:ss')}</span></>} testId="wizard-precheck">
      <div className="md-stack">
        <VerdictBlock precheck={p} />
        <Descriptions
          size="small"
          column={1}
          items={[
            {
              key: 'daemon',
              label: 'lotus daemon',
              children: (
                <span>
                  <ProcessText up={p.daemon.up} testId="pre-daemon-up" /> <Mono>{p.daemon.version ?? '—'}</Mono> <span className="md-muted">PID {p.daemon.pids.join(' ') || '—'}</span>
                </span>
              )
            },
            {
              key: 'miner',
              label: 'lotus-miner',
              children: (
                <span>
                  <ProcessText up={p.miner.up} testId="pre-miner-up" /> <Mono>{p.miner.version ?? '—'}</Mono> {p.miner.actor && <Mono>{p.miner.actor}</Mono>} <span className="md-muted">PID {p.miner.pids.join(' ') || '—'}</span>
                </span>
              )
            },
            { key: 'chain', label: t('wizard.pre.chain'), children: t('wizard.pre.chainText', { height: p.chain.height ?? '—', behind: p.chain.behindEpochs ?? '—', delay: p.chain.blockDelay ?? '—' }) },
            { key: 'workers', label: t('wizard.pre.workers'), children: <Mono>{p.workers.join(', ') || '—'}</Mono> }
          ]}
        />
        {p.warnings.length > 0 && (
          <ul className="md-wz-warnings" data-testid="wizard-warnings">
            {p.warnings.map((w, i) => (
              <li key={i} data-code={w.code}>
                <StatusText tone={w.code === 'env-now' || w.code === 'other-repo' || w.code === 'faults' || w.code === 'miner-many' ? 'warning' : 'info'} wrap>
                  <Rich text={warningText(t, w)} />
                </StatusText>
              </li>
            ))}
          </ul>
        )}
        {p.proving && (
          <div>
            <div className="md-wz-sub">{t('wizard.pre.deadlines')}</div>
            <Table<DeadlineView> size="small" rowKey="index" columns={deadlineCols} dataSource={p.proving.deadlines} pagination={false} rowClassName={(d) => (d.current ? 'md-row-current' : '')} data-testid="wizard-deadlines" />
          </div>
        )}
        <div>
          <div className="md-wz-sub">{t('wizard.pre.jobs', { n: p.jobs.length })}</div>
          {p.jobs.length > 0 ? (
            <Table<PrecheckJob> size="small" rowKey="id" columns={jobCols} dataSource={p.jobs} pagination={false} data-testid="wizard-jobs" />
          ) : (
            <div className="md-muted">{t('wizard.pre.noJobs')}</div>
          )}
        </div>
        <div>
          <div className="md-wz-sub">
            {t('wizard.pre.messages', { n: p.messages.length })} <span className="md-muted">{t('wizard.pre.messagesHint')}</span>
          </div>
          {p.messages.length > 0 ? <Table<PrecheckMessage> size="small" rowKey="cid" columns={msgCols} dataSource={p.messages} pagination={false} /> : <div className="md-muted">{t('wizard.pre.noMessages')}</div>}
        </div>
        <div data-testid="wizard-env">
          <div className="md-wz-sub">{t('wizard.pre.env')}</div>
          {p.env.rows.length === 0 ? (
            <div className="md-muted">{t('wizard.pre.envNone')}</div>
          ) : (
            <>
              {!p.env.readable && <div className="md-muted">{t('wizard.pre.envUnreadable')}</div>}
              <table className="md-wz-env">
                <thead>
                  <tr>
                    <th />
                    <th>{t('wizard.pre.envExpected')}</th>
                    <th>{t('wizard.pre.envRunning')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.env.rows.map((r) => (
                    <tr key={r.name} data-ok={String(r.ok)}>
                      <td>
                        <Mono>{r.name}</Mono>
                      </td>
                      <td>
                        <Mono>{r.expected}</Mono>
                      </td>
                      <td>
                        <StatusText tone={r.ok ? 'ok' : 'warning'}>
                          <Mono>{p.env.readable ? (r.actual ?? t('wizard.pre.envNotSet')) : '—'}</Mono>
                        </StatusText>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
        <div data-testid="wizard-commands">
          <div className="md-wz-sub">{t('wizard.pre.commands')}</div>
          <ol className="md-wz-cmds">
            {p.commands.map((c) => (
              <li key={c.step}>
                <span className="md-muted">{t(`wizard.step.${c.step}`)} · </span>
                <CopyableCommand command={c.text} />
              </li>
            ))}
          </ol>
        </div>
      </div>
    </Section>
  )
}
