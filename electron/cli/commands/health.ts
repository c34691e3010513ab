import type { Command } from 'commander'
import type { LogReadReport } from '../../../preload/contract'
import { action, call, cliCore, cliLanguage, EXIT, globals, printJson, siteOf } from '../host'
import { findingLines } from '../findingsText'
import { translate } from '../../core/i18n/translate'

/**
 * `minerdesk findings [SITE…]`: what the health model judges about each site — the same findings
 * the Overview and notifications show — with cause, consequence, remedies and the command that
 * applies each. `--logs` first reads the miner's and workers' logs over SSH for what only logs
 * reveal. Exit 1 when a site cannot be reached or has a critical finding.
 */

export function registerHealthCommands(program: Command): void {
  program
    .command('findings [sites...]')
    .description('what MinerDesk judges about each site (or the named ones): one finding per root cause with its cause, what is lost and by when, and the remedy with the command that applies it; exit 1 on a critical finding or an unreachable site')
    .option('--logs', "first read the miner's and workers' logs over SSH (slow WindowPoSt, late blocks, workers that lost the miner, CheckProvable faults)")
    .action(
      action(async (cmd, [names]) => {
        const o = globals(cmd)
        const logs = cmd.opts<{ logs?: boolean }>().logs === true
        const core = cliCore(o)
        const wanted = (names as string[] | undefined) ?? []
        const ids = wanted.length ? (await Promise.all(wanted.map((n) => siteOf(core, n)))).map((s) => s.id) : (await call(core, 'sites:list')).map((s) => s.id)
        const reads: LogReadReport[] = []
        if (logs) for (const id of ids) reads.push(await call(core, 'health:readLogs', id))
        const sites = await call(core, 'health:findings', ids)
        const bad = sites.some((s) => s.connection !== 'connected' || s.findings.some((f) => f.severity === 'critical'))
        if (o.json) {
          printJson({ sites, ...(logs ? { logs: reads } : {}) })
          return bad ? EXIT.failed : EXIT.ok
        }
        const lang = await cliLanguage(core)
        const lines: string[] = []
        for (const s of sites) {
          lines.push(`${s.siteId}: ${translate(lang, `health.${s.health}`)}${s.connection !== 'connected' ? ` (${s.connection})` : ''} — ${translate(lang, 'findingsPanel.count', { n: s.findings.length })}`)
          const read = reads.find((r) => r.siteId === s.siteId)
          if (read) for (const src of read.sources) lines.push(`  ${translate(lang, 'findingsPanel.logRead')}: ${src.host}:${src.file || '-'} (${src.role}${src.worker ? ` ${src.worker}` : ''}) ${src.error ? `! ${src.error}` : `${src.lines}`}`)
          for (const f of s.findings) lines.push('', ...findingLines(lang, f).map((l) => `  ${l}`))
          lines.push('')
        }
        process.stdout.write(`${lines.join('\n')}\n`)
        return bad ? EXIT.failed : EXIT.ok
      })
    )
}
