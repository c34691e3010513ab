import { Button } from 'antd'
import { useTranslation } from 'react-i18next'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { selectBootError, useBootStore } from '@renderer/stores/boot'
import { reloadAll } from '@renderer/sync'

/** The first load from the main side failed: say why, offer to try again. */
export function BootError() {
  const { t } = useTranslation()
  const error = useBootStore(selectBootError)
  if (!error) return null
  return (
    <div className="md-boot-error" data-testid="boot-error">
      <ErrorNotice error={error} />
      <Button size="small" onClick={() => void reloadAll()} data-testid="boot-retry">
        {t('common.retry')}
      </Button>
    </div>
  )
}
