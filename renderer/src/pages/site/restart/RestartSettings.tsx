import { App, Button, Collapse, Form, Input } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DurationInput, durationRule } from '@renderer/components/DurationInput'
import { useReportError } from '@renderer/components/useReportError'
import type { SiteConfig, SiteRestartSettings } from '@contract'
import { formatDuration } from '@renderer/model/format'
import { updateSite } from '@renderer/stores/sites'

/** The wizard's defaults when the site sets nothing (the core's DEFAULTS; the expected time: 30 epochs). */
const DEFAULTS = { stopTimeoutSec: 120, termWaitSec: 30, syncTimeoutSec: 3600, warmupTimeoutSec: 900, postcheckTimeoutSec: 180 }
const DURATION_FIELDS = ['expectedSec', 'stopTimeoutSec', 'termWaitSec', 'syncTimeoutSec', 'warmupTimeoutSec', 'postcheckTimeoutSec'] as const

/** The site's restart settings: the expected restart time (the verdict's margin), the gates' time limits, the log files. */
export function RestartSettings({ site }: { site: SiteConfig }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const report = useReportError()
  const [form] = Form.useForm<SiteRestartSettings>()
  const [busy, setBusy] = useState(false)
  const save = async () => {
    const v = await form.validateFields()
    const restart: SiteRestartSettings = {}
    for (const k of DURATION_FIELDS) if (v[k] !== undefined) restart[k] = v[k]
    if (v.daemonLog?.trim()) restart.daemonLog = v.daemonLog.trim()
    if (v.minerLog?.trim()) restart.minerLog = v.minerLog.trim()
    setBusy(true)
    try {
      await updateSite(site.id, { restart })
      message.success(t('common.saved'))
    } catch (err) {
      report(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Collapse
      size="small"
      ghost
      items={[
        {
          key: 'settings',
          label: <span data-testid="wizard-settings-toggle">{t('wizard.settings.title')}</span>,
          children: (
            <Form form={form} layout="vertical" size="small" initialValues={site.restart ?? {}} className="md-wz-settings" data-testid="wizard-settings">
              <div className="md-form-grid4">
                <Form.Item name="expectedSec" label={t('wizard.settings.expectedSec')} rules={[durationRule(t('wizard.settings.invalid'))]} extra={t('wizard.settings.expectedHint')}>
                  <DurationInput placeholder={t('wizard.settings.auto')} testId="wizard-setting-expected" />
                </Form.Item>
                {(['stopTimeoutSec', 'termWaitSec', 'syncTimeoutSec', 'warmupTimeoutSec', 'postcheckTimeoutSec'] as const).map((k) => (
                  <Form.Item key={k} name={k} label={t(`wizard.settings.${k}`)} rules={[durationRule(t('wizard.settings.invalid'))]}>
                    <DurationInput placeholder={formatDuration(DEFAULTS[k])} testId={`wizard-setting-${k}`} />
                  </Form.Item>
                ))}
                <Form.Item name="daemonLog" label={t('wizard.settings.daemonLog')}>
                  <Input className="md-mono" placeholder="daemon.log" />
                </Form.Item>
                <Form.Item name="minerLog" label={t('wizard.settings.minerLog')}>
                  <Input className="md-mono" placeholder="miner.log" />
                </Form.Item>
              </div>
              <Button onClick={() => void save()} loading={busy} data-testid="wizard-settings-save">
                {t('common.save')}
              </Button>
            </Form>
          )
        }
      ]}
    />
  )
}
