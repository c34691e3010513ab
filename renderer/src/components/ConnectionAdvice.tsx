import { Alert } from 'antd'
import { Trans, useTranslation } from 'react-i18next'
import type { ConnectionInfo, SiteConfig } from '@contract'
import { removeHostKeyCommand, sshTestCommand } from '@renderer/model/advice'
import { CopyableCommand } from './CopyableCommand'
import { Mono } from './Mono'
import { Until } from './Ago'

/**
 * What the operator should do about a site that is not connected: the runbook's own first
 * checks (host up, VPN, `ssh -F <config> <alias>` by hand, the known_hosts line to fix).
 */
export function ConnectionAdvice({ site, info, sshConfigPath }: { site: SiteConfig; info: ConnectionInfo; sshConfigPath: string | null }) {
  const { t } = useTranslation()
  const cmd = sshTestCommand(site.alias, sshConfigPath)
  const config = sshConfigPath ?? '~/.ssh/config'
  const retry =
    info.nextRetryAt !== undefined ? (
      <div className="md-muted" data-testid="advice-retry">
        {t('advice.retry', { attempt: info.attempt ?? 1 })} <Until at={info.nextRetryAt} />
      </div>
    ) : null
  const detail = info.detail ? <pre className="md-pre" data-testid="advice-detail">{info.detail}</pre> : null

  let type: 'error' | 'warning' | 'info' = 'error'
  let body: React.ReactNode
  switch (info.state) {
    case 'unreachable':
      body = (
        <>
          <div>{t('advice.unreachable')}</div>
          <CopyableCommand command={cmd} testId="advice-command" />
          {detail}
          {retry}
        </>
      )
      break
    case 'stale':
      type = 'warning'
      body = (
        <>
          <div>{t('advice.stale')}</div>
          <CopyableCommand command={cmd} testId="advice-command" />
          {retry}
        </>
      )
      break
    case 'auth-failed':
      body = (
        <>
          <div>
            <Trans i18nKey="advice.authFailed" values={{ alias: site.alias, config }} components={{ mono: <Mono /> }} />
          </div>
          <CopyableCommand command={cmd} testId="advice-command" />
          {detail}
        </>
      )
      break
    case 'passphrase-needed':
      type = 'warning'
      body = <div>{t('advice.passphraseNeeded')}</div>
      break
    case 'host-key-unknown':
      type = 'warning'
      body = (
        <>
          <div>{t('advice.hostKeyUnknown')}</div>
          {info.hostKey && (
            <div>
              <Mono>{info.hostKey.keyType}</Mono> <Mono testId="advice-fingerprint">{info.hostKey.fingerprint}</Mono>
            </div>
          )}
        </>
      )
      break
    case 'host-key-changed': {
      const key = info.hostKey
      body = (
        <>
          <div>{t('advice.hostKeyChanged')}</div>
          {key && (
            <>
              <div>
                <Trans
                  i18nKey={key.knownHostsLine !== undefined ? 'advice.hostKeyChangedLine' : 'advice.hostKeyChangedFile'}
                  values={{ file: key.knownHostsFile, line: key.knownHostsLine ?? 0, host: `${key.host}:${key.port}` }}
                  components={{ mono: <Mono /> }}
                />
              </div>
              <div className="md-kv">
                <span className="md-muted">{t('advice.expected')}</span> <Mono>{key.expectedFingerprint ?? '—'}</Mono>
              </div>
              <div className="md-kv">
                <span className="md-muted">{t('advice.presented')}</span> <Mono>{key.fingerprint}</Mono>
              </div>
              <CopyableCommand command={removeHostKeyCommand(key)} testId="advice-command" />
            </>
          )}
        </>
      )
      break
    }
    case 'config-error':
      body = (
        <>
          <div>
            <Trans i18nKey="advice.configError" values={{ alias: site.alias, config }} components={{ mono: <Mono /> }} />
          </div>
          {detail}
        </>
      )
      break
    case 'idle':
    case 'connecting':
      type = 'info'
      body = (
        <>
          <div>{t('advice.connecting')}</div>
          {retry}
        </>
      )
      break
    case 'connected':
      return null
  }
  return <Alert type={type} showIcon className="md-advice" data-testid="connection-advice" data-state={info.state} title={t(`connection.${info.state}`)} description={body} />
}
