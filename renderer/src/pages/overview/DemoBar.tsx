import { Alert, Button } from 'antd'
import { useTranslation } from 'react-i18next'
import { useReportError } from '@renderer/components/useReportError'
import { CopyableCommand } from '@renderer/components/CopyableCommand'
import { selectDemoStatus, stopDemo, useDemoStore } from '@renderer/stores/demo'

/** While the demo runs: say so (these sites are simulated) and offer to stop it. */
export function DemoBar() {
  const { t } = useTranslation()
  const status = useDemoStore(selectDemoStatus)
  const report = useReportError()
  if (status.phase !== 'running' && status.phase !== 'stopping') return null
  return (
    <Alert
      type="info"
      showIcon
      data-testid="demo-bar"
      title={t('demo.running', { n: status.sites.length })}
      description={
        <>
          {status.sshConfigPath && (
            <div>
              {t('demo.sshConfig')} <CopyableCommand command={status.sshConfigPath} />
            </div>
          )}
          <div className="md-muted" data-testid="demo-lifecycle">{t('demo.lifecycle')}</div>
        </>
      }
      action={
        <Button size="small" loading={status.phase === 'stopping'} onClick={() => stopDemo().catch(report)} data-testid="demo-stop">
          {t('demo.stop')}
        </Button>
      }
    />
  )
}
