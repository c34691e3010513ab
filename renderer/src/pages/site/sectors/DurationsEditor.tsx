import { Button, Form, Popover } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { DurationInput, durationRule } from '@renderer/components/DurationInput'
import { useReportError } from '@renderer/components/useReportError'
import { DURATION_KEYS, type DurationKey, type SiteConfig } from '@contract'
import { formatDuration } from '@renderer/model/format'
import { useSettingsStore } from '@renderer/stores/settings'
import { updateSite } from '@renderer/stores/sites'

type Values = Partial<Record<DurationKey, number | undefined>>

/**
 * The expected durations the stuck rule uses, editable per site right where they matter (the
 * same values as the site's settings): empty = the global default, shown as the placeholder.
 */
export function DurationsEditor({ site, onSaved }: { site: SiteConfig; onSaved: () => void }) {
  const { t } = useTranslation()
  const report = useReportError()
  const defaults = useSettingsStore((s) => s.settings?.defaultDurations)
  const [open, setOpen] = useState(false)
  const [form] = Form.useForm<Values>()
  const save = async () => {
    const v = await form.validateFields()
    const durations: Values = {}
    for (const k of DURATION_KEYS) if (v[k] !== undefined) durations[k] = v[k]
    try {
      await updateSite(site.id, { durations: durations as Record<DurationKey, number> })
      setOpen(false)
      onSaved()
    } catch (err) {
      report(asMinerDeskError(err))
    }
  }
  return (
    <Popover
      open={open}
      onOpenChange={(o) => {
        if (o) form.setFieldsValue({ ...site.durations })
        setOpen(o)
      }}
      trigger="click"
      placement="bottomRight"
      title={t('sectors.durations.title')}
      content={
        <Form form={form} layout="vertical" size="small" style={{ width: 360 }} data-testid="durations-form">
          <div className="md-muted" style={{ marginBottom: 8 }}>
            {t('sectors.durations.hint')}
          </div>
          <div className="md-form-grid4" style={{ gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' }}>
            {DURATION_KEYS.map((k) => (
              <Form.Item key={k} name={k} label={<span className="md-mono">{k}</span>} rules={[durationRule(t('sectors.durations.bad'))]}>
                <DurationInput placeholder={defaults ? formatDuration(defaults[k]) : ''} testId={`duration-${k}`} />
              </Form.Item>
            ))}
          </div>
          <Button type="primary" onClick={() => void save()} data-testid="durations-save">
            {t('common.save')}
          </Button>
        </Form>
      }
    >
      <Button data-testid="sectors-durations">{t('sectors.durations.button')}</Button>
    </Popover>
  )
}
