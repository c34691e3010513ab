import { Alert } from 'antd'
import { useTranslation } from 'react-i18next'
import type { ErrorInfo } from '@contract'
import { describeError } from '@renderer/model/errorText'
import { Rich } from '@renderer/components/Rich'

/** An error in place: what happened (translated), what to do, and the raw detail verbatim. */
export function ErrorNotice({ error, testId, compact }: { error: ErrorInfo; testId?: string; compact?: boolean }) {
  const { t } = useTranslation()
  const e = describeError(t, error)
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId ?? 'error-notice'}
      data-error-code={error.code}
      title={e.title}
      description={
        compact && !e.hint ? undefined : (
          <div className="md-error-body">
            {e.hint && <div><Rich text={e.hint} /></div>}
            {e.specificHint && <div className="md-muted">{e.specificHint}</div>}
            {e.details && <pre className="md-pre">{e.details}</pre>}
          </div>
        )
      }
    />
  )
}
