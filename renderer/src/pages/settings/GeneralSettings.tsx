import { App, Button, Form, Input, InputNumber, Segmented, Select, Space, Switch } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DurationInput, durationRule } from '@renderer/components/DurationInput'
import { Mono } from '@renderer/components/Mono'
import { useReportError } from '@renderer/components/useReportError'
import { DURATION_KEYS, operatorNameSchema, parseListen, RUNBOOK_DURATIONS, type AppSettings, type Durations, type Language, type Theme } from '@contract'
import { formatDuration } from '@renderer/model/format'
import { ExporterStatusLine } from './ExporterStatusLine'
import { selectAppInfo, selectSettings, selectSettingsLoaded, updateSettings, useSettingsStore } from '@renderer/stores/settings'
import { Rich } from '@renderer/components/Rich'

interface GeneralForm {
  sshConfigPath: string
  defaultPollIntervalSec: number
  defaultDurations: Partial<Record<keyof Durations, number | undefined>>
  stuckMultiple: number
  language: Language
  theme: Theme
  notifications: boolean
  exporterEnabled: boolean
  exporterListen: string
  operatorName: string
}

function toForm(s: AppSettings): GeneralForm {
  return { ...s, sshConfigPath: s.sshConfigPath ?? '', defaultDurations: { ...s.defaultDurations }, exporterEnabled: s.exporter.enabled, exporterListen: s.exporter.listen, operatorName: s.operatorName ?? '' }
}

/** Language names are shown in their own language (never translated). */
const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' }

