import { overviewBench } from './overview'
import { sectorsBench } from './sectors'
import { simBench } from './sim'
import type { Bench } from './types'
import { restartBench } from './restart'
import { demoSoakBench } from './demoSoak'

/** Every bench `npm run bench` runs, in order (demo-soak only with --only). Each feature adds its own module here. */
export const BENCHES: Bench[] = [simBench, overviewBench, sectorsBench, restartBench, demoSoakBench]
