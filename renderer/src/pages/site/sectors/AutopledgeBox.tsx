import { Button, InputNumber, Popover, Space } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { onAutopledge, previewAutopledge, readAutopledge, stopAutopledge } from './sectorsStore'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { useReportError } from '@renderer/components/useReportError'
import type { AutopledgeState, SiteConfig } from '@contract'
import { formatAge, secondsSince } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'
import type { MutationRequest } from '@renderer/ops/MutationDialog'
import { Rich } from '@renderer/components/Rich'

/**
 * autopledge.sh as a switch with its state in view: off by default; started through a preview
 * (keep N sealing, check every S seconds); while it runs, what it last decided; stoppable.
 */
export function AutopledgeBox({ site, onStart }: { site: SiteConfig; onStart: (r: MutationRequest) => void }) {
  const { t } = useTranslation()
  const report = useReportError()
  const now = useNow()
  const [state, setState] = useState<AutopledgeState | null>(null)
  const [target, setTarget] = useState(4)
  const [interval, setIntervalSec] = useState(60)
  const [formOpen, setFormOpen] = useState(false)
  const [stopping, setStopping] = useState(false)

  useEffect(() => {
    let live = true
    readAutopledge(site.id).then(
      (list) => live && setState(list[0] ?? null),
      () => undefined
    )
    const off = onAutopledge((s) => {
      if (s.siteId === site.id) setState(s)
    })
    return () => {
      live = false
      off()
    }
  }, [site.id])

  const stop = async () => {
    setStopping(true)
    try {
      setState(await stopAutopledge(site.id))
    } catch (err) {
      report(asMinerDeskError(err))
    } finally {
      setStopping(false)
    }
  }

  const running = state?.running === true
  const last = state?.last
  return (
    <span className="md-autopledge" data-testid="autopledge" data-running={String(running)}>
      <span className="md-mono">autopledge</span>
      {running ? (
        <>
          <StatusText tone="busy" strong>
            {t('sectors.autopledge.running')}
          </StatusText>
          <span>{t('sectors.autopledge.summary', { target: state.target, interval: state.intervalSec, pledged: state.pledged })}</span>
          {last && (
            <span className="md-muted" data-testid="autopledge-last" data-decision={last.decision}>
              {t(`sectors.autopledge.decision.${last.decision}`, { sector: last.sector ?? '', sealing: last.sealing, message: last.message ?? '' })} · {t('sectors.autopledge.ago', { ago: formatAge(secondsSince(last.at, now)) })}
            </span>
          )}
          <Button size="small" danger loading={stopping} onClick={() => void stop()} data-testid="autopledge-stop">
            {t('sectors.autopledge.stop')}
          </Button>
        </>
      ) : (
        <>
          <StatusText tone="unknown">{t('sectors.autopledge.off')}</StatusText>
          {state?.stopReason && <span className="md-muted" data-testid="autopledge-stopped">{t(`sectors.autopledge.stopped.${state.stopReason}`, { pledged: state.pledged })}</span>}
          <Popover
            open={formOpen}
            onOpenChange={setFormOpen}
            trigger="click"
            placement="bottomRight"
            title={<Rich text={t('sectors.autopledge.title')} />}
            content={
              <div className="md-stack" style={{ width: 280 }}>
                <span className="md-muted">{t('sectors.autopledge.explain')}</span>
                <Space>
                  <span>{t('sectors.autopledge.target')}</span>
                  <InputNumber min={1} max={1000} value={target} onChange={(v) => setTarget(v ?? 1)} data-testid="autopledge-target" />
                </Space>
                <Space>
                  <span>{t('sectors.autopledge.interval')}</span>
                  <InputNumber min={10} max={86400} value={interval} onChange={(v) => setIntervalSec(v ?? 60)} data-testid="autopledge-interval" />
                  <Mono>s</Mono>
                </Space>
                <Button
                  type="primary"
                  onClick={() => {
                    setFormOpen(false)
                    onStart({ title: <Rich text={t('sectors.autopledge.title')} />, make: () => previewAutopledge(site.id, { target, intervalSec: interval }) })
                  }}
                  data-testid="autopledge-preview"
                >
                  {t('sectors.autopledge.preview')}
                </Button>
              </div>
            }
          >
            <Button size="small" data-testid="autopledge-start">
              {t('sectors.autopledge.start')}
            </Button>
          </Popover>
        </>
      )}
    </span>
  )
}