/** SSH config file, default poll interval and durations, stuck multiple, language, theme, notifications. */
export function GeneralSettings() {
  const { t } = useTranslation()
  const settings = useSettingsStore(selectSettings)
  const loaded = useSettingsStore(selectSettingsLoaded)
  const info = useSettingsStore(selectAppInfo)
  const [form] = Form.useForm<GeneralForm>()
  const report = useReportError()
  const { message } = App.useApp()
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)

  // Settings may change from elsewhere (another window, the CLI): show the current values.
  useEffect(() => {
    if (loaded) form.setFieldsValue(toForm(settings))
  }, [loaded, settings, form])

  const save = async () => {
    const v = await form.validateFields()
    const durations = { ...RUNBOOK_DURATIONS }
    for (const k of DURATION_KEYS) durations[k] = v.defaultDurations[k] ?? RUNBOOK_DURATIONS[k]
    setSaving(true)
    try {
      await updateSettings({
        sshConfigPath: v.sshConfigPath.trim() === '' ? null : v.sshConfigPath.trim(),
        defaultPollIntervalSec: v.defaultPollIntervalSec,
        defaultDurations: durations,
        stuckMultiple: v.stuckMultiple,
        language: v.language,
        theme: v.theme,
        notifications: v.notifications,
        exporter: { enabled: v.exporterEnabled, listen: v.exporterListen.trim() },
        operatorName: v.operatorName.trim() === '' ? null : v.operatorName.trim()
      })
      setSaved(true)
      message.success(t('general.saved'))
    } catch (err) {
      report(err)
    } finally {
      setSaving(false)
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={toForm(settings)}
      requiredMark={false}
      onValuesChange={() => setSaved(false)}
      className="md-form md-general-settings"
      data-testid="general-settings"
    >
      <Form.Item name="sshConfigPath" label={t('general.sshConfig')} extra={t('general.sshConfigHint')}>
        <Input className="md-mono" placeholder="~/.ssh/config" data-testid="general-ssh-config" />
      </Form.Item>
      <div className="md-form-row">
        <Form.Item name="defaultPollIntervalSec" label={t('general.pollInterval')} rules={[{ required: true, type: 'number', min: 5, max: 3600 }]}>
          <InputNumber min={5} max={3600} suffix="s" data-testid="general-poll" />
        </Form.Item>
        <Form.Item name="stuckMultiple" label={t('general.stuckMultiple')} rules={[{ required: true, type: 'number', min: 1, max: 100 }]} extra={t('general.stuckMultipleHint')}>
          <InputNumber min={1} max={100} step={0.5} suffix="×" data-testid="general-stuck" />
        </Form.Item>
      </div>
      <h3 className="md-form-heading">{t('general.durations')}</h3>
      <p className="md-muted md-field-note">{t('general.durationsHint')}</p>
      <div className="md-form-grid4">
        {DURATION_KEYS.map((k) => (
          <Form.Item
            key={k}
            name={['defaultDurations', k]}
            label={<Mono>{k}</Mono>}
            rules={[durationRule(t('siteSettings.badDuration'), true)]}
            extra={<span className="md-muted">{t('siteSettings.runbook', { d: formatDuration(RUNBOOK_DURATIONS[k]) })}</span>}
          >
            <DurationInput placeholder={formatDuration(RUNBOOK_DURATIONS[k])} testId={`general-duration-${k}`} />
          </Form.Item>
        ))}
      </div>
      <div className="md-form-row">
        <Form.Item name="language" label={t('general.language')}>
          <Select data-testid="general-language" options={(Object.keys(LANGUAGE_NAMES) as Language[]).map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="theme" label={t('general.theme')}>
          <Segmented<Theme>
            data-testid="general-theme"
            options={[
              { value: 'light', label: t('general.themeLight') },
              { value: 'dark', label: t('general.themeDark') },
              { value: 'system', label: t('general.themeSystem') }
            ]}
          />
        </Form.Item>
        <Form.Item name="notifications" label={t('general.notifications')} valuePropName="checked" extra={info?.host === 'web' ? t('general.notificationsWeb') : t('general.notificationsDesktop')}>
          <Switch data-testid="general-notifications" />
        </Form.Item>
      </div>
      <Form.Item
        name="operatorName"
        label={t('team.operatorName')}
        extra={t('team.operatorNameHint', { fallback: settings.operatorName ? '' : (info?.operator ?? 'user@host') })}
        rules={[{ validator: async (_r, v: string) => ((v ?? '').trim() === '' || operatorNameSchema.safeParse(v).success ? undefined : Promise.reject(new Error(t('team.badOperatorName')))) }]}
      >
        <Input style={{ width: 280 }} placeholder={info?.operator ?? 'user@host'} data-testid="general-operator-name" />
      </Form.Item>
      <h3 className="md-form-heading">{t('exporter.title')}</h3>
      <p className="md-muted md-field-note"><Rich text={t('exporter.hint')} /></p>
      <div className="md-form-row">
        <Form.Item name="exporterEnabled" label={t('exporter.enabled')} valuePropName="checked">
          <Switch data-testid="general-exporter-enabled" />
        </Form.Item>
        <Form.Item
          name="exporterListen"
          label={t('exporter.listen')}
          rules={[{ validator: async (_r, v: string) => (parseListen((v ?? '').trim()) ? undefined : Promise.reject(new Error(t('exporter.badListen')))) }]}
          extra={<Rich text={t('exporter.listenHint')} />}
        >
          <Input className="md-mono" style={{ width: 220 }} placeholder="127.0.0.1:9720" data-testid="general-exporter-listen" />
        </Form.Item>
      </div>
      <ExporterStatusLine />
      <Space>
        <Button type="primary" loading={saving} onClick={() => void save().catch(() => undefined)} data-testid="general-save">
          {t('common.save')}
        </Button>
        <Button onClick={() => form.setFieldsValue(toForm(settings))} data-testid="general-reset">
          {t('common.reset')}
        </Button>
        {saved && <span className="md-muted" data-testid="general-saved">{t('common.saved')}</span>}
      </Space>
      {info && (
        <p className="md-muted md-field-note md-home">
          {t('general.home')} <Mono>{info.home}</Mono> · {t('general.operator')} <Mono>{info.operator}</Mono>
        </p>
      )}
    </Form>
  )
}
