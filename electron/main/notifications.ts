import { Notification } from 'electron'
import type { Finding, Language } from '../../preload/contract'
import { findingLine, translate } from '../core/i18n/translate'

/** Desktop notifications for new findings: title and cause, one per finding, or one summary when many arrive at once. */
export function notifyFindings(findings: Finding[], lang: Language, siteName: (id: string) => string, onClick: () => void): void {
  if (!Notification.isSupported() || findings.length === 0) return
  if (findings.length > 3) {
    const n = new Notification({ title: translate(lang, 'notifications.manyTitle', { n: findings.length }), body: findings.slice(0, 3).map((f) => findingLine(lang, f, siteName(f.siteId))).join('\n') })
    n.on('click', () => onClick())
    n.show()
    return
  }
  for (const f of findings) {
    const n = new Notification({
      title: `MinerDesk · ${siteName(f.siteId)} · ${translate(lang, f.title.key, f.title.params)}`,
      body: translate(lang, f.cause.key, f.cause.params),
      urgency: f.severity === 'critical' ? 'critical' : 'normal'
    })
    n.on('click', () => onClick())
    n.show()
  }
}
