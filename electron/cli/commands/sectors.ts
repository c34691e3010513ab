import type { Command } from 'commander'
import { MinerDeskError, type AutopledgeState, type Language, type SectorDetail, type SectorFilesReport } from '../../../preload/contract'
import { shortDuration } from '../../core/overview/format'
import { translate } from '../../core/i18n/translate'
import { findingLines } from '../findingsText'
import { action, call, cliCore, cliLanguage, globals, previewThenRun, printJson, siteOf, EXIT, type ExitCode } from '../host'

/**
 * The runbook's sector scripts as subcommands: status (status.sh --log), update-state,
 * commitwait, precommitwait, remove, pledge, autopledge, storagefind, findsector, clearsector.
 * Arguments go through the contract's validators, exactly as the app's calls do (invalid input
 * exits 2 before anything reaches a site). Mutations print their preview and run only with
 * --yes, through the same one-shot, audited `ops:execute`.
 */

/** `--force`: the operator's explicit override of update-state safety. */
function overrideArg(cmd: Command): [{ override: true }] | [] {
  return cmd.opts<{ force?: boolean }>().force === true ? [{ override: true }] : []
}

/** `12,13 14` → ['12','13','14'] (validated by the contract's sector list schema). */
function sectorArgs(raw: unknown): string[] {
  const list = (Array.isArray(raw) ? raw : [raw]).map(String)
  return list.flatMap((s) => s.split(',')).filter((s) => s !== '')
}

const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19))

function printStatus(d: SectorDetail, withLog: boolean, lang: Language): void {
  const tm = d.timing
  const verdict = tm?.level === 'overdue' ? '   (OVERDUE)' : tm?.level === 'late' ? '   (LATE)' : ''
  const fault = d.fault ? `   ${d.fault.status.toUpperCase()} ON CHAIN: deadline ${d.fault.deadline}, partition ${d.fault.partition}${d.fault.dueAt !== null ? `, next due ${time(d.fault.dueAt)}` : ''}` : ''
  const l: string[] = [
    `SectorID:   ${d.sector}`,
    `Status:     ${d.state}${verdict}${fault}`,
    `Since:      ${time(d.enteredAt)}${tm ? `   in state ${shortDuration(tm.elapsedSec)}, expected ${shortDuration(tm.expectedSec)} (overdue past ${shortDuration(tm.expectedSec * tm.factor)})` : ''}`,
    `CIDcommD:   ${d.commD ?? '<nil>'}`,
    `CIDcommR:   ${d.commR ?? '<nil>'}`,
    `TicketH:    ${d.ticketEpoch}`,
    `SeedH:      ${d.seedEpoch}`,
    `Precommit:  ${d.preCommitMsg ?? '<nil>'}`,
    `Commit:     ${d.commitMsg ?? '<nil>'}`,
    `Deals:      [${d.deals.join(' ')}]`,
    `Retries:    ${d.retries}`,
    ...(d.lastErr ? [`Last Error: ${d.lastErr}`] : []),
    `On chain:   activation ${d.onChain.activation}, expiration ${d.onChain.expiration}`
  ]
  for (const j of d.jobs) l.push(`Job:        ${j.task} ${j.state} on ${j.hostname || j.workerId.slice(0, 8)} (${j.id.slice(0, 8)})`)
  l.push('', 'Diagnosis:')
  if (d.diagnosis.clean) l.push(`  ${translate(lang, 'findingsPanel.none')}`)
  for (const f of d.diagnosis.findings) l.push(...findingLines(lang, f).map((x) => `  ${x}`))
  if (d.diagnosis.next) l.push(`  Lotus: ${translate(lang, d.diagnosis.next.key, d.diagnosis.next.params)}`)
  if (d.updateTargets.suggested.length) l.push(`  update-state: ${d.updateTargets.suggested.join(', ')}`)
  if (withLog) {
    l.push('', '--------', 'Event Log:')
    d.log.forEach((e, i) => {
      l.push(`${i}.\t${time(e.at)}:\t[${e.kind}]\t${e.message}`)
      if (e.trace) l.push(`\t${e.trace}`)
    })
  }
  process.stdout.write(`${l.join('\n')}\n`)
}

