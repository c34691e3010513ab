import type { Command } from 'commander'
import { MinerDeskError, SITE_ID_RE, type AuditVerifyResult } from '../../../preload/contract'
import { renderTable } from '../../core/util/textTable'
import { action, call, cliCore, EXIT, globals, printJson, type ExitCode } from '../host'

/**
 * `minerdesk audit` (the audit log, newest first) and `minerdesk audit verify` (its hash chain:
 * exit 0 when whole, 1 naming the first entry that was edited, removed or inserted).
 */

const REASON: Record<NonNullable<AuditVerifyResult['broken']>['reason'], string> = {
  'does-not-follow': 'does not follow from the entry before it: it, or an entry before it, was edited, removed or inserted',
  'not-chained': 'has no hash although entries before it do: it was added by hand',
  'not-an-entry': 'is JSON but not an audit entry'
}

export function printVerify(r: AuditVerifyResult): void {
  const lines: string[] = []
  if (r.broken) {
    const b = r.broken
    lines.push(`BROKEN: ${r.file} line ${b.line} (${b.time || 'no time'} ${b.site || '-'} ${b.action || '-'}) ${REASON[b.reason]}.`)
    lines.push(`  ${r.chained} entr${r.chained === 1 ? 'y' : 'ies'} before it verified; entries from line ${b.line} on cannot be trusted.`)
  } else {
    lines.push(`OK: ${r.file}: ${r.chained} entr${r.chained === 1 ? 'y' : 'ies'} verified, the chain is whole.`)
  }
  if (r.unchained > 0) lines.push(`  ${r.unchained} older entr${r.unchained === 1 ? 'y was' : 'ies were'} written before the log was chained: not checked.`)
  if (r.tornLines.length > 0) lines.push(`  Line(s) ${r.tornLines.slice(0, 20).join(', ')}${r.tornLines.length > 20 ? ', …' : ''}: cut short (a crash or a full disk while writing); not entries.`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('the audit log, newest first (every change MinerDesk made, who, from where, with what result)')
    .option('--site <site>', 'only this site')
    .option('--limit <n>', 'at most this many entries', '50')
    .action(
      action(async (cmd): Promise<ExitCode | void> => {
        const o = globals(cmd)
        const opts = cmd.opts<{ site?: string; limit: string }>()
        if (opts.site !== undefined && !SITE_ID_RE.test(opts.site)) throw new MinerDeskError({ code: 'invalid-input', message: `not a site id: ${JSON.stringify(opts.site).slice(0, 60)}` })
        if (!/^\d{1,4}$/.test(opts.limit)) throw new MinerDeskError({ code: 'invalid-input', message: '--limit must be a number from 1 to 5000' })
        const core = cliCore(o)
        const entries = await call(core, 'audit:list', { ...(opts.site ? { site: opts.site } : {}), limit: Number(opts.limit) })
        if (o.json) return printJson({ entries })
        process.stdout.write(
          `${renderTable(entries, [
            { header: 'TIME', value: (e) => e.time.replace('T', ' ').slice(0, 19) },
            { header: 'SITE', value: (e) => e.site },
            { header: 'VIA', value: (e) => e.via },
            { header: 'ACTION', value: (e) => e.action },
            { header: 'RESULT', value: (e) => e.result },
            { header: 'COMMAND', value: (e) => e.command }
          ])}\n`
        )
        return EXIT.ok
      })
    )
  audit
    .command('verify')
    .description("check the audit log's hash chain; names the first entry edited, removed or inserted (exit 1)")
    .action(
      action(async (cmd): Promise<ExitCode> => {
        const o = globals(cmd)
        const r = await call(cliCore(o), 'audit:verify')
        if (o.json) printJson(r)
        else printVerify(r)
        return r.ok ? EXIT.ok : EXIT.failed
      })
    )
}
