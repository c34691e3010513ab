import { Alert, App, Button, Drawer, Form, Input, InputNumber, Space, Switch } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DurationInput, durationRule } from '@renderer/components/DurationInput'
import { Mono } from '@renderer/components/Mono'
import { useReportError } from '@renderer/components/useReportError'
import { DEFAULT_START_COMMANDS, DURATION_KEYS, RUNBOOK_DURATIONS, type SiteConfig } from '@contract'
import { formatDuration } from '@renderer/model/format'
import { selectSettings, useSettingsStore } from '@renderer/stores/settings'
import { updateSite } from '@renderer/stores/sites'
import { ipProblem, isEnvName, toForm, toPatch, type SiteForm } from './siteForm'

const START_KEYS = ['daemon', 'miner', 'worker', 'workerC2'] as const

/** Per-site settings: poll interval, expected durations, working directory, start commands, environment, worker hosts. */
export function SiteSettingsDrawer({ site, onClose }: { site: SiteConfig; onClose: () => void }) {
  const { t } = useTranslation()
  const [form] = Form.useForm<SiteForm>()
  const settings = useSettingsStore(selectSettings)
  const report = useReportError()
  const { message } = App.useApp()
  const [saving, setSaving] = useState(false)
  const [invalid, setInvalid] = useState<string | null>(null)

  const save = async () => {
    const values = await form.validateFields()
    const r = toPatch(values)
    if (!r.ok) {
      setInvalid(r.message)
      return
    }
    setInvalid(null)
    setSaving(true)
    try {
      await updateSite(site.id, r.patch)
      message.success(t('siteSettings.saved', { name: r.patch.name || site.name }))
      onClose()
    } catch (err) {
      report(err)
    } finally {
      setSaving(false)
    }
  }

  return (
    <Drawer
      open
      size={640}
      title={
        <span>
          {t('siteSettings.title', { name: site.name })} <Mono>{site.alias}</Mono>
        </span>
      }
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void save().catch(() => undefined)} data-testid="site-settings-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={toForm(site)} requiredMark={false} data-testid="site-settings-form" className="md-form">
        {invalid && <Alert type="error" showIcon title={t('siteSettings.invalid')} description={<pre className="md-pre">{invalid}</pre>} />}
        <div className="md-form-row">
          <Form.Item name="name" label={t('sitesSettings.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="site-settings-name" />
          </Form.Item>
          <Form.Item name="group" label={t('sitesSettings.group')} rules={[{ max: 100 }]}>
            <Input data-testid="site-settings-group" />
          </Form.Item>
          <Form.Item name="pollIntervalSec" label={t('siteSettings.pollInterval')} rules={[{ required: true, type: 'number', min: 5, max: 3600 }]}>
            <InputNumber min={5} max={3600} suffix="s" data-testid="site-settings-poll" />
          </Form.Item>
          <Form.Item name="readOnly" label={t('team.readOnly')} valuePropName="checked" extra={t('team.readOnlyHint')}>
            <Switch data-testid="site-settings-read-only" />
          </Form.Item>
        </div>

        <h3 className="md-form-heading">{t('siteSettings.durations')}</h3>
        <p className="md-muted md-field-note">{t('siteSettings.durationsHint', { multiple: settings.stuckMultiple })}</p>
        <div className="md-form-grid4">
          {DURATION_KEYS.map((k) => (
            <Form.Item
              key={k}
              name={['durations', k]}
              label={<Mono>{k}</Mono>}
              rules={[durationRule(t('siteSettings.badDuration'))]}
              extra={<span className="md-muted">{t('siteSettings.runbook', { d: formatDuration(RUNBOOK_DURATIONS[k]) })}</span>}
            >
              <DurationInput placeholder={formatDuration(settings.defaultDurations[k])} testId={`site-duration-${k}`} />
            </Form.Item>
          ))}
        </div>

        <Form.Item name="workDir" label={t('siteSettings.workDir')} rules={[{ required: true, max: 1000 }]} extra={t('siteSettings.workDirHint')}>
          <Input className="md-mono" data-testid="site-settings-workdir" />
        </Form.Item>

        <h3 className="md-form-heading">{t('siteSettings.startCommands')}</h3>
        {START_KEYS.map((k) => (
          <Form.Item key={k} name={['startCommands', k]} label={t(`siteSettings.start.${k}`)} rules={[{ required: true, max: 4000 }]} extra={<span className="md-muted">{t('siteSettings.default')} <span className="md-mono">{DEFAULT_START_COMMANDS[k]}</span></span>}>
            <Input className="md-mono" data-testid={`site-start-${k}`} />
          </Form.Item>
        ))}

        <h3 className="md-form-heading">{t('siteSettings.expectedEnv')}</h3>
        <p className="md-muted md-field-note">{t('siteSettings.expectedEnvHint')}</p>
        <Form.List name="env">
          {(fields, { add, remove }) => (
            <div data-testid="site-env-rows">
              {fields.map((f) => (
                <div key={f.key} className="md-pair-row">
                  <Form.Item name={[f.name, 'name']} rules={[{ validator: (_, v: string) => (isEnvName(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('siteSettings.badEnvName')))) }]}>
                    <Input className="md-mono" placeholder="FIL_PROOFS_USE_GPU_COLUMN_BUILDER" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'value']} rules={[{ max: 4000 }]}>
                    <Input className="md-mono" placeholder="1" />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                </div>
              ))}
              <Button size="small" icon={<PlusOutlined />} onClick={() => add({ name: '', value: '' })} data-testid="site-env-add">
                {t('siteSettings.addEnv')}
              </Button>
            </div>
          )}
        </Form.List>

        <h3 className="md-form-heading">{t('siteSettings.workerHosts')}</h3>
        <p className="md-muted md-field-note">{t('siteSettings.workerHostsHint')}</p>
        <Form.List name="hosts">
          {(fields, { add, remove }) => (
            <div data-testid="site-host-rows">
              {fields.map((f) => (
                <div key={f.key} className="md-pair-row">
                  <Form.Item name={[f.name, 'ip']} rules={[
                      {
                        validator: (_, v: string) => {
                          const p = ipProblem(v ?? '')
                          return p ? Promise.reject(new Error(t(`siteSettings.ip.${p.key}`, p.params))) : Promise.resolve()
                        }
                      }
                    ]}>
                    <Input className="md-mono" placeholder="10.0.0.11" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'alias']} rules={[{ required: true, message: t('siteSettings.aliasRequired') }, { pattern: /^[^\s'"\\]+$/, message: t('siteSettings.aliasRequired') }]}>
                    <Input className="md-mono" placeholder="worker-01" />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                </div>
              ))}
              <Button size="small" icon={<PlusOutlined />} onClick={() => add({ ip: '', alias: '' })} data-testid="site-host-add">
                {t('siteSettings.addHost')}
              </Button>
            </div>
          )}
        </Form.List>
      </Form>
    </Drawer>
  )
}
