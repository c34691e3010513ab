import { call } from '@renderer/api'

/** The audit log as main reads it (newest first, filtered by site and date range, bounded). */
export const listAudit = call('audit', 'list')
