import { Modal } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ConnectionAdvice } from '@renderer/components/ConnectionAdvice'
import type { ConnectionInfo, SiteConfig } from '@contract'
import { useSshConfigFor } from '@renderer/hooks/useSshConfigFor'
import { selectConnections, useOverviewStore } from '@renderer/stores/overview'
import { selectSites, useSitesStore } from '@renderer/stores/sites'

/**
 * A changed host key is refused by the SSH layer (nothing is sent). The operator must know at
 * once, wherever they are in the app: a warning that stays until acknowledged, once per event.
 */
export function HostKeyChangedWarning() {
  const connections = useOverviewStore(selectConnections)
  const sites = useSitesStore(selectSites)
  const [acknowledged, setAcknowledged] = useState<ReadonlySet<string>>(new Set())
  const pending = sites
    .map((site) => ({ site, info: connections[site.id] }))
    .find((x): x is { site: SiteConfig; info: ConnectionInfo } => x.info?.state === 'host-key-changed' && !acknowledged.has(`${x.site.id}:${x.info.since}`))
  if (!pending) return null
  const close = () => setAcknowledged((prev) => new Set(prev).add(`${pending.site.id}:${pending.info.since}`))
  return <ChangedKeyModal key={pending.site.id} site={pending.site} info={pending.info} onClose={close} />
}

function ChangedKeyModal({ site, info, onClose }: { site: SiteConfig; info: ConnectionInfo; onClose: () => void }) {
  const { t } = useTranslation()
  const sshConfig = useSshConfigFor(site.id)
  return (
    <Modal open title={t('hostKey.changedTitle', { site: site.name })} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }} okText={t('common.understood')} width={680}>
      <div data-testid="hostkey-changed-modal" data-site={site.id}>
        <p>{t('hostKey.changedBody')}</p>
        <ConnectionAdvice site={site} info={info} sshConfigPath={sshConfig} />
      </div>
    </Modal>
  )
}
