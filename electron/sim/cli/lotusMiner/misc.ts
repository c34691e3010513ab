import type { VersionInfo } from '../../../../preload/contract/lotus/types'
import { runMiner } from '../../miner/run'
import { MINER_USER_VERSION, versionLine } from '../../miner/version'
import { apiInfo, repoFor } from './clients'
import type { Command, Ctx } from './cmd'
import { minerApi } from './common'

/** `lotus-miner run | stop | version | auth | wait-api`. */

export const runCmd: Command = {
  name: 'run',
  usage: 'Start a lotus miner process',
  flags: [
    { names: ['miner-api'], kind: 'string', usage: '2345' },
    { names: ['enable-gpu-proving'], kind: 'bool', usage: 'enable use of GPU for mining operations', default: true },
    { names: ['nosync'], kind: 'bool', usage: "don't check full-node sync status", default: false },
    { names: ['manage-fdlimit'], kind: 'bool', usage: 'manage open file limit', default: true }
  ],
  action: async (ctx) => {
    if (ctx.flags['enable-gpu-proving'] === false) process.env.BELLMAN_NO_GPU = 'true'
    return runMiner({
      minerApi: ctx.isSet('miner-api') ? String(ctx.flags['miner-api']) : undefined,
      nosync: ctx.flags.nosync === true,
      minerRepo: repoFor('miner', String(ctx.global['miner-repo'] ?? '')),
      fullRepoFlag: String(ctx.global.repo ?? ''),
      argv: process.argv.slice(process.argv.indexOf('run') + 1)
    })
  }
}

export const stopCmd: Command = {
  name: 'stop',
  usage: 'Stop a running lotus miner',
  action: async (ctx) => {
    await minerApi(ctx).call('Shutdown')
  }
}

export const versionCmd: Command = {
  name: 'version',
  usage: 'Print version',
  action: async (ctx) => {
    const v = await minerApi(ctx).call<VersionInfo>('Version')
    ctx.out(`Daemon:  ${versionLine(v.Version, v.APIVersion)}`)
    ctx.out(`Local: lotus-miner version ${MINER_USER_VERSION}`)
  }
}

const PERMS = ['read', 'write', 'sign', 'admin']
const permFlag = { names: ['perm'], kind: 'string' as const, usage: 'permission to assign to the token, one of: read, write, sign, admin' }

async function newToken(ctx: Ctx, notSet: string): Promise<string> {
  const api = minerApi(ctx)
  if (!ctx.isSet('perm')) throw new Error(notSet)
  const idx = PERMS.indexOf(String(ctx.flags.perm)) + 1
  if (idx === 0) throw new Error(`--perm flag has to be one of: [${PERMS.join(' ')}]`)
  const b64 = await api.call<string>('AuthNew', [PERMS.slice(0, idx)])
  return Buffer.from(b64, 'base64').toString()
}

export const authCmd: Command = {
  name: 'auth',
  usage: 'Manage RPC permissions',
  category: 'DEVELOPER',
  subcommands: [
    {
      name: 'create-token',
      usage: 'Create token',
      flags: [permFlag],
      action: async (ctx) => {
        ctx.out(await newToken(ctx, '--perm flag not set'))
      }
    },
    {
      name: 'api-info',
      usage: 'Get token with API info required to connect to this node',
      flags: [permFlag],
      action: async (ctx) => {
        const token = await newToken(ctx, '--perm flag not set, use with one of: read, write, sign, admin')
        let addr: string
        try {
          addr = apiInfo('miner', String(ctx.global['miner-repo'] ?? '')).addr
        } catch (e) {
          throw new Error(`could not get API info for StorageMiner: ${(e as Error).message}`)
        }
        ctx.out(`MINER_API_INFO=${token}:${addr}`)
      }
    }
  ]
}

export const waitApiCmd: Command = {
  name: 'wait-api',
  usage: 'Wait for lotus api to come online',
  category: 'DEVELOPER',
  flags: [{ names: ['timeout'], kind: 'string', usage: 'duration to wait till fail', default: '30s', defaultText: '30s' }],
  action: async (ctx) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(ctx.flags.timeout))
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
    const limit = m ? Number(m[1]) * (unit[m[2] as string] as number) : 30_000
    const t0 = Date.now()
    for (;;) {
      try {
        await minerApi(ctx).call('Version')
        return
      } catch (e) {
        ctx.out(`Not online yet... (${(e as Error).message})`)
      }
      if (Date.now() - t0 > limit) throw new Error('timed out waiting for api to come online')
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
}
