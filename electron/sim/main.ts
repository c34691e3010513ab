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

/**
 * Resolves once everything written to the stream has been handed to the OS. Node writes to a pipe
 * or socket without blocking (ssh gives commands a socket), and process.exit() drops what is
 * still queued: a long `sectors list` would end at whatever the first write got through.
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve()
  return new Promise((resolve) => stream.write('', () => resolve()))
}

async function main(): Promise<void> {
  // `lotus-miner sectors list | head`: a Go program dies of SIGPIPE quietly (status 141 in the shell).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141)
  })
  const [first, ...rest] = process.argv.slice(2)
  const program = first !== undefined ? PROGRAMS[first] : undefined
  const code = program ? await program(rest) : await simFrontCli(process.argv.slice(2))
  // Long-running processes (daemon, miner, worker) never return from their CLI function;
  // short commands exit here without waiting for kept-alive sockets.
  closeRpcClients()
  await Promise.all([drained(process.stdout), drained(process.stderr)])
  process.exit(code)
}

void main()
