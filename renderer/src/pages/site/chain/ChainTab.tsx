import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Section } from '../../../components/Section'
import { Unavailable } from '../../../components/Unavailable'
import type { SiteTabProps } from '../siteTabs'
import { DaemonPanel } from './DaemonPanel'
import { MessagesTable } from './MessagesTable'
import { MinerPanel } from './MinerPanel'
import { SyncTable } from './SyncTable'

/** lotus daemon and chain: sync, peers, the miner process, local pending messages. */
export function ChainTab({ snapshot }: SiteTabProps) {
  const { t } = useTranslation()
  const messages = snapshot.messages
  const stuckCids = useMemo(() => new Set(snapshot.alerts.filter((a) => a.kind === 'message-stuck').map((a) => a.subject)), [snapshot.alerts])
  return (
    <div className="md-stack" data-testid="chain-tab">
      <div className="md-two-col">
        <DaemonPanel daemon={snapshot.daemon} takenAt={snapshot.takenAt} />
        <MinerPanel miner={snapshot.miner} />
      </div>
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
        {messages ? <MessagesTable messages={messages.list} minerActor={snapshot.miner.actor} stuckCids={stuckCids} /> : <Unavailable error={snapshot.partErrors?.messages ?? snapshot.daemon.error} what={t('chain.messages')} testId="messages-unavailable" />}
      </Section>
    </div>
  )
}
