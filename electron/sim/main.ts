/**
 * The simulator's one entry point (bundled to out/node/sim.cjs, and to out/main/sim.js inside the
 * packaged app). The per-site shims `lotus`, `lotus-miner` and `lotus-worker` call it with the
 * program name first; `npm run sim -- up|down|…` calls it with a front-end command.
 */
import { lotusCli } from './cli/lotus'
import { lotusMinerCli } from './cli/lotusMiner'
import { lotusWorkerCli } from './cli/lotusWorker'
import { simFrontCli } from './front/cli'
import { closeRpcClients } from './common/rpcClient'

const PROGRAMS: Record<string, (argv: string[]) => Promise<number>> = {
  lotus: lotusCli,
  'lotus-miner': lotusMinerCli,
  'lotus-worker': lotusWorkerCli
}

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2)
  const program = first !== undefined ? PROGRAMS[first] : undefined
  const code = program ? await program(rest) : await simFrontCli(process.argv.slice(2))
  // Long-running processes (daemon, miner, worker) never return from their CLI function;
  // short commands exit here without waiting for kept-alive sockets.
  closeRpcClients()
  process.exit(code)
}

void main()
