import { MINER_USER_VERSION } from '../miner/version'
import { runApp, type App } from './lotusMiner/cmd'
import { infoCmd } from './lotusMiner/info'
import { authCmd, runCmd, stopCmd, versionCmd, waitApiCmd } from './lotusMiner/misc'
import { provingCmd } from './lotusMiner/proving'
import { sealingCmd } from './lotusMiner/sealing'
import { sectorsCmd } from './lotusMiner/sectors'
import { storageCmd } from './lotusMiner/storage'

/**
 * The simulated `lotus-miner` (cmd/lotus-miner, cli/miner): `run` starts the miner process;
 * every other command talks to it (and to the full node) over JSON-RPC and prints what Lotus
 * prints.
 */
export const LOTUS_MINER_APP: App = {
  name: 'lotus-miner',
  usage: 'Filecoin decentralized storage network miner',
  version: MINER_USER_VERSION,
  flags: [
    { names: ['actor', 'a'], kind: 'string', usage: 'specify other actor to query / manipulate' },
    { names: ['color'], kind: 'bool', usage: 'use color in display output', defaultText: 'depends on output being a TTY' },
    { names: ['panic-reports'], kind: 'string', usage: '', env: ['LOTUS_PANIC_REPORT_PATH'], hidden: true, default: '~/.lotusminer' },
    { names: ['repo'], kind: 'string', usage: '', env: ['LOTUS_PATH'], hidden: true, default: '~/.lotus' },
    {
      names: ['miner-repo', 'storagerepo'],
      kind: 'string',
      usage: 'Specify miner repo path. flag(storagerepo) and env(LOTUS_STORAGE_PATH) are DEPRECATION, will REMOVE SOON',
      env: ['LOTUS_MINER_PATH', 'LOTUS_STORAGE_PATH'],
      default: '~/.lotusminer'
    },
    { names: ['vv'], kind: 'bool', usage: 'enables very verbose mode, useful for debugging the CLI', default: false }
  ],
  subcommands: [runCmd, stopCmd, versionCmd, infoCmd, authCmd, waitApiCmd, sectorsCmd, provingCmd, storageCmd, sealingCmd]
}

export async function lotusMinerCli(argv: string[]): Promise<number> {
  return runApp(LOTUS_MINER_APP, argv)
}
