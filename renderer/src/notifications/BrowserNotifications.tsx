import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { getApi } from '@renderer/api'
import type { Alert } from '@contract'
import { alertText } from '@renderer/model/alertText'
import { selectAppInfo, selectNotificationsOn, useSettingsStore } from '@renderer/stores/settings'
import { useSitesStore } from '@renderer/stores/sites'

const ASKED_KEY = 'minerdesk.notificationPermissionAsked'
/** More new alerts than this at once become one summary notification (a site going down raises several). */
const MAX_SEPARATE = 3

/**
 * Browser host only: new alerts raise the page's own Notification (in Electron the main process
 * notifies). Permission is asked once, on the operator's first click (browsers ignore requests
 * that no gesture started).
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
    return getApi().events.onAlertsNew((alerts: Alert[]) => {
      if (Notification.permission !== 'granted' || alerts.length === 0) return
      const names = new Map(useSitesStore.getState().sites.map((s) => [s.id, s.name]))
      const site = (a: Alert) => names.get(a.siteId) ?? a.siteId
      if (alerts.length > MAX_SEPARATE) {
        new Notification(t('notifications.manyTitle', { n: alerts.length }), {
          body: alerts.map((a) => `${site(a)}: ${alertText(t, a)}`).join('\n'),
          tag: 'minerdesk-alerts'
        })
        return
      }
      for (const a of alerts) new Notification(`MinerDesk · ${site(a)}`, { body: alertText(t, a), tag: a.key })
    })
  }, [active, t])

  return null
}
