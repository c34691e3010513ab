import { Notification } from 'electron'
import type { Alert, Language } from '../../preload/contract'
import { alertText, translate } from '../core/i18n/translate'

/** Desktop notifications for new alerts (one per alert, or one summary when many arrive at once). */
export function notifyAlerts(alerts: Alert[], lang: Language, siteName: (id: string) => string, onClick: () => void): void {
  if (!Notification.isSupported() || alerts.length === 0) return
  if (alerts.length > 3) {
    const n = new Notification({ title: translate(lang, 'notifications.manyTitle', { n: alerts.length }), body: alerts.slice(0, 3).map((a) => alertText(lang, a, siteName(a.siteId))).join('\n') })
    n.on('click', () => onClick())
    n.show()
    return
  }
  for (const a of alerts) {
    const n = new Notification({ title: `MinerDesk · ${siteName(a.siteId)}`, body: translate(lang, `alerts.${a.kind}`, a.params), urgency: a.severity === 'critical' ? 'critical' : 'normal' })
    n.on('click', () => onClick())
    n.show()
  }
}
