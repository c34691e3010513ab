import { overviewBench } from './overview'
import { sectorsBench } from './sectors'
import { simBench } from './sim'
import type { Bench } from './types'
import { restartBench } from './restart'

/** Every bench `npm run bench` runs, in order. Each feature adds its own module here. */
export const BENCHES: Bench[] = [simBench, overviewBench, sectorsBench, restartBench]
