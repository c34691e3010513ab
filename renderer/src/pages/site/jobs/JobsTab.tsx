import { Button } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { previewAbort } from '@renderer/stores/siteops'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { Unavailable } from '@renderer/components/Unavailable'
import type { JobRow, SchedRequest } from '@contract'
import { formatDuration } from '@renderer/model/format'
import { jobStateLabel } from '@renderer/model/lotusNames'
import type { SiteTabProps } from '@renderer/pages/site/siteTabs'
import { JobsMatrix } from './JobsMatrix'
import { JobsTable } from './JobsTable'
import { SchedQueue } from './SchedQueue'
import { OpFacts, useOpDialog } from '@renderer/ops/useOpDialog'
import { Rich } from '@renderer/components/Rich'
import { SiteFindings } from '@renderer/findings/SiteFindings'

const JOB_FINDINGS = ['job-uncollected', 'worker-down', 'stage-overdue', 'commit-failed'] as const

/**
 * `lotus-miner sealing jobs`: a task × state matrix, then the jobs (filtered by a matrix row),
 * each abortable (`sealing abort`); the scheduler queue on demand (`sealing abort --sched`).
 */
export function JobsTab({ snapshot, site }: SiteTabProps) {
  const { t } = useTranslation()
  const [task, setTask] = useState<string | null>(null)
  const ops = useOpDialog(site.id)
  const jobs = snapshot.jobs
  const rows = useMemo(() => (jobs ? (task ? jobs.list.filter((j) => j.task === task) : jobs.list) : []), [jobs, task])
  if (!jobs) return <Unavailable error={snapshot.partErrors?.jobs ?? snapshot.miner.error} what={t('site.tab.jobs')} testId="jobs-unavailable" />

  const abort = (j: JobRow) =>
    ops.open({
      title: t('siteops.action.job.abort'),
      make: () => previewAbort(site.id, { job: j.id }),
      extra: (
        <OpFacts
          items={[
            { label: t('siteops.jobs.job'), value: <Mono>{j.id}</Mono> },
            { label: t('jobs.task'), value: <Mono>{`${j.task} · ${t('jobs.sector')} ${j.sector}`}</Mono> },
            { label: t('jobs.host'), value: <Mono>{j.hostname || '—'}</Mono> },
            { label: t('jobs.state'), value: <Mono>{`${jobStateLabel(j.state, j.runWait)}${j.elapsedSec !== null ? ` · ${formatDuration(j.elapsedSec)}` : ''}`}</Mono> },
            { label: t('siteops.common.note'), value: t('siteops.jobs.abortNote') }
          ]}
        />
      )
    })
  const removeRequest = (r: SchedRequest) =>
    ops.open({
      title: t('siteops.action.job.remove-request'),
      make: () => previewAbort(site.id, { job: r.schedId, sched: true }),
      extra: (
        <OpFacts
          items={[
            { label: <Mono>SchedId</Mono>, value: <Mono>{r.schedId}</Mono> },
            { label: t('jobs.task'), value: <Mono>{`${r.task} · ${t('jobs.sector')} ${r.sector}`}</Mono> },
            { label: t('siteops.common.note'), value: <Rich text={t('siteops.sched.removeNote')} /> }
          ]}
        />
      )
    })

  return (
    <div className="md-stack" data-testid="jobs-tab">
      <SiteFindings snapshot={snapshot} kinds={JOB_FINDINGS} testId="jobs-findings" />
      <Section title={t('jobs.matrix')} testId="jobs-matrix-section">
        <JobsMatrix jobs={jobs} selected={task} onSelect={setTask} />
      </Section>
      <Section
        title={
          <>
            {t('jobs.list')} <span className="md-muted">({rows.length})</span> <span className="md-muted md-mono">lotus-miner sealing jobs</span>
          </>
        }
        extra={
          task && (
            <Button size="small" onClick={() => setTask(null)} data-testid="jobs-clear-filter">
              {t('jobs.showAll', { task })}
            </Button>
          )
        }
        testId="jobs-list-section"
      >
        <JobsTable jobs={rows} onAbort={abort} />
      </Section>
      <SchedQueue siteId={site.id} onRemove={removeRequest} />
      {ops.element}
    </div>
  )
}
