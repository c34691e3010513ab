import type { FindingRule } from './finding'
import { commitFailed } from './kinds/commitFailed'
import { daemonDown } from './kinds/daemonDown'
import { jobUncollected } from './kinds/jobUncollected'
import { lateBlock } from './kinds/lateBlock'
import { messageStuck } from './kinds/messageStuck'
import { minerDown } from './kinds/minerDown'
import { provingCheck } from './kinds/provingCheck'
import { retryLoop } from './kinds/retryLoop'
import { sectorError } from './kinds/sectorError'
import { sectorsFaulty } from './kinds/sectorsFaulty'
import { sectorStuck } from './kinds/sectorStuck'
import { siteUnreachable } from './kinds/siteUnreachable'
import { stageOverdue } from './kinds/stageOverdue'
import { syncBehind } from './kinds/syncBehind'
import { syncError } from './kinds/syncError'
import { wdpostSlow } from './kinds/wdpostSlow'
import { workerDown } from './kinds/workerDown'
import { workerLostMiner } from './kinds/workerLostMiner'

/**
 * Every finding kind, most fundamental cause first: a finding claims the subjects it explains
 * (its related jobs and sectors, or whole kinds of subjects), and later rules leave those out —
 * a dead worker is one finding, not one per job. A new kind is one file in ./kinds, listed here.
 */
export const RULES: readonly FindingRule[] = [
  siteUnreachable,
  daemonDown,
  minerDown,
  syncError,
  syncBehind,
  workerDown,
  jobUncollected,
  commitFailed,
  retryLoop,
  sectorError,
  sectorStuck,
  stageOverdue,
  sectorsFaulty,
  provingCheck,
  wdpostSlow,
  lateBlock,
  workerLostMiner,
  messageStuck
]
