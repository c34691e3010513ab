import { Button, Input, Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { previewBlockPeer, readPeers } from '@renderer/stores/siteops'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import { peerIdSchema, type ErrorInfo, type PeerRow, type PeersInfo } from '@contract'
import { OpFacts, useOpDialog } from '@renderer/ops/useOpDialog'
import { Rich } from '@renderer/components/Rich'

/**
 * `lotus net peers` with `net scores`, read on demand, and `lotus net block add peer <id>` for a
 * listed peer or one typed in (its shape is checked here and again by the main side).
 */
export function PeersSection({ siteId }: { siteId: string }) {
  const { t } = useTranslation()
  const ops = useOpDialog(siteId)
  const [info, setInfo] = useState<PeersInfo | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const [typed, setTyped] = useState('')
  const typedOk = peerIdSchema.safeParse(typed).success

  const load = async () => {
    setLoading(true)
    setError(null)
    try {
      setInfo(await readPeers(siteId))
    } catch (err) {
      setError(asMinerDeskError(err).toInfo())
    } finally {
      setLoading(false)
    }
  }

  const block = (peer: string, connected: PeerRow | undefined) =>
    ops.open({
      title: t('siteops.action.net.block-peer'),
      make: () => previewBlockPeer(siteId, peer),
      extra: (
        <OpFacts
          items={[
            { label: t('col.peerId'), value: <Mono>{peer}</Mono> },
            { label: t('siteops.peers.addresses'), value: <Mono>{connected ? connected.addrs.join(' ') || '—' : t('siteops.peers.notConnected')}</Mono> },
            { label: t('siteops.common.note'), value: t('siteops.peers.blockNote') }
          ]}
        />
      ),
      onDone: () => void load()
    })

  const columns: ColumnsType<PeerRow> = [
    { title: t('col.peerId'), dataIndex: 'id', width: 440, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('col.score'), dataIndex: 'score', width: 110, align: 'right', render: (v: number | null) => <Mono>{v === null ? '—' : v.toFixed(6)}</Mono> },
    { title: t('siteops.peers.addresses'), dataIndex: 'addrs', ellipsis: { showTitle: false }, render: (v: string[]) => <Mono title={v.join(' ')}>{v.join(' ')}</Mono> },
    {
      title: '',
      key: 'block',
      width: 90,
      align: 'right',
      render: (_, p) => (
        <Button size="small" type="link" danger onClick={() => block(p.id, p)} data-testid="peer-block">
          {t('siteops.peers.block')}
        </Button>
      )
    }
  ]

  return (
    <Section
      title={
        <>
          {t('siteops.peers.title')} {info && <span className="md-muted">({info.peers.length})</span>} <span className="md-muted md-mono">lotus net peers · net scores · net block</span>
        </>
      }
      extra={
        <Button size="small" loading={loading} onClick={() => void load()} data-testid="peers-load">
          {info ? t('siteops.common.reload') : t('siteops.peers.load')}
        </Button>
      }
      testId="peers-section"
    >
      <div className="md-stack">
        <div className="md-toolbar">
          <span>{t('siteops.peers.blockById')}</span>
          <Input
            value={typed}
            onChange={(e) => setTyped(e.target.value.trim())}
            status={typed && !typedOk ? 'error' : undefined}
            className="md-mono"
            style={{ width: 460 }}
            placeholder="12D3KooW…"
            data-testid="peer-input"
          />
          <Button danger disabled={!typedOk} onClick={() => block(typed, info?.peers.find((p) => p.id === typed))} data-testid="peer-block-typed">
            {t('siteops.peers.block')}
          </Button>
          {typed && !typedOk && <StatusText tone="critical"><Rich text={t('siteops.peers.badId')} /></StatusText>}
        </div>
        {error && <ErrorNotice error={error} testId="peers-error" />}
        {info ? (
          <>
            <Table<PeerRow>
              size="small"
              rowKey="id"
              columns={columns}
              dataSource={info.peers}
              pagination={false}
              tableLayout="fixed"
              scroll={info.peers.length > 15 ? { y: 15 * 32, x: 1000 } : { x: 1000 }}
              locale={{ emptyText: t('siteops.peers.none') }}
              onRow={(p) => ({ 'data-testid': 'peer-row', 'data-peer': p.id }) as React.HTMLAttributes<HTMLElement>}
              data-testid="peers-table"
            />
            <div data-testid="peers-blocked">
              <span className="md-muted">{t('siteops.peers.blocked')} </span>
              {info.blocked.peers.length === 0 ? '—' : info.blocked.peers.map((p) => <Mono key={p}>{`${p} `}</Mono>)}
            </div>
          </>
        ) : (
          !error && <div className="md-muted"><Rich text={t('siteops.peers.hint')} /></div>
        )}
      </div>
      {ops.element}
    </Section>
  )
}
