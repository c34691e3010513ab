import { call } from '@renderer/api'

/** Reads the site's logs again now (a finding's `read-logs` remedy). */
export const readSiteLogs = call('health', 'readLogs')
