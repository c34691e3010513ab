import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { previewMpoolReplace } from '@renderer/stores/siteops'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import { Unavailable } from '@renderer/components/Unavailable'
import type { PendingMessage } from '@contract'
import { OpFacts, useOpDialog } from '@renderer/ops/useOpDialog'
import type { SiteTabProps } from '@renderer/pages/site/siteTabs'
import { DaemonPanel } from './DaemonPanel'
import { MessagesTable } from './MessagesTable'
import { MinerPanel } from './MinerPanel'
import { PeersSection } from './PeersSection'
import { ReplaceMessageModal } from './ReplaceMessageModal'
import { SyncTable } from './SyncTable'
import { SyncHistory } from '@renderer/charts/HistoryCharts'
import { Rich } from '@renderer/components/Rich'
import { SiteFindings } from '@renderer/findings/SiteFindings'

const CHAIN_FINDINGS = ['site-unreachable', 'daemon-down', 'miner-down', 'sync-error', 'sync-behind', 'message-stuck', 'late-block'] as const

/**
 * lotus daemon and chain: sync, the miner process, local pending messages (a stuck one replaced
 * with `lotus mpool replace --auto --fee-limit`), and peers (`lotus net block add peer`).
 */
export function ChainTab({ snapshot, site }: SiteTabProps) {
  const { t } = useTranslation()
  const ops = useOpDialog(site.id)
  const [replacing, setReplacing] = useState<PendingMessage | null>(null)
  const messages = snapshot.messages
  const stuckCids = useMemo(() => new Set(snapshot.findings.filter((f) => f.kind === 'message-stuck').map((f) => f.subject.id)), [snapshot.findings])

  const preview = (m: PendingMessage, feeLimit: string) => {
    setReplacing(null)
    ops.open({
      title: t('siteops.action.mpool.replace'),
      make: () => previewMpoolReplace(site.id, { from: m.from, nonce: m.nonce, feeLimit }),
      extra: (
        <OpFacts
          testId="replace-facts"
          items={[
            {
              label: t('siteops.mpool.feeLimit'),
              value: (
                <StatusText tone="warning" strong testId="replace-fee-limit">
                  {`${feeLimit} FIL`}
                </StatusText>
              )
            },
            { label: t('siteops.mpool.message'), value: <Mono>{`${m.from} · nonce ${m.nonce}`}</Mono> },
            { label: t('siteops.common.note'), value: <Rich text={t('siteops.mpool.note', { fee: feeLimit })} /> }
          ]}
        />
      )
    })
  }

  return (
    <div className="md-stack" data-testid="chain-tab">
      <SiteFindings snapshot={snapshot} kinds={CHAIN_FINDINGS} testId="chain-findings" />
      <div className="md-two-col">
        <DaemonPanel daemon={snapshot.daemon} takenAt={snapshot.takenAt} />
        <MinerPanel miner={snapshot.miner} />
      </div>
      <SyncHistory siteId={site.id} />
      {snapshot.daemon.up && (
        <Section title={<>{t('chain.sync')} <span className="md-muted md-mono">lotus sync status</span></>} testId="sync-section">
          <SyncTable workers={snapshot.daemon.syncing ?? []} />
        </Section>
      )}
      <Section
        title={
          <>
            {t('chain.messages')} {messages && <span className="md-muted">({messages.count})</span>} <span className="md-muted md-mono">lotus mpool pending --local</span>
          </>
        }
        testId="messages-section"
      >
        {messages ? (
          <MessagesTable messages={messages.list} minerActor={snapshot.miner.actor} stuckCids={stuckCids} onReplace={setReplacing} />
        ) : (
          <Unavailable error={snapshot.partErrors?.messages ?? snapshot.daemon.error} what={t('chain.messages')} testId="messages-unavailable" />
        )}
      </Section>
      {snapshot.daemon.up && <PeersSection siteId={site.id} />}
      {replacing && <ReplaceMessageModal message={replacing} onCancel={() => setReplacing(null)} onPreview={(fee) => preview(replacing, fee)} />}
      {ops.element}
    </div>
  )
}
