import { Button, Input, Modal, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { filAmountSchema, type PendingMessage } from '@contract'
import { formatFil } from '@renderer/model/format'
import { Rich } from '@renderer/components/Rich'

/** Lotus's default when `--fee-limit` is not given (DefaultDefaultMaxFee), and the runbook's 1 FIL. */
const SUGGESTED = ['0.07', '0.5', '1']

/** Attofil per gas × gas → the most a message can burn and pay, in FIL. */
function maxFee(m: PendingMessage): string {
  try {
    return formatFil((BigInt(m.gasFeeCap) * BigInt(m.gasLimit)).toString(), 9)
  } catch {
    return '—'
  }
}

/**
 * First step of `lotus mpool replace --auto`: the operator chooses the fee limit in FIL (what
 * Lotus may spend on gas for the new message); the next step shows the exact command to confirm.
 */
export function ReplaceMessageModal({ message, onCancel, onPreview }: { message: PendingMessage; onCancel: () => void; onPreview: (feeLimit: string) => void }) {
  const { t } = useTranslation()
  const [fee, setFee] = useState('0.07')
  const check = filAmountSchema.safeParse(fee)
  const problem = check.success ? null : (check.error.issues[0]?.message ?? 'invalid')
  return (
    <Modal
      open
      title={t('siteops.mpool.title')}
      onCancel={onCancel}
      width={640}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onCancel} data-testid="replace-cancel">
          {t('common.cancel')}
        </Button>,
        <Button key="preview" type="primary" disabled={!check.success} onClick={() => onPreview(fee)} data-testid="replace-preview">
          {t('siteops.mpool.preview')}
        </Button>
      ]}
    >
      <div className="md-stack" data-testid="replace-modal">
        <div className="md-kv-grid">
          <span>{t('col.from')}</span>
          <Mono>{message.from}</Mono>
          <span className="md-mono">Nonce</span>
          <Mono>{message.nonce}</Mono>
          <span>CID</span>
          <Mono>{message.cid}</Mono>
          <span>{t('siteops.mpool.currentGas')}</span>
          <Mono>{`GasPremium ${message.gasPremium} · GasFeeCap ${message.gasFeeCap} · GasLimit ${message.gasLimit}`}</Mono>
          <span>{t('siteops.mpool.currentMax')}</span>
          <Mono>{maxFee(message)}</Mono>
        </div>
        <div className="md-toolbar">
          <span>{t('siteops.mpool.feeLimit')}</span>
          <Space.Compact>
            <Input value={fee} onChange={(e) => setFee(e.target.value.trim())} status={problem ? 'error' : undefined} className="md-mono" style={{ width: 140 }} data-testid="replace-fee" />
            <Button disabled>FIL</Button>
          </Space.Compact>
          {SUGGESTED.map((v) => (
            <Button key={v} size="small" onClick={() => setFee(v)} data-testid={`replace-fee-${v}`}>
              {v} FIL
            </Button>
          ))}
        </div>
        {problem ? <StatusText tone="critical">{problem}</StatusText> : <div className="md-muted"><Rich text={t('siteops.mpool.feeHint', { fee })} /></div>}
      </div>
    </Modal>
  )
}
