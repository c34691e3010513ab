import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { Until } from '@renderer/components/Ago'
import { formatInt } from '@renderer/model/format'

/**
 * "#17 · 1,234 sectors · 14:30 (in 12m)": the next deadline that has sectors to prove. `compact`
 * (the Overview card) keeps index, the countdown and the sector count, the rest goes to the tooltip.
 */
export function NextDeadline({ next, compact }: { next: { index: number; openAt: number; sectors: number }; compact?: boolean }) {
  const { t, i18n } = useTranslation()
  if (compact) {
    const full = t('proving.nextFull', { index: next.index, n: formatInt(next.sectors, i18n.language), time: dayjs(next.openAt).format('HH:mm:ss') })
    return (
      <span className="md-nowrap" title={full}>
        <Mono>#{next.index}</Mono> <Until at={next.openAt} /> <span className="md-muted">·</span> {t('proving.sectorsN', { n: formatInt(next.sectors, i18n.language), count: next.sectors })}
      </span>
    )
  }
  return (
    <span className="md-nowrap" title={dayjs(next.openAt).format('YYYY-MM-DD HH:mm:ss')}>
      <Mono>#{next.index}</Mono> · {t('proving.sectorsN', { n: formatInt(next.sectors, i18n.language), count: next.sectors })} · <Mono>{dayjs(next.openAt).format('HH:mm')}</Mono>{' '}
      <span className="md-muted">
        (<Until at={next.openAt} />)
      </span>
    </span>
  )
}
