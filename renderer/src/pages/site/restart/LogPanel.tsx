import { Checkbox } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Section } from '@renderer/components/Section'
import { selectLogs, useRestartStore } from './store'

function Pane({ name, lines, follow, testId }: { name: string; lines: string[]; follow: boolean; testId: string }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLPreElement>(null)
  useEffect(() => {
    const el = ref.current
    if (el && follow) el.scrollTop = el.scrollHeight
  }, [lines, follow])
  return (
    <div className="md-wz-logpane">
      <div className="md-wz-logname md-mono">{name}</div>
      <pre ref={ref} className="md-wz-log" data-testid={testId} data-lines={lines.length}>
        {lines.length > 0 ? lines.join('\n') : <span className="md-muted">{t('wizard.log.waiting')}</span>}
      </pre>
    </div>
  )
}

/** `tail -F daemon.log miner.log` of the site, live, beside the steps. */
export function LogPanel({ siteId }: { siteId: string }) {
  const { t } = useTranslation()
  const logs = useRestartStore(selectLogs(siteId))
  const [follow, setFollow] = useState(true)
  return (
    <Section
      title={t('wizard.log.title')}
      extra={
        <Checkbox checked={follow} onChange={(e) => setFollow(e.target.checked)}>
          {t('wizard.log.follow')}
        </Checkbox>
      }
      testId="wizard-logs"
    >
      <div className="md-wz-logs">
        <Pane name={logs?.files?.daemon ?? 'daemon.log'} lines={logs?.daemon ?? []} follow={follow} testId="wizard-log-daemon" />
        <Pane name={logs?.files?.miner ?? 'miner.log'} lines={logs?.miner ?? []} follow={follow} testId="wizard-log-miner" />
      </div>
    </Section>
  )
}