function printFiles(f: SectorFilesReport): void {
  const l = ['', `Files of ${f.fileName} (stage ${f.check.stage}):`]
  for (const loc of f.locations) l.push(`  Lotus: ${loc.kind.padEnd(8)} in ${loc.storageId}${loc.storage ? ` = ${loc.storage.alias}:${loc.storage.path}` : ' (not mapped to a host)'}`)
  for (const li of f.listings) {
    l.push(`  ${li.storage.alias}:${li.storage.path} (${li.storage.owner}${li.storage.port ? ` :${li.storage.port}` : ''})`)
    for (const e of li.entries) l.push(`    ${e.type === 'dir' ? 'd' : '-'} ${String(e.size).padStart(14)}  ${e.kind}/${e.name}${e.rel ? `/${e.rel}` : ''}`)
  }
  const c = f.check
  if (c.ok) l.push('  Check: every file this stage needs is there')
  for (const m of c.missing) l.push(`  MISSING ${m}`)
  for (const m of c.extra) l.push(`  EXTRA   ${m}`)
  for (const m of c.empty) l.push(`  EMPTY   ${m}`)
  for (const m of c.copies) l.push(`  COPIES  ${m}`)
  for (const p of f.problems) l.push(`  ! ${p.message}`)
  process.stdout.write(`${l.join('\n')}\n`)
}

function printAutopledge(s: AutopledgeState): void {
  const last = s.last ? `${time(s.last.at)} ${s.last.decision}${s.last.sector !== undefined ? ` sector ${s.last.sector}` : ''}${s.last.message ? ` (${s.last.message})` : ''}` : '-'
  process.stdout.write(
    `${s.siteId}: ${s.running ? `running in ${s.owner}` : `stopped${s.stopReason ? ` (${s.stopReason})` : ''}`}; target ${s.target} sealing, every ${s.intervalSec}s; pledged ${s.pledged}; last: ${last}\n`
  )
}

