import { Descriptions } from 'antd'
import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { Until } from '@renderer/components/Ago'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import { Unavailable } from '@renderer/components/Unavailable'
import { formatInt } from '@renderer/model/format'
import { NextDeadline } from '@renderer/pages/overview/NextDeadline'
import type { SiteTabProps } from '@renderer/pages/site/siteTabs'
import { DeadlineStrip } from '@renderer/charts/DeadlineStrip'
import { DeadlinesTable } from './DeadlinesTable'
import { ProvingCheckPanel } from './ProvingCheckPanel'
import { useProvingCheck } from './useProvingCheck'
import { SiteFindings } from '@renderer/findings/SiteFindings'

const PROVING_FINDINGS = ['sectors-faulty', 'proving-check', 'wdpost-slow'] as const

/** WindowPoSt: where the proving period stands, `lotus-miner proving deadlines`, and `proving check --slow` of a deadline. */
export function ProvingTab({ snapshot, site }: SiteTabProps) {
  const { t, i18n } = useTranslation()
  const check = useProvingCheck(site.id)
  const p = snapshot.proving
  if (!p) return <Unavailable error={snapshot.partErrors?.proving ?? snapshot.daemon.error ?? snapshot.miner.error} what={t('site.tab.proving')} testId="proving-unavailable" />
  const n = (v: number) => formatInt(v, i18n.language)
  const next = p.nextWithSectors ? { ...p.nextWithSectors, sectors: p.deadlines.find((d) => d.index === p.nextWithSectors?.index)?.sectors ?? 0 } : null
  return (
    <div className="md-stack" data-testid="proving-tab">
      <SiteFindings snapshot={snapshot} kinds={PROVING_FINDINGS} testId="proving-findings" />
      <Section title={<>{t('proving.summary')} <span className="md-muted md-mono">lotus-miner proving info</span></>}>
        <Descriptions
          size="small"
          column={4}
          items={[
            { key: 'epoch', label: t('proving.currentEpoch'), children: <Mono>{p.currentEpoch}</Mono> },
            { key: 'period', label: t('proving.periodStart'), children: <Mono>{p.periodStart}</Mono> },
            { key: 'index', label: t('proving.deadlineIndex'), children: <Mono testId="proving-deadline-index">{p.deadlineIndex}</Mono> },
            {
              key: 'window',
              label: t('proving.window'),
              children: (
                <span>
                  <Mono>
                    {p.open}–{p.close}
                  </Mono>{' '}
                  <span className="md-muted">
                    ({t('proving.closes')} <Mono>{dayjs(p.closeAt).format('HH:mm:ss')}</Mono>, <Until at={p.closeAt} />)
                  </span>
                </span>
              )
            },
            { key: 'next', label: t('proving.next'), span: 2, children: next ? <NextDeadline next={next} /> : '—' },
            { key: 'sectors', label: t('proving.sectors'), children: <Mono>{n(p.sectors)}</Mono> },
            {
              key: 'faults',
              label: t('metric.faults'),
              children:
                p.faults > 0 ? (
                  <StatusText tone="critical" strong testId="proving-faults">{n(p.faults)}</StatusText>
                ) : (
                  <Mono testId="proving-faults">0</Mono>
                )
            },
            { key: 'recoveries', label: t('metric.recoveries'), children: <Mono>{n(p.recoveries)}</Mono> }
          ]}
        />
        <DeadlineStrip proving={p} />
      </Section>
      {/* Above the 48 deadlines, so a started check is in view. */}
      <ProvingCheckPanel view={check} />
      <Section title={<>{t('proving.deadlines')} <span className="md-muted md-mono">lotus-miner proving deadlines</span></>} extra={snapshot.miner.actor && <span className="md-muted">{t('proving.minerActor')} <Mono>{snapshot.miner.actor}</Mono></span>}>
        <DeadlinesTable siteId={site.id} deadlines={p.deadlines} onCheck={(i) => void check.start(i)} checkBusy={check.starting || check.check?.status === 'running'} />
      </Section>
    </div>
  )
}
