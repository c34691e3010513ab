import { Button, Timeline } from 'antd'
import { useState } from 'react'
import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import type { SectorLogEntry } from '@contract'

const PROGRESS = new Set(['SectorPacked', 'SectorTicket', 'SectorPreCommit1', 'SectorPreCommit2', 'SectorPreCommitLanded', 'SectorSeedReady', 'SectorCommitted', 'SectorProving', 'SectorFinalized'])

function colour(e: SectorLogEntry): string {
  if (e.trace.trim() || e.kind.startsWith('error;') || e.kind === 'panic') return 'red'
  if (PROGRESS.has(e.name)) return 'green'
  if (e.name.startsWith('SectorRetry') || e.name === 'SectorForceState') return 'orange'
  return 'gray'
}

/** The sector's event log as Lotus keeps it (event names untranslated), newest first, with error traces. */
const SHOWN = 300

export function EventTimeline({ log }: { log: SectorLogEntry[] }) {
  const { t } = useTranslation()
  const [all, setAll] = useState(false)
  const items = log
    .map((e, i) => ({ e, i }))
    .reverse()
    .slice(0, all ? undefined : SHOWN)
    .map(({ e, i }) => ({
      key: i,
      color: colour(e),
      content: (
        <div data-testid="timeline-entry" data-event={e.name} data-index={i}>
          <div className="md-tl-head">
            <Mono>{i}.</Mono>
            <Mono>{dayjs(e.at).format('YYYY-MM-DD HH:mm:ss')}</Mono>
            <span className="md-mono md-strong">{e.name}</span>
            {e.name !== e.kind && <span className="md-mono md-muted">[{e.kind}]</span>}
          </div>
          {e.message && e.message !== '{"User":{}}' && <div className="md-tl-msg md-mono">{e.message.length > 400 ? `${e.message.slice(0, 400)}…` : e.message}</div>}
          {e.trace && (
            <pre className="md-pre" style={{ color: 'var(--md-critical)' }} data-testid="timeline-trace">
              {e.trace.length > 3000 ? `${e.trace.slice(0, 3000)}…` : e.trace}
            </pre>
          )}
        </div>
      )
    }))
  return (
    <Section title={<>{t('sectors.log.title', { n: log.length })} <span className="md-muted md-mono">lotus-miner sectors status --log</span></>} testId="sector-timeline">
      <div className="md-timeline">{items.length ? <Timeline items={items} /> : <span className="md-muted">{t('sectors.log.empty')}</span>}</div>
      {!all && log.length > SHOWN && (
        <Button size="small" type="link" onClick={() => setAll(true)} data-testid="timeline-all">
          {t('sectors.log.showAll', { n: log.length })}
        </Button>
      )}
    </Section>
  )
}
