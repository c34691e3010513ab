import { Descriptions } from 'antd'
import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { LiveAge } from '@renderer/components/Ago'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { ProcessText } from '@renderer/components/StatusTags'
import { StatusText } from '@renderer/components/StatusText'
import type { DaemonSnapshot } from '@contract'
import { formatInt } from '@renderer/model/format'

/** The `lotus` daemon: version, height, how far behind, head age, peers. */
export function DaemonPanel({ daemon: d, takenAt }: { daemon: DaemonSnapshot; takenAt: number }) {
  const { t, i18n } = useTranslation()
  const n = (v: number | undefined) => formatInt(v, i18n.language)
  const behind = d.behindEpochs
  const behindText =
    behind === undefined ? (
      '—'
    ) : behind <= 1 ? (
      <StatusText tone="ok" testId="daemon-behind">{t('chain.inSync', { n: behind })}</StatusText>
    ) : (
      <StatusText tone={behind > 5 ? 'warning' : 'ok'} testId="daemon-behind">{t('chain.behindN', { n: n(behind) })}</StatusText>
    )
  const headText = d.headTimestamp ? (
    <span className="md-nowrap">
      <Mono>{dayjs(d.headTimestamp * 1000).format('HH:mm:ss')}</Mono> <span className="md-muted">({t('chain.headAge')} <LiveAge since={d.headTimestamp * 1000} />)</span>
    </span>
  ) : d.headAgeSec !== undefined ? (
    <LiveAge since={takenAt - d.headAgeSec * 1000} />
  ) : (
    '—'
  )
  return (
    <Section title={<Mono>lotus daemon</Mono>} extra={<ProcessText up={d.up} testId="daemon-up" />} testId="daemon-panel">
      {d.error && <ErrorNotice error={d.error} testId="daemon-error" />}
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'version', label: t('chain.version'), span: 2, children: <Mono>{d.version ?? '—'}</Mono> },
          { key: 'height', label: t('metric.height'), children: <Mono testId="daemon-height">{d.height ?? '—'}</Mono> },
          { key: 'behind', label: t('metric.behind'), children: behindText },
          { key: 'head', label: t('chain.headTime'), children: headText },
          { key: 'peers', label: t('metric.peers'), children: <span data-testid="daemon-peers">{n(d.peers)}</span> },
          { key: 'delay', label: t('chain.blockDelay'), children: d.blockDelay !== undefined ? `${d.blockDelay}s` : '—' },
          { key: 'api', label: t('chain.apiVersion'), children: <Mono>{d.apiVersion !== undefined ? apiVersion(d.apiVersion) : '—'}</Mono> },
          { key: 'peer', label: t('chain.peerId'), span: 2, children: d.peerId ? <Mono title={d.peerId}>{d.peerId}</Mono> : '—' }
        ]}
      />
    </Section>
  )
}

/** Lotus API versions are semver packed in one int (0x010500 = v1.5.0). */
export function apiVersion(v: number): string {
  return `v${(v >> 16) & 0xff}.${(v >> 8) & 0xff}.${v & 0xff}`
}
