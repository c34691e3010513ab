import { Alert, Checkbox, Input, Modal } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { useReportError } from '@renderer/components/useReportError'
import type { PassphrasePrompt } from '@contract'
import { answerPassphrase, selectCurrentPassphrasePrompt, usePromptsStore } from '@renderer/stores/prompts'
import { selectSites, useSitesStore } from '@renderer/stores/sites'

/** The passphrase of an encrypted key, asked once; remembered only if the operator says so and the OS can protect it. */
export function PassphraseModal() {
  const prompt = usePromptsStore(selectCurrentPassphrasePrompt)
  // A fresh form per question: a retry must not keep the wrong passphrase in the field.
  return prompt ? <PassphraseForm key={prompt.promptId} prompt={prompt} /> : null
}

function PassphraseForm({ prompt }: { prompt: PassphrasePrompt }) {
  const { t } = useTranslation()
  const sites = useSitesStore(selectSites)
  const report = useReportError()
  const [value, setValue] = useState('')
  const [remember, setRemember] = useState(false)
  const [busy, setBusy] = useState(false)
  const site = sites.find((s) => s.id === prompt.siteId)
  const submit = (passphrase: string | null) => {
    setBusy(true)
    answerPassphrase(prompt.promptId, passphrase, passphrase !== null && remember && prompt.canRemember)
      .catch(report)
      .finally(() => setBusy(false))
  }
  return (
    <Modal
      open
      title={t('passphrase.title')}
      okText={t('passphrase.unlock')}
      cancelText={t('common.cancel')}
      onOk={() => submit(value)}
      onCancel={() => submit(null)}
      okButtonProps={{ disabled: value === '', 'data-testid': 'passphrase-ok' }}
      cancelButtonProps={{ 'data-testid': 'passphrase-cancel' }}
      confirmLoading={busy}
      mask={{ closable: false }}
      width={560}
    >
      <div data-testid="passphrase-modal" data-prompt={prompt.promptId}>
        <p>{t('passphrase.body', { site: site?.name ?? prompt.siteId })}</p>
        <p>
          <span className="md-muted">{t('passphrase.keyFile')} </span>
          <Mono testId="passphrase-keyfile">{prompt.keyFile}</Mono>
        </p>
        {prompt.retry && <Alert type="error" showIcon title={t('passphrase.wrong')} data-testid="passphrase-retry" className="md-gap-bottom" />}
        <Input.Password
          autoFocus
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onPressEnter={() => value !== '' && submit(value)}
          autoComplete="off"
          data-testid="passphrase-input"
        />
        {prompt.canRemember && (
          <div className="md-gap-top">
            <Checkbox checked={remember} onChange={(e) => setRemember(e.target.checked)} data-testid="passphrase-remember">
              {t('passphrase.remember')}
            </Checkbox>
            {prompt.protection !== 'os' && (
              <Alert type="warning" showIcon className="md-gap-top" title={t(`passphrase.protection.${prompt.protection}`)} data-testid="passphrase-weak" />
            )}
          </div>
        )}
      </div>
    </Modal>
  )
}
