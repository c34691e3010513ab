import { Descriptions } from 'antd'
import { useTranslation } from 'react-i18next'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { ProcessText } from '@renderer/components/StatusTags'
import type { MinerSnapshot } from '@contract'
import { formatBytes } from '@renderer/model/format'
import { apiVersion } from './DaemonPanel'

/** The `lotus-miner` process: version, actor, sector size, session. */
export function MinerPanel({ miner: m }: { miner: MinerSnapshot }) {
  const { t } = useTranslation()
  return (
    <Section title={<Mono>lotus-miner</Mono>} extra={<ProcessText up={m.up} testId="miner-up" />} testId="miner-panel">
      {m.error && <ErrorNotice error={m.error} testId="miner-error" />}
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'version', label: t('chain.version'), span: 2, children: <Mono>{m.version ?? '—'}</Mono> },
          { key: 'actor', label: t('metric.actor'), children: <Mono testId="miner-actor">{m.actor ?? '—'}</Mono> },
          { key: 'size', label: t('metric.sectorSize'), children: m.sectorSize ? formatBytes(m.sectorSize) : '—' },
          { key: 'api', label: t('chain.apiVersion'), span: 2, children: <Mono>{m.apiVersion !== undefined ? apiVersion(m.apiVersion) : '—'}</Mono> },
          { key: 'session', label: t('chain.session'), span: 2, children: m.session ? <Mono>{m.session}</Mono> : '—' }
        ]}
      />
    </Section>
  )
}
