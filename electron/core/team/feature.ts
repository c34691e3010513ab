import { MinerDeskError, type teamChannels } from '../../../preload/contract'
import type { ServiceContext } from '../runtime/context'
import type { Feature } from '../runtime/feature'
import { buildCommandLine } from '../../common/shellQuote'
import { holderText, lockCommand } from './siteLock'
import type { TeamService } from './service'

/** The team channels: a site's lock and recent actions by everyone, and breaking a stale lock. */
export function createTeamFeature(ctx: ServiceContext, team: TeamService): Feature<keyof typeof teamChannels> {
  return {
    handlers: {
      'team:site': async ([siteId]) => {
        ctx.sites.get(siteId)
        return team.read(siteId)
      },
      'team:locks': async () => team.known(),
      'team:previewBreakLock': async ([siteId]) => {
        const handle = ctx.sites.get(siteId)
        team.assertWritable(siteId, 'breaking the restart lock')
        const lock = await team.lockStatus(siteId)
        if (!lock) throw new MinerDeskError({ code: 'not-found', message: `${siteId}: nobody holds the restart lock`, hint: 'nothing to break' })
        if (lock.mine) throw new MinerDeskError({ code: 'mutation/refused', message: `${siteId}: the restart lock is this MinerDesk's own`, hint: 'finish or abort that restart instead' })
        if (!lock.stale) {
          throw new MinerDeskError({
            code: 'mutation/refused',
            message: `${siteId}: the restart lock is alive: held by ${holderText(lock)}, heartbeat ${Math.round((Date.now() - lock.heartbeat) / 1000)} s ago`,
            hint: 'only a lock whose heartbeat stopped minutes ago can be broken; ask its operator',
            params: { operator: lock.operator, machine: lock.machine, since: lock.since }
          })
        }
        return ctx.ops.preview({
          site: siteId,
          action: 'restart.break-lock',
          params: { operator: lock.operator, machine: lock.machine, since: lock.since, heartbeat: lock.heartbeat },
          steps: [{ kind: 'command', host: handle.config.alias, text: buildCommandLine(lockCommand('break', lock.run)) }],
          warnings: [{ key: 'break-lock', params: { holder: holderText(lock), heartbeat: new Date(lock.heartbeat).toISOString().slice(0, 19).replace('T', ' ') }, text: `the lock of ${holderText(lock)} has had no heartbeat since ${new Date(lock.heartbeat).toISOString()}: break it only if that MinerDesk is really gone` }],
          typeToConfirm: siteId,
          execute: async (steps) => {
            await steps.run(0, async () => `${await team.breakLock(siteId, lock.run)}: was held by ${holderText(lock)}`)
          }
        })
      }
    }
  }
}
