import { toErrorInfo } from '../../../preload/contract'
import type { AuditLog } from '../audit/auditLog'
import { settingsChanges } from './changes'
import type { SettingsPlan, SettingsStore } from './store'

/**
 * Settings changes made through the contract (window, browser, CLI), audited like any change
 * that decides what runs on a site: `started` (old → new, secrets redacted) is on disk before
 * settings.json is written, then `ok` or `error`. A change the audit log cannot record is not made.
 */
export async function applyAudited(store: SettingsStore, audit: AuditLog, plan: SettingsPlan): Promise<void> {
  const changes = settingsChanges(plan.before, plan.after)
  const action = (kind: string) => (kind === 'changed' ? 'settings.change' : `settings.site-${kind}`)
  for (const c of changes) await audit.record({ site: c.site, action: action(c.kind), command: c.fields.join('; ') || c.kind, result: 'started' })
  try {
    store.apply(plan)
  } catch (err) {
    const e = toErrorInfo(err)
    for (const c of changes) await audit.record({ site: c.site, action: action(c.kind), command: c.fields.join('; ') || c.kind, result: 'error', detail: e.message }).catch(() => undefined)
    throw err
  }
  for (const c of changes) await audit.record({ site: c.site, action: action(c.kind), command: c.fields.join('; ') || c.kind, result: 'ok' })
}
