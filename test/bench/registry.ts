import { overviewBench } from './overview'
import { sectorsBench1m, sectorsBench200k } from './sectors'
import { simBench } from './sim'
import type { Bench } from './types'
import { restartBench } from './restart'
import { fleetBench } from './fleet'
import { demoSoakBench } from './demoSoak'

/** Every bench `npm run bench` runs, in order (demo-soak only with --only). Each feature adds its own module here. */
export const BENCHES: Bench[] = [simBench, overviewBench, sectorsBench200k, sectorsBench1m, restartBench, fleetBench, demoSoakBench]
