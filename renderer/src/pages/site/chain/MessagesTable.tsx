import { Button, Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { LiveAge } from '@renderer/components/Ago'
import { Mono } from '@renderer/components/Mono'
import type { PendingMessage } from '@contract'
import { formatFil, formatInt } from '@renderer/model/format'
import { methodName } from '@renderer/model/lotusNames'
import { StatusText } from '@renderer/components/StatusText'

/**
 * This node's own pending messages (`lotus mpool pending --local`), oldest first. Which ones are
 * stuck is the main side's call (its `message-stuck` alerts), not a second threshold here.
 */
export function MessagesTable({
  messages,
  minerActor,
  stuckCids,
  onReplace
}: {
  messages: PendingMessage[]
  minerActor: string | undefined
  stuckCids: ReadonlySet<string>
  onReplace?: (m: PendingMessage) => void
}) {
  const { t, i18n } = useTranslation()
  const rows = [...messages].sort((a, b) => a.firstSeen - b.firstSeen)
  const columns: ColumnsType<PendingMessage> = [
    { title: 'CID', dataIndex: 'cid', width: 150, ellipsis: { showTitle: false }, render: (v: string) => <Mono title={v}>{v}</Mono> },
    { title: t('col.from'), dataIndex: 'from', width: 130, ellipsis: { showTitle: false }, render: (v: string) => <Mono title={v}>{v}</Mono> },
    { title: t('col.to'), dataIndex: 'to', width: 90, ellipsis: { showTitle: false }, render: (v: string) => <Mono title={v}>{v}</Mono> },
    { title: <Mono>Nonce</Mono>, dataIndex: 'nonce', width: 70, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    {
      title: t('col.method'),
      dataIndex: 'method',
      width: 170,
      ellipsis: { showTitle: false },
      render: (_, m) => {
        const name = methodName(m.method, m.to, minerActor)
        return (
          <Mono title={name ? `${m.method} ${name}` : undefined}>
            {m.method}
            {name ? ` ${name}` : ''}
          </Mono>
        )
      }
    },
    { title: t('col.value'), dataIndex: 'value', width: 80, align: 'right', render: (v: string) => <Mono title={`${v} attoFIL`}>{formatFil(v)}</Mono> },
    { title: <Mono>GasFeeCap</Mono>, dataIndex: 'gasFeeCap', width: 90, align: 'right', render: (v: string) => <Mono title="attoFIL/gas">{v}</Mono> },
    { title: <Mono>GasPremium</Mono>, dataIndex: 'gasPremium', width: 90, align: 'right', render: (v: string) => <Mono title="attoFIL/gas">{v}</Mono> },
    { title: <Mono>GasLimit</Mono>, dataIndex: 'gasLimit', width: 95, align: 'right', render: (v: number) => <Mono>{formatInt(v, i18n.language)}</Mono> },
    { title: t('chain.pendingFor'), key: 'age', width: 100, align: 'right', render: (_, m) => <MessageAge firstSeen={m.firstSeen} stuck={stuckCids.has(m.cid)} /> },
    ...(onReplace
      ? [
          {
            title: '',
            key: 'replace',
            width: 72,
            align: 'right' as const,
            // Always in view, even when the table scrolls sideways.
            fixed: 'right' as const,
            render: (_: unknown, m: PendingMessage) => (
              <Button size="small" type="link" onClick={() => onReplace(m)} data-testid="message-replace" title="lotus mpool replace --auto">
                {t('siteops.mpool.replace')}
              </Button>
            )
          }
        ]
      : [])
  ]
  return (
    <Table<PendingMessage>
      size="small"
      rowKey="cid"
      columns={columns}
      dataSource={rows}
      pagination={false}
      tableLayout="fixed"
      // Fits a 1440 px window; narrower windows scroll sideways rather than squeeze CIDs to nothing.
      scroll={{ x: onReplace ? 1137 : 1065 }}
      locale={{ emptyText: t('chain.noMessages') }}
      onRow={(m) => ({ 'data-testid': 'message-row', 'data-from': m.from, 'data-nonce': m.nonce }) as React.HTMLAttributes<HTMLElement>}
      data-testid="messages-table"
    />
  )
}

function MessageAge({ firstSeen, stuck }: { firstSeen: number; stuck: boolean }) {
  const { t } = useTranslation()
  if (!stuck) return <LiveAge since={firstSeen} />
  return (
    <StatusText tone="warning" strong testId="message-stuck">
      <LiveAge since={firstSeen} /> {t('chain.stuck')}
    </StatusText>
  )
}
