/** Sealing task types (storage/sealer/sealtasks/task.go) and their short names. */
export const TASK_TYPES = {
  'seal/v0/datacid': 'DC',
  'seal/v0/addpiece': 'AP',
  'seal/v0/precommit/1': 'PC1',
  'seal/v0/precommit/2': 'PC2',
  'seal/v0/commit/1': 'C1',
  'seal/v0/commit/2': 'C2',
  'seal/v0/finalize': 'FIN',
  'seal/v0/finalizeunsealed': 'FUS',
  'seal/v0/fetch': 'GET',
  'seal/v0/unseal': 'UNS',
  'seal/v0/replicaupdate': 'RU',
  'seal/v0/provereplicaupdate/1': 'PR1',
  'seal/v0/provereplicaupdate/2': 'PR2',
  'seal/v0/regensectorkey': 'GSK',
  'seal/v0/finalize/replicaupdate': 'FRU',
  'seal/v0/download/sector': 'DL',
  'post/v0/windowproof': 'WDP',
  'post/v0/winningproof': 'WNP'
} as const

export type TaskType = keyof typeof TASK_TYPES
export type TaskShort = (typeof TASK_TYPES)[TaskType] | 'UNK'

const BY_SHORT = new Map(Object.entries(TASK_TYPES).map(([t, s]) => [s as string, t as TaskType]))

export function taskShort(taskType: string): TaskShort {
  return (TASK_TYPES as Record<string, TaskShort>)[taskType] ?? 'UNK'
}

export function taskTypeOf(short: string): TaskType | null {
  return BY_SHORT.get(short.toUpperCase()) ?? null
}

/** Scheduler priority (lower runs first). */
export const TASK_PRIORITY: Record<TaskShort, number> = {
  WNP: -6, WDP: -5, FUS: -4, FIN: -3, DL: -2, GET: -1, FRU: 0, UNS: 1, C1: 2, C2: 3, PC2: 4, PC1: 5, PR1: 6,
  PR2: 7, RU: 8, AP: 9, DC: 10, GSK: 11, UNK: 100
}

/** `sealing jobs` State column from RunWait (storiface/worker.go). */
export function jobStateLabel(runWait: number): string {
  if (runWait >= 2) return `assigned(${runWait - 1})`
  switch (runWait) {
    case 1:
      return 'prepared'
    case 0:
      return 'running'
    case -1:
      return 'ret-wait'
    case -2:
      return 'returned'
    case -3:
      return 'ret-done'
    default:
      return `unknown(${runWait})`
  }
}

export type JobStateName = 'running' | 'prepared' | 'assigned' | 'ret-wait' | 'returned' | 'ret-done'
export function jobState(runWait: number): JobStateName {
  if (runWait >= 2) return 'assigned'
  if (runWait === 1) return 'prepared'
  if (runWait === 0) return 'running'
  if (runWait === -1) return 'ret-wait'
  if (runWait === -2) return 'returned'
  return 'ret-done'
}
