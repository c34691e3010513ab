import { Button } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Section } from '../../../components/Section'
import { Unavailable } from '../../../components/Unavailable'
import type { SiteTabProps } from '../siteTabs'
import { JobsMatrix } from './JobsMatrix'
import { JobsTable } from './JobsTable'

/** `lotus-miner sealing jobs`: a task × state matrix, then the jobs (filtered by a matrix row). */
export function JobsTab({ snapshot }: SiteTabProps) {
  const { t } = useTranslation()
  const [task, setTask] = useState<string | null>(null)
  const jobs = snapshot.jobs
  const rows = useMemo(() => (jobs ? (task ? jobs.list.filter((j) => j.task === task) : jobs.list) : []), [jobs, task])
  if (!jobs) return <Unavailable error={snapshot.partErrors?.jobs ?? snapshot.miner.error} what={t('site.tab.jobs')} testId="jobs-unavailable" />
  return (
    <div className="md-stack" data-testid="jobs-tab">
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
        <JobsTable jobs={rows} />
      </Section>
    </div>
  )
}
