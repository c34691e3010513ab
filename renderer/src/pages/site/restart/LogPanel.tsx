import { Checkbox } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Section } from '@renderer/components/Section'
import { selectLogs, useRestartStore } from './store'

/**
 * One log file, each line whole: a long Lotus line (time, level, logger, source, message) wraps
 * under itself instead of running out of the panel, so the message is always in view.
 */
function Pane({ name, lines, follow, testId }: { name: string; lines: string[]; follow: boolean; testId: string }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = ref.current
    if (el && follow) el.scrollTop = el.scrollHeight
  }, [lines, follow])
  return (
    <div className="md-wz-logpane">
      <div className="md-wz-logname md-mono">{name}</div>
      <div ref={ref} className="md-wz-log" data-testid={testId} data-lines={lines.length} role="log">
        {lines.length > 0 ? (
          lines.map((l, i) => (
            <div key={i} className="md-wz-logline" data-level={/\b(ERROR|WARN|INFO|DEBUG)\b/.exec(l.slice(0, 60))?.[1]?.toLowerCase()}>
              {l}
            </div>
          ))
        ) : (
          <span className="md-muted">{t('wizard.log.waiting')}</span>
        )}
      </div>
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
