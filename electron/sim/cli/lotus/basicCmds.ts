import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { VersionInfo } from '../../../../preload/contract/lotus/types'
import { CliExit } from '../../common/cliOutput'
import { PERMISSIONS } from '../../common/jwt'
import { repoPath } from '../../common/repo'
import { RpcTransportError } from '../../common/rpcClient'
import { runDaemon } from '../../daemon/daemon'
import { apiVersionLine, NODE_USER_VERSION } from '../../daemon/version'
import { fullNodeClient, translateError } from './client'
import { parseGoDuration, type Command } from './framework'

/** `lotus daemon [stop]`, `lotus version`, `lotus auth …`, `lotus wait-api`. */

type Repo = () => string | undefined

export function daemonCommand(repo: Repo): Command {
  return {
    name: 'daemon',
    usage: 'Start a lotus daemon process',
    flags: [
      { names: ['api'], kind: 'string', usage: '', defaultText: '"1234"' },
      { names: ['genesis'], kind: 'string', usage: 'genesis file to use for first node run, which may be a zstd compressed CAR or an uncompressed CAR file.' },
      { names: ['bootstrap'], kind: 'bool', default: true, usage: '', defaultText: 'true' },
      { names: ['import-chain'], kind: 'string', usage: 'on first run, load chain from given file or url and validate' },
      { names: ['import-snapshot'], kind: 'string', usage: 'import chain state from a given chain export file or url' },
      { names: ['remove-existing-chain'], kind: 'bool', usage: 'remove existing chain and splitstore data on a snapshot-import' },
      { names: ['halt-after-import'], kind: 'bool', usage: 'halt the process after importing chain from file' },
      { names: ['lite'], kind: 'bool', usage: 'start lotus in lite mode' },
      { names: ['pprof'], kind: 'string', usage: 'specify name of file for writing cpu profile to' },
      { names: ['profile'], kind: 'string', usage: 'specify type of node' },
      { names: ['manage-fdlimit'], kind: 'bool', default: true, usage: 'manage open file limit', defaultText: 'true' },
      { names: ['config'], kind: 'string', usage: 'specify path of config file to use' },
      { names: ['api-max-req-size'], kind: 'string', type: 'int', usage: 'maximum API request size accepted by the JSON RPC server', defaultText: '0' },
      { names: ['restore'], kind: 'string', usage: 'restore from backup file' },
      { names: ['restore-config'], kind: 'string', usage: 'config file to use when restoring from backup' }
    ],
    subcommands: [
      {
        name: 'stop',
        usage: 'Stop a running lotus daemon',
        action: async () => {
          await fullNodeClient(repo()).call('Shutdown')
        }
      }
    ],
    action: (ctx) => runDaemon(ctx.flags, ctx.argv, repo())
  }
}

export function versionCommand(repo: Repo): Command {
  return {
    name: 'version',
    usage: 'Print version',
    action: async () => {
      const v = await fullNodeClient(repo()).call<VersionInfo>('Version')
      process.stdout.write(`Daemon:  ${apiVersionLine(v.Version, v.APIVersion)}\n`)
      process.stdout.write(`Local: lotus version ${NODE_USER_VERSION}\n`)
    }
  }
}

function permIndex(perm: string): number {
  return (PERMISSIONS as readonly string[]).indexOf(perm) + 1
}

/** The API address as GetAPIInfo finds it: FULLNODE_API_INFO's, else the repo's `api` file. */
function apiAddr(repo: string | undefined): string {
  const env = process.env.FULLNODE_API_INFO
  if (env) {
    const first = env.split(',')[0] as string
    if (first.startsWith('/')) return first
    const i = first.indexOf(':')
    return i >= 0 && !first.slice(i + 1).startsWith('//') ? first.slice(i + 1) : first
  }
  const file = join(repo ?? repoPath('full'), 'api')
  if (!existsSync(file)) throw new CliExit(1, 'could not get API info for FullNode: could not get api endpoint: API not running (no endpoint)')
  return readFileSync(file, 'utf8').trim()
}

export function authCommand(repo: Repo): Command {
  const permFlag = { names: ['perm'], kind: 'string' as const, usage: 'permission to assign to the token, one of: read, write, sign, admin' }
  const newToken = async (perm: string | boolean | undefined, notSet: string): Promise<string> => {
    const api = fullNodeClient(repo())
    if (perm === undefined) throw new CliExit(1, notSet)
    const idx = permIndex(String(perm))
    if (idx === 0) throw new CliExit(1, `--perm flag has to be one of: [${PERMISSIONS.join(' ')}]`)
    const b64 = await api.call<string>('AuthNew', [PERMISSIONS.slice(0, idx)])
    return Buffer.from(b64, 'base64').toString('utf8')
  }
  return {
    name: 'auth',
    usage: 'Manage RPC permissions',
    category: 'DEVELOPER',
    subcommands: [
      {
        name: 'create-token',
        usage: 'Create token',
        flags: [permFlag],
        action: async (ctx) => {
          process.stdout.write(`${await newToken(ctx.isSet('perm') ? ctx.flags.perm : undefined, '--perm flag not set')}\n`)
        }
      },
      {
        name: 'api-info',
        usage: 'Get token with API info required to connect to this node',
        flags: [permFlag],
        action: async (ctx) => {
          const token = await newToken(ctx.isSet('perm') ? ctx.flags.perm : undefined, '--perm flag not set, use with one of: read, write, sign, admin')
          process.stdout.write(`FULLNODE_API_INFO=${token}:${apiAddr(repo())}\n`)
        }
      }
    ]
  }
}

export function waitApiCommand(repo: Repo): Command {
  return {
    name: 'wait-api',
    usage: 'Wait for lotus api to come online',
    category: 'DEVELOPER',
    flags: [{ names: ['timeout'], kind: 'string', type: 'duration', usage: 'duration to wait till fail', defaultText: '30s', default: '30s' }],
    action: async (ctx) => {
      const deadline = Date.now() + parseGoDuration(String(ctx.flags.timeout))
      while (Date.now() < deadline) {
        let api: ReturnType<typeof fullNodeClient>
        try {
          api = fullNodeClient(repo())
          await api.call<VersionInfo>('Version')
          return
        } catch (e) {
          // Lotus dials when it gets the API, so an unreachable daemon is "not online yet" too.
          const offline = e instanceof CliExit && (/could not get API info|cannot dial address/.test(e.message) || e instanceof RpcTransportError)
          if (!offline) throw e instanceof CliExit ? e : translateError({ host: '', port: 0, token: null, path: '' }, e)
          process.stdout.write(`Not online yet... (${e.message})\n`)
          await new Promise((r) => setTimeout(r, 1000))
        }
      }
      throw new CliExit(1, 'timed out waiting for api to come online')
    }
  }
}
