import { Button, Result, Steps } from 'antd'
import { ClusterOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { useReportError } from '@renderer/components/useReportError'
import { DEMO_STEPS } from '@contract'
import { selectDemoStatus, startDemo, useDemoStore } from '@renderer/stores/demo'
import { navigate } from '@renderer/stores/navigation'

/**
 * With no sites configured: offer three simulated sites (the embedded demo), or adding real ones
 * from the OpenSSH config. Shows the demo's start-up progress.
 */
export function DemoOffer() {
  const { t } = useTranslation()
  const status = useDemoStore(selectDemoStatus)
  const report = useReportError()
  const busy = status.phase === 'starting' || status.phase === 'stopping'
  const stepIndex = status.step ? DEMO_STEPS.indexOf(status.step as (typeof DEMO_STEPS)[number]) : -1
  return (
    <div className="md-demo" data-testid="demo-offer" data-phase={status.phase}>
      <Result
        icon={<ClusterOutlined className="md-demo-icon" />}
        title={t('demo.title')}
        subTitle={
          <>
            <div>{t('demo.body')}</div>
            <div className="md-muted" data-testid="demo-lifecycle">{t('demo.lifecycle')}</div>
          </>
        }
        extra={[
          <Button key="demo" type="primary" loading={busy} onClick={() => startDemo().catch(report)} data-testid="demo-start" disabled={status.phase === 'running'}>
            {t('demo.start')}
          </Button>,
          <Button key="add" onClick={() => navigate({ page: 'settings', section: 'sites' })} data-testid="demo-add-sites">
            {t('demo.addOwn')}
          </Button>
        ]}
      />
      {status.phase === 'starting' && (
        <div className="md-demo-steps" data-testid="demo-progress">
          <Steps
            size="small"
            current={Math.max(0, stepIndex)}
            items={DEMO_STEPS.map((s) => ({ title: t(`demo.step.${s}`) }))}
          />
          {stepIndex < 0 && status.step && <div className="md-muted">{t(`demo.step.${status.step}`, { defaultValue: status.step })}</div>}
        </div>
      )}
      {status.phase === 'failed' && (
        <ErrorNotice error={{ code: 'internal', message: status.error ?? t('demo.failed') }} testId="demo-error" />
      )}
    </div>
  )
}
