import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { formatAge, formatDuration, secondsSince } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'

/** "12s ago", ticking live; the exact local time on hover. */
export function Ago({ at, testId }: { at: number | null | undefined; testId?: string }) {
  const { t } = useTranslation()
  const now = useNow()
  if (at === null || at === undefined) return <span data-testid={testId}>—</span>
  return (
    <span title={dayjs(at).format('YYYY-MM-DD HH:mm:ss')} data-testid={testId} className="md-nowrap">
      {t('common.ago', { duration: formatAge(secondsSince(at, now)) })}
    </span>
  )
}

/** Time left until `at` ("in 12m"), or how long ago it passed. */
export function Until({ at }: { at: number }) {
  const { t } = useTranslation()
  const now = useNow()
  const sec = Math.round((at - now) / 1000)
  return (
    <span title={dayjs(at).format('YYYY-MM-DD HH:mm:ss')} className="md-nowrap">
      {sec >= 0 ? t('common.in', { duration: formatDuration(sec) }) : t('common.ago', { duration: formatDuration(-sec) })}
    </span>
  )
}

/** A duration that keeps growing from a fixed point (head age, pending message age). */
export function LiveAge({ since }: { since: number }) {
  const now = useNow()
  return <span className="md-nowrap">{formatDuration(secondsSince(since, now))}</span>
}