export function registerSectorCommands(program: Command): void {
  program
    .command('status <site> <sector>')
    .description("a sector's state, jobs and diagnosis (status.sh --log); --log adds the event log, --files where its files are and whether they are complete")
    .option('--log', 'print the event log')
    .option('--files', 'list the sector\'s files on every host and check them against its stage')
    .action(
      action(async (cmd, [name, sector]) => {
        const o = globals(cmd)
        const opts = cmd.opts<{ log?: boolean; files?: boolean }>()
        const core = cliCore(o)
        const site = await siteOf(core, name)
        const detail = await call(core, 'sectors:status', site.id, String(sector))
        const files = opts.files ? await call(core, 'sectors:files', site.id, String(sector)) : null
        if (o.json) return printJson({ site: site.id, sector: detail, ...(files ? { files } : {}) })
        printStatus(detail, opts.log === true, await cliLanguage(core))
        if (files) printFiles(files)
      })
    )

  program
    .command('update-state <site> <sectors> <state>')
    .description("lotus-miner sectors update-state --really-do-it: SECTORS is one number or a list (12,13,14); STATE must be one Lotus accepts, and one Lotus's handlers can take for each sector (CommitWait needs a commit message…): an unsafe target is refused before anything is sent (exit 3)")
    .option('-y, --yes', 'run it (without: show what would run)')
    .option('--force', 'send a target MinerDesk refuses as unsafe anyway (the preview says what Lotus will do; the audit log records the override)')
    .action(
      action(async (cmd, [name, sectors, state]) => {
        const core = cliCore(globals(cmd))
        const site = await siteOf(core, name)
        return previewThenRun(core, cmd, await call(core, 'sectors:previewUpdateState', site.id, sectorArgs(sectors), String(state), ...overrideArg(cmd)))
      })
    )

  for (const [script, state] of [
    ['commitwait', 'CommitWait'],
    ['precommitwait', 'PreCommitWait']
  ] as const) {
    program
      .command(`${script} <site> <sectors...>`)
      .description(`${script}.sh: update-state to ${state} (refused, exit 3, for a sector without its ${state === 'CommitWait' ? 'commit' : 'precommit'} message)`)
      .option('-y, --yes', 'run it (without: show what would run)')
      .option('--force', 'send it even where MinerDesk refuses it as unsafe (audited)')
      .action(
        action(async (cmd, [name, sectors]) => {
          const core = cliCore(globals(cmd))
          const site = await siteOf(core, name)
          return previewThenRun(core, cmd, await call(core, 'sectors:previewUpdateState', site.id, sectorArgs(sectors), String(state), ...overrideArg(cmd)))
        })
      )
  }

  program
    .command('remove <site> <sectors...>')
    .description("remove.sh: abort the sectors' running jobs, then remove them (SectorRemove: Removing → Removed, files deleted)")
    .option('-y, --yes', 'run it (without: show what would run)')
    .action(
      action(async (cmd, [name, sectors]) => {
        const core = cliCore(globals(cmd))
        const site = await siteOf(core, name)
        return previewThenRun(core, cmd, await call(core, 'sectors:previewRemove', site.id, sectorArgs(sectors)))
      })
    )

  program
    .command('pledge <site>')
    .description('lotus-miner sectors pledge: add one committed-capacity sector')
    .option('-y, --yes', 'run it (without: show what would run)')
    .action(
      action(async (cmd, [name]) => {
        const core = cliCore(globals(cmd))
        const site = await siteOf(core, name)
        return previewThenRun(core, cmd, await call(core, 'sectors:previewPledge', site.id))
      })
    )

  program
    .command('autopledge <site>')
    .description('autopledge.sh: keep --target sectors sealing while the workers have room; runs here in the foreground until Ctrl-C. --status shows it, --stop stops it wherever it runs')
    .option('--target <n>', 'keep this many sectors sealing')
    .option('--interval <seconds>', 'check every so many seconds', '60')
    .option('--status', 'show whether autopledge runs for the site')
    .option('--stop', 'stop it (also when another MinerDesk runs it)')
    .option('-y, --yes', 'start it (without: show what would run)')
    .action(
      action(async (cmd, [name]): Promise<ExitCode | void> => {
        const o = globals(cmd)
        const opts = cmd.opts<{ target?: string; interval: string; status?: boolean; stop?: boolean; yes?: boolean }>()
        const core = cliCore(o)
        const site = await siteOf(core, name)
        if (opts.status || opts.stop) {
          const states = opts.stop ? [await call(core, 'sectors:stopAutopledge', site.id)] : await call(core, 'sectors:autopledgeStatus', site.id)
          if (o.json) return printJson({ autopledge: states })
          for (const s of states) printAutopledge(s)
          return EXIT.ok
        }
        if (opts.target === undefined) throw new MinerDeskError({ code: 'invalid-input', message: 'autopledge needs --target N (how many sectors to keep sealing)' })
        const num = (v: string, what: string) => {
          if (!/^\d{1,7}$/.test(v)) throw new MinerDeskError({ code: 'invalid-input', message: `${what} must be a whole number, got ${JSON.stringify(v).slice(0, 30)}` })
          return Number(v)
        }
        const preview = await call(core, 'sectors:previewAutopledge', site.id, { target: num(opts.target, '--target'), intervalSec: num(opts.interval, '--interval') })
        const code = await previewThenRun(core, cmd, preview)
        if (code !== EXIT.ok) return code
        // Foreground, like the script: until Ctrl-C, or until stopped from elsewhere.
        const ac = new AbortController()
        const onSig = () => ac.abort()
        process.once('SIGINT', onSig)
        process.once('SIGTERM', onSig)
        if (!o.json) process.stdout.write('Autopledge runs; Ctrl-C stops it.\n')
        try {
          let seen = 0
          while (!ac.signal.aborted) {
            const [s] = await call(core, 'sectors:autopledgeStatus', site.id)
            if (s?.last && s.last.at !== seen) {
              seen = s.last.at
              if (o.json) printJson({ autopledge: s })
              else printAutopledge(s)
            }
            if (!s?.running) break
            await new Promise((r) => setTimeout(r, 1000))
          }
        } finally {
          process.off('SIGINT', onSig)
          process.off('SIGTERM', onSig)
        }
        const final = await call(core, 'sectors:stopAutopledge', site.id)
        if (!o.json) printAutopledge(final)
        return EXIT.ok
      })
    )

  program
    .command('storagefind <site> <sector>')
    .description('storagefind.sh: lotus-miner storage find, with each storage path resolved to its host')
    .action(
      action(async (cmd, [name, sector]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const site = await siteOf(core, name)
        const r = await call(core, 'sectors:storageFind', site.id, String(sector))
        if (o.json) return printJson(r)
        process.stdout.write(r.text)
        for (const e of r.entries) if (e.storage) process.stdout.write(`${e.id} = ${e.storage.alias}:${e.storage.path}\n`)
      })
    )

  program
    .command('findsector <site> <pattern>')
    .description("findsector.sh: a sector's files (a number, a file name, or a pattern like 's-t*') on every worker and storage host of the site")
    .action(
      action(async (cmd, [name, pattern]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const site = await siteOf(core, name)
        const r = await call(core, 'sectors:findFiles', site.id, String(pattern))
        if (o.json) return printJson(r)
        for (const li of r.listings) {
          for (const e of li.entries) {
            process.stdout.write(`${li.storage.alias}\t${li.storage.path}/${e.kind}/${e.name}${e.rel ? `/${e.rel}` : ''}\t${e.type === 'dir' ? 'dir' : e.size}\n`)
          }
        }
        if (r.truncated) process.stderr.write(`(cut after ${r.total} entries)\n`)
        for (const p of r.problems) process.stderr.write(`! ${p.message}\n`)
        return r.total === 0 ? EXIT.notFound : EXIT.ok
      })
    )

  program
    .command('clearsector <site> <sector> [reservePort]')
    .description("clearsector.sh: delete the sector's stale copies on every host, except the worker on reservePort and the copy Lotus reports as current; lists first, deletes with --yes")
    .option('-y, --yes', 'delete (without: only list)')
    .action(
      action(async (cmd, [name, sector, port]): Promise<ExitCode | void> => {
        const o = globals(cmd)
        const core = cliCore(o)
        const site = await siteOf(core, name)
        const r = await call(core, 'sectors:previewClear', site.id, String(sector), port === undefined ? null : String(port))
        if (!o.json) {
          for (const it of r.plan) process.stdout.write(`${it.action === 'delete' ? 'DELETE' : 'KEEP  '} ${it.storage.alias}:${it.path}${it.action === 'keep' ? `  (${it.reason === 'current' ? "Lotus's current storage" : `worker on port ${port}`})` : ''}\n`)
          for (const p of r.problems) process.stdout.write(`! not searched: ${p.message}\n`)
        }
        if (!r.preview) {
          if (o.json) printJson({ plan: r.plan, problems: r.problems, executed: false })
          else process.stdout.write('Nothing to delete.\n')
          return EXIT.ok
        }
        if (o.json && cmd.opts<{ yes?: boolean }>().yes !== true) {
          await call(core, 'ops:cancel', r.preview.id)
          printJson({ plan: r.plan, problems: r.problems, preview: r.preview, executed: false })
          return EXIT.refused
        }
        return previewThenRun(core, cmd, r.preview)
      })
    )
}
