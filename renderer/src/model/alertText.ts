import type { TFunction } from 'i18next'
import type { Alert } from '@contract'

/** `alerts.<kind>` with the alert's params (resources/locales; the main process uses the same keys). */
export function alertText(t: TFunction, alert: Alert): string {
  return t(`alerts.${alert.kind}`, { ...alert.params, defaultValue: alert.kind })
}
