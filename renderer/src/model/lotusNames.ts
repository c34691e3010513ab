import { METHOD_SEND, minerMethodName } from '@contract'

/**
 * Lotus names shown as Lotus prints them (never translated): a message's method, and the order
 * sealing tasks are listed in.
 */
/**
 * A message's method as the operator knows it. Method numbers only mean something per actor:
 * names are given for messages to the site's own miner actor, and 0 is always a plain Send.
 */
export function methodName(method: number, to: string, minerActor: string | undefined): string | null {
  if (method === METHOD_SEND) return 'Send'
  if (minerActor && sameActor(to, minerActor)) return minerMethodName(method)
  return null
}

/** f01234 and t01234 name the same actor (mainnet vs test network prefix). */
function sameActor(a: string, b: string): boolean {
  return a.slice(1) === b.slice(1)
}

/** Sealing tasks in pipeline order, then the rest (short names as `lotus-miner sealing jobs` prints them). */
export const TASK_ORDER = ['AP', 'PC1', 'PC2', 'C1', 'C2', 'FIN', 'GET', 'FUS', 'UNS', 'DC', 'RU', 'PR1', 'PR2', 'GSK', 'FRU', 'DL', 'WDP', 'WNP', 'UNK']

export function compareTasks(a: string, b: string): number {
  const ia = TASK_ORDER.indexOf(a)
  const ib = TASK_ORDER.indexOf(b)
  return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || a.localeCompare(b)
}

/** `sealing jobs` State column: `assigned(N)` carries the scheduler position (RunWait − 1). */
export function jobStateLabel(state: string, runWait: number): string {
  return state === 'assigned' ? `assigned(${Math.max(1, runWait - 1)})` : state
}
