import { App } from 'antd'
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { describeError } from '@renderer/model/errorText'

/** Reports a failed action as a notification: translated title, what to do, raw detail. */
export function useReportError(): (err: unknown) => void {
  const { notification } = App.useApp()
  const { t } = useTranslation()
  return useCallback(
    (err: unknown) => {
      const info = asMinerDeskError(err).toInfo()
      const e = describeError(t, info)
      notification.error({
        title: e.title,
        description: (
          <div className="md-error-body" data-testid="error-notification" data-error-code={info.code}>
            {e.hint && <div>{e.hint}</div>}
            {e.specificHint && <div className="md-muted">{e.specificHint}</div>}
            {e.details && <pre className="md-pre">{e.details}</pre>}
          </div>
        ),
        duration: 8
      })
    },
    [notification, t]
  )
}
