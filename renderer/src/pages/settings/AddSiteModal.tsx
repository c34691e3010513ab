import { Alert, AutoComplete, Form, Input, Modal, Select, type FormInstance } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { listSshConfig } from '@renderer/stores/settings'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { useReportError } from '@renderer/components/useReportError'
import type { ErrorInfo, SshAliasInfo, SshConfigListing } from '@contract'
import { addSite } from '@renderer/stores/sites'

interface AddForm {
  alias: string
  name?: string
  group?: string
}

/** Adds a site from an alias of the operator's OpenSSH config (so it connects exactly as `ssh alias` does). */
export function AddSiteModal({ open, onClose, existingGroups }: { open: boolean; onClose: () => void; existingGroups: string[] }) {
  const { t } = useTranslation()
  const [form] = Form.useForm<AddForm>()
  const report = useReportError()
  const [saving, setSaving] = useState(false)

  const submit = async () => {
    const v = await form.validateFields()
    setSaving(true)
    try {
      await addSite({ alias: v.alias, ...(v.name?.trim() ? { name: v.name.trim() } : {}), ...(v.group?.trim() ? { group: v.group.trim() } : {}) })
      onClose()
    } catch (err) {
      report(err)
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      open={open}
      title={t('addSite.title')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={t('addSite.add')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'add-site-ok' }}
      destroyOnHidden
      width={640}
    >
      {open && <AddSiteBody form={form} existingGroups={existingGroups} />}
    </Modal>
  )
}

/** Mounted while the modal is open: reads the SSH config's aliases once per opening. */
function AddSiteBody({ form, existingGroups }: { form: FormInstance<AddForm>; existingGroups: string[] }) {
  const { t } = useTranslation()
  const [listing, setListing] = useState<SshConfigListing | null>(null)
  const [loadError, setLoadError] = useState<ErrorInfo | null>(null)
  useEffect(() => {
    let live = true
    listSshConfig()
      .then(
        (l) => live && setListing(l),
        (err: unknown) => live && setLoadError(asMinerDeskError(err).toInfo())
      )
    return () => {
      live = false
    }
  }, [])
  return (
    <div data-testid="add-site-modal">
      {listing && (
        <div className="md-muted md-field-note">
          {t('addSite.from')} <Mono testId="ssh-config-path">{listing.path}</Mono>
        </div>
      )}
      {listing?.error && <Alert type="error" showIcon title={t('addSite.configError')} description={<pre className="md-pre">{listing.error}</pre>} />}
      {loadError && <ErrorNotice error={loadError} />}
      <Form form={form} layout="vertical" requiredMark={false} preserve={false}>
        <Form.Item name="alias" label={t('addSite.alias')} rules={[{ required: true, message: t('addSite.aliasRequired') }]}>
          <Select
            showSearch
            loading={!listing && !loadError}
            placeholder={t('addSite.aliasPlaceholder')}
            data-testid="add-site-alias"
            optionLabelProp="value"
            onChange={(alias: string) => {
              if (!form.getFieldValue('name')) form.setFieldValue('name', alias)
            }}
            options={(listing?.aliases ?? []).map((a) => ({ value: a.alias, disabled: a.added, label: <AliasOption a={a} addedText={t('addSite.added')} /> }))}
            notFoundContent={listing ? t('addSite.noAliases') : undefined}
          />
        </Form.Item>
        <Form.Item name="name" label={t('sitesSettings.name')} rules={[{ max: 100 }]}>
          <Input data-testid="add-site-name" />
        </Form.Item>
        <Form.Item name="group" label={t('sitesSettings.group')} rules={[{ max: 100 }]}>
          <AutoComplete
            options={existingGroups.map((g) => ({ value: g }))}
            filterOption={(input, option) => (option?.value ?? '').toLowerCase().includes(input.toLowerCase())}
            data-testid="add-site-group"
            placeholder={t('addSite.groupPlaceholder')}
          />
        </Form.Item>
      </Form>
    </div>
  )
}

function AliasOption({ a, addedText }: { a: SshAliasInfo; addedText: string }) {
  const target = `${a.user ? `${a.user}@` : ''}${a.hostName}${a.port !== 22 ? `:${a.port}` : ''}`
  return (
    <span className="md-alias-option" data-testid={`alias-option-${a.alias}`}>
      <Mono>{a.alias}</Mono>
      <span className="md-muted md-mono">{target}</span>
      {a.proxyJump.length > 0 && <span className="md-muted md-mono">via {a.proxyJump.join(',')}</span>}
      {a.added && <span className="md-muted">({addedText})</span>}
    </span>
  )
}
