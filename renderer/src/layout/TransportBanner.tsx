import { Alert, Button } from 'antd'
import { useTranslation } from 'react-i18next'
import { Until } from '@renderer/components/Ago'
import { reconnectNow, selectTransportStatus, useTransportStore } from '@renderer/stores/transport'
import { Rich } from '@renderer/components/Rich'

/** Browser host only: the page lost its WebSocket to the MinerDesk host (and what to do). */
export function TransportBanner() {
  const { t } = useTranslation()
  const status = useTransportStore(selectTransportStatus)
  if (status.state !== 'lost') return null
  return (
    <Alert
      type="error"
      banner
      data-testid="transport-banner"
      title={t('transport.lost')}
      description={
        <span>
          <Rich text={status.hasToken ? t('transport.lostHint') : t('transport.noToken')} />{' '}
          {status.nextRetryAt !== null && (
            <span className="md-muted">
              {t('transport.retry', { attempt: status.attempt })} <Until at={status.nextRetryAt} />
            </span>
          )}
        </span>
      }
      action={
        <Button size="small" onClick={reconnectNow} data-testid="transport-retry">
          {t('transport.retryNow')}
        </Button>
      }
    />
  )
}
