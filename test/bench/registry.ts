import { overviewBench } from './overview'
import { sectorsBench1m, sectorsBench200k } from './sectors'
import { simBench } from './sim'
import type { Bench } from './types'
import { restartBench } from './restart'
import { fleetBench } from './fleet'

/** Every bench `npm run bench` runs, in order. Each feature adds its own module here. */
export const BENCHES: Bench[] = [simBench, overviewBench, sectorsBench200k, sectorsBench1m, restartBench, fleetBench]
