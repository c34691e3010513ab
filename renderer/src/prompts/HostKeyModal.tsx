import { Alert, Button, Descriptions, Modal, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { useReportError } from '@renderer/components/useReportError'
import type { HostKeyDecision } from '@contract'
import { answerHostKey, selectCurrentHostKeyPrompt, usePromptsStore } from '@renderer/stores/prompts'
import { selectSites, useSitesStore } from '@renderer/stores/sites'

/**
 * An unknown host key: the operator compares the fingerprint (with the host's own
 * `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`) and decides. There is no way to dismiss it without
 * deciding: nothing is sent to the host until then. A host that presents a key of a new type while
 * keys of other types are known for it is said to be that (as OpenSSH says it), with those keys.
 */
export function HostKeyModal() {
  const { t } = useTranslation()
  const prompt = usePromptsStore(selectCurrentHostKeyPrompt)
  const queued = usePromptsStore((s) => s.hostKeys.length)
  const sites = useSitesStore(selectSites)
  const report = useReportError()
  const [busy, setBusy] = useState<HostKeyDecision | null>(null)
  if (!prompt) return null
  const site = sites.find((s) => s.id === prompt.siteId)
  const decide = (d: HostKeyDecision) => {
    setBusy(d)
    answerHostKey(prompt.promptId, d)
      .catch(report)
      .finally(() => setBusy(null))
  }
  const k = prompt.key
  const others = k.otherKnownKeys ?? []
  return (
    <Modal
      open
      title={others.length > 0 ? t('hostKey.newTypeModalTitle') : t('hostKey.title')}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      width={640}
      footer={
        <Space>
          <Button danger onClick={() => decide('reject')} loading={busy === 'reject'} data-testid="hostkey-reject">
            {t('hostKey.reject')}
          </Button>
          <Button onClick={() => decide('accept-once')} loading={busy === 'accept-once'} data-testid="hostkey-accept-once">
            {t('hostKey.acceptOnce')}
          </Button>
          <Button type="primary" onClick={() => decide('accept-save')} loading={busy === 'accept-save'} data-testid="hostkey-accept-save">
            {t('hostKey.acceptSave')}
          </Button>
        </Space>
      }
    >
      <div data-testid="hostkey-modal" data-prompt={prompt.promptId}>
        {others.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            data-testid="hostkey-new-type"
            title={t('hostKey.newTypeTitle', { keyType: k.keyType })}
            description={
              <div>
                <div>{t('hostKey.newTypeBody')}</div>
                {others.map((o) => (
                  <div key={`${o.file}:${o.line}`} className="md-gap-top">
                    <Mono>{o.keyType}</Mono> <Mono testId="hostkey-known-fingerprint">{o.fingerprint}</Mono>{' '}
                    <span className="md-muted">{t('hostKey.knownAt', { file: o.file, line: o.line })}</span>
                  </div>
                ))}
              </div>
            }
          />
        ) : (
          <p>{t('hostKey.body', { site: site?.name ?? prompt.siteId })}</p>
        )}
        <Descriptions
          size="small"
          column={1}
          bordered
          items={[
            { key: 'alias', label: t('hostKey.alias'), children: <Mono testId="hostkey-alias">{prompt.alias}</Mono> },
            { key: 'host', label: t('hostKey.host'), children: <Mono testId="hostkey-host">{`${k.host}:${k.port}`}</Mono> },
            { key: 'type', label: t('hostKey.keyType'), children: <Mono>{k.keyType}</Mono> },
            { key: 'fp', label: t('hostKey.fingerprint'), children: <Mono testId="hostkey-fingerprint">{k.fingerprint}</Mono> },
            { key: 'file', label: t('hostKey.knownHosts'), children: <Mono>{k.knownHostsFile}</Mono> }
          ]}
        />
        <Alert type="info" showIcon className="md-gap-top" title={t('hostKey.howToCheck')} description={<Mono>ssh-keygen -lf /etc/ssh/ssh_host_{keyTypeFile(k.keyType)}_key.pub</Mono>} />
        {queued > 1 && <p className="md-muted md-gap-top">{t('hostKey.more', { n: queued - 1 })}</p>}
      </div>
    </Modal>
  )
}

/** `ssh-ed25519` → `ed25519`, `ecdsa-sha2-nistp256` → `ecdsa`, `ssh-rsa`/`rsa-sha2-*` → `rsa`. */
function keyTypeFile(keyType: string): string {
  if (keyType.includes('ed25519')) return 'ed25519'
  if (keyType.includes('ecdsa')) return 'ecdsa'
  if (keyType.includes('rsa')) return 'rsa'
  return '*'
}
