import { Empty } from 'antd'
import { useTranslation } from 'react-i18next'
import type { ErrorInfo } from '@contract'
import { ErrorNotice } from './ErrorNotice'

/** Why a part of the snapshot is missing: the process's own error when there is one. */
export function Unavailable({ error, what, testId }: { error?: ErrorInfo; what: string; testId?: string }) {
  const { t } = useTranslation()
  if (error) return <ErrorNotice error={error} testId={testId} />
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('site.unavailable', { what })} data-testid={testId} />
}
