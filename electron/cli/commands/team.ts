import type { Command } from 'commander'
import type { SiteAuditEntry, SiteLock } from '../../../preload/contract'
import { renderTable } from '../../core/util/textTable'
import { action, call, cliCore, EXIT, globals, previewThenRun, printJson, siteOf } from '../host'

/**
 * Several operators on one site: `site-lock SITE` says who restarts it now (the lock on the site
 * host), `--break` breaks a lock whose holder is gone (previewed, audited); `site-log SITE` shows
 * what every operator's MinerDesk did there (the site's own ~/.minerdesk/audit.log).
 */
const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19)

function lockText(l: SiteLock | null): string {
  if (!l) return 'free: nobody is restarting the site\n'
  const beat = Math.round((Date.now() - l.heartbeat) / 1000)
  return `held by ${l.operator} on ${l.machine} (pid ${l.pid}, via ${l.via || '?'}, run ${l.run}) since ${time(l.since)} UTC; heartbeat ${beat}s ago${l.stale ? ' (STALE: its holder stopped; it can be broken with --break)' : ''}${l.mine ? ' (this process)' : ''}\n`
}

function logTable(entries: readonly SiteAuditEntry[]): string {
  return renderTable(entries, [
    { header: 'TIME', value: (e) => e.time.replace('T', ' ').slice(0, 19) },
    { header: 'OPERATOR', value: (e) => `${e.operator}${e.mine ? ' (you)' : ''}` },
    { header: 'MACHINE', value: (e) => e.machine },
    { header: 'VIA', value: (e) => e.via },
    { header: 'ACTION', value: (e) => e.action },
    { header: 'RESULT', value: (e) => e.result },
    { header: 'COMMAND', value: (e) => e.command.slice(0, 120) }
  ])
}

export function registerTeamCommands(program: Command): void {
  program
    .command('site-lock <site>')
    .description("who is restarting the site now (the restart lock on the site host); --break breaks a lock whose holder stopped")
    .option('--break', 'break the lock when its heartbeat stopped (previewed; runs with --yes; audited)')
    .option('--yes', 'with --break: do it')
    .action(
      action(async (cmd, [name]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const site = await siteOf(core, name)
        if (cmd.opts<{ break?: boolean }>().break) {
          const preview = await call(core, 'team:previewBreakLock', site.id)
          return previewThenRun(core, cmd, preview)
        }
        const state = await call(core, 'team:site', site.id)
        if (state.error) throw new Error(state.error)
        if (o.json) printJson({ site: site.id, lock: state.lock })
        else process.stdout.write(`${site.id}: ${lockText(state.lock)}`)
        return EXIT.ok
      })
    )

  program
    .command('site-log <site>')
    .description("what every operator's MinerDesk did on the site, newest first (the site host's ~/.minerdesk/audit.log)")
    .option('--others', 'only what other operators (or other machines) did')
    .action(
      action(async (cmd, [name]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const site = await siteOf(core, name)
        const state = await call(core, 'team:site', site.id)
        if (state.error) throw new Error(state.error)
        const entries = cmd.opts<{ others?: boolean }>().others ? state.recent.filter((e) => !e.mine) : state.recent
        if (o.json) printJson({ site: site.id, lock: state.lock, entries })
        else {
          process.stdout.write(`${site.id}: ${lockText(state.lock)}`)
          process.stdout.write(entries.length ? `${logTable(entries)}\n` : 'No actions recorded on the site yet.\n')
        }
        return EXIT.ok
      })
    )
}
