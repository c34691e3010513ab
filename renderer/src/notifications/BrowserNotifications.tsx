import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { Finding } from '@contract'
import { selectAppInfo, selectNotificationsOn, useSettingsStore } from '@renderer/stores/settings'
import { useSitesStore } from '@renderer/stores/sites'
import { onNewFindings } from '@renderer/stores/overview'

const ASKED_KEY = 'minerdesk.notificationPermissionAsked'
/** More new findings than this at once become one summary notification (a site going down raises several). */
const MAX_SEPARATE = 3

/**
 * Browser host only: new findings (warning or worse) raise the page's own Notification — title and
 * cause — (in Electron the main process notifies). Permission is asked once, on the operator's
 * first click (browsers ignore requests that no gesture started).
 */
export function BrowserNotifications() {
  const { t } = useTranslation()
  const info = useSettingsStore(selectAppInfo)
  const enabled = useSettingsStore(selectNotificationsOn)
  const active = info?.host === 'web' && enabled && typeof Notification !== 'undefined'

  useEffect(() => {
    if (!active || Notification.permission !== 'default' || localStorage.getItem(ASKED_KEY)) return
    const ask = () => {
      localStorage.setItem(ASKED_KEY, new Date().toISOString())
      void Notification.requestPermission()
    }
    window.addEventListener('pointerdown', ask, { once: true })
    return () => window.removeEventListener('pointerdown', ask)
  }, [active])

  useEffect(() => {
    if (!active) return
    return onNewFindings((findings: Finding[]) => {
      if (Notification.permission !== 'granted' || findings.length === 0) return
      const names = new Map(useSitesStore.getState().sites.map((s) => [s.id, s.name]))
      const site = (f: Finding) => names.get(f.siteId) ?? f.siteId
      const title = (f: Finding) => String(t(f.title.key, f.title.params))
      if (findings.length > MAX_SEPARATE) {
        new Notification(t('notifications.manyTitle', { n: findings.length }), {
          body: findings.map((f) => `${site(f)}: ${title(f)}`).join('\n'),
          tag: 'minerdesk-findings'
        })
        return
      }
      for (const f of findings) new Notification(`MinerDesk · ${site(f)} · ${title(f)}`, { body: String(t(f.cause.key, f.cause.params)), tag: f.id })
    })
  }, [active, t])

  return null
}
