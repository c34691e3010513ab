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

/** Lotus's JSON for an event, pretty-printed (its numbers and CIDs exact), when it is JSON. */
export function prettyJson(text: string): string | null {
  const s = text.trim()
  if (!(s.startsWith('{') || s.startsWith('['))) return null
  try {
    return JSON.stringify(JSON.parse(s) as unknown, null, 2)
  } catch {
    return null
  }
}

/**
 * An event's message: JSON folded to one line, opened into its indented form on a click (or
 * Enter); anything else as Lotus wrote it.
 */
function EventMessage({ text }: { text: string }) {
  const pretty = prettyJson(text)
  if (!pretty) return <div className="md-tl-msg md-mono">{text.length > 2000 ? `${text.slice(0, 2000)}…` : text}</div>
  const oneLine = text.replace(/\s+/g, ' ')
  return (
    <details className="md-tl-json" data-testid="timeline-json">
      <summary className="md-mono">{oneLine.length > 160 ? `${oneLine.slice(0, 160)}…` : oneLine}</summary>
      <pre className="md-pre">{pretty}</pre>
    </details>
  )
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
          {e.message && e.message !== '{"User":{}}' && <EventMessage text={e.message} />}
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
          {t('sectors.log.showAll', { n: log.length, count: log.length })}
        </Button>
      )}
    </Section>
  )
}
