import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { describeError } from '@renderer/model/errorText'
import { loadExporterStatus, selectExporterStatus, useExporterStore } from '@renderer/stores/exporter'

/** Whether the app's exporter serves, on which URL, or why it cannot. */
export function ExporterStatusLine() {
  const { t } = useTranslation()
  const status = useExporterStore(selectExporterStatus)
  useEffect(() => {
    loadExporterStatus().catch((err: unknown) => console.warn('minerdesk: exporter status', err))
  }, [])
  if (!status) return null
  return (
    <p className="md-field-note" data-testid="exporter-status">
      {status.url ? (
        <>
          <StatusText tone="ok">{t('exporter.serving')}</StatusText> <Mono>{status.url}</Mono> · {t('exporter.scrapes', { n: status.scrapes })}
        </>
      ) : status.error ? (
        <>
          <StatusText tone="critical">{t('exporter.failed')}</StatusText> {describeError(t, status.error).title}
        </>
      ) : (
        <span className="md-muted">{t('exporter.off')}</span>
      )}
    </p>
  )
}
