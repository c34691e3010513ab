import type { Command } from 'commander'
import { attoToFil, type ProvingCheckRow, type ProvingCheckState, type WpsResult } from '../../../preload/contract'
import { renderTable } from '../../core/util/textTable'
import { action, call, cliCore, cliLanguage, exitCodeFor, globals, invalid, previewThenRun, printJson, siteOf, EXIT } from '../host'
import { translate } from '../../core/i18n/translate'
import { findingLines } from '../findingsText'

/**
 * The runbook's jobs/workers/proving/chain scripts as subcommands: abort, sched-diag,
 * wps, killw, runworker, runworker-c2, proving-check, net-peers, block-peer, sync-check-bad,
 * sync-unmark-bad, mpool-replace.
 * Every argument goes through the contract's validators (the same checks as the app; invalid
 * input exits 2 before anything reaches a site). Mutations print their preview and run only
 * with --yes, through the same one-shot, audited `ops:execute` as the app.
 */

const ago = (ms: number): string => {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000))
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${s % 60}s` : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
}

function printWps(r: WpsResult): void {
  const rows = r.hosts.flatMap((h) => h.processes)
  process.stdout.write(
    `${renderTable(rows, [
      { header: 'HOST', value: (p) => p.host },
      { header: 'PID', value: (p) => p.pid, align: 'right' },
      { header: 'ROLE', value: (p) => p.role ?? '-' },
      { header: 'NAME', value: (p) => p.workerName ?? '-' },
      { header: 'STATE', value: (p) => p.state },
      { header: 'UP', value: (p) => ago(p.startedAt), align: 'right' },
      { header: 'COMMAND', value: (p) => p.argv.join(' ') }
    ])}\n`
  )
  for (const h of r.hosts) {
    if (h.error) process.stderr.write(`minerdesk: ${h.host}: ${h.error.message}\n`)
    if (h.othersSkipped > 0) process.stdout.write(`(${h.host}: ${h.othersSkipped} matching Lotus process(es) of other sites or users left out)\n`)
  }
}

function printCheckRows(rows: readonly ProvingCheckRow[]): void {
  for (const r of rows) process.stdout.write(`${String(r.deadline).padEnd(10)}${String(r.partition).padEnd(11)}${String(r.sector).padEnd(8)}${r.ok ? 'good' : `bad (${r.reason ?? ''})`}\n`)
}

export function registerSiteOpsCommands(program: Command): void {
  program
    .command('abort <site> <job>')
    .description('abort a sealing job (lotus-miner sealing abort): <job> is its call id as `jobs` prints it (8+ hex digits)')
    .option('--sched', 'the id is a scheduler request UUID (see sched-diag): remove that request from the queue')
    .option('--yes', 'run it (without: show what would run)')
    .action(
      action(async (cmd, [site, job]) => {
        const core = cliCore(globals(cmd))
        const s = await siteOf(core, site)
        const sched = Boolean(cmd.opts<{ sched?: boolean }>().sched)
        const preview = await call(core, 'siteops:previewAbort', s.id, { job: String(job), ...(sched ? { sched: true } : {}) })
        return previewThenRun(core, cmd, preview)
      })
    )

  program
    .command('sched-diag <site>')
    .description('requests waiting in the scheduler queue (lotus-miner sealing sched-diag), for abort --sched')
    .action(
      action(async (cmd, [site]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = await siteOf(core, site)
        const reqs = await call(core, 'siteops:schedRequests', s.id)
        if (o.json) return printJson({ site: s.id, requests: reqs })
        process.stdout.write(
          `${renderTable(reqs, [
            { header: 'SCHED ID', value: (r) => r.schedId },
            { header: 'SECTOR', value: (r) => r.sector, align: 'right' },
            { header: 'TASK', value: (r) => r.task },
            { header: 'PRIORITY', value: (r) => r.priority, align: 'right' }
          ])}\n`
        )
      })
    )

  program
    .command('wps <site> <flag>')
    .description("the site's Lotus processes whose command line contains <flag>, on the site host and its worker hosts (wps.sh)")
    .action(
      action(async (cmd, [site, flag]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = await siteOf(core, site)
        const r = await call(core, 'siteops:wps', s.id, String(flag))
        if (o.json) return printJson(r)
        printWps(r)
      })
    )

  program
    .command('killw <site> <flag>')
    .description("end the site's lotus-worker processes whose command line contains <flag>, e.g. PC1:1: TERM, then KILL what is still running (killw.sh)")
    .option('--yes', 'run it (without: show the exact processes and signals)')
    .action(
      action(async (cmd, [site, flag]) => {
        const core = cliCore(globals(cmd))
        const s = await siteOf(core, site)
        return previewThenRun(core, cmd, await call(core, 'siteops:previewKillWorkers', s.id, String(flag)))
      })
    )

  for (const [name, kind, script] of [
    ['runworker', 'worker', 'runworker.sh'],
    ['runworker-c2', 'workerC2', 'runworkerC2.sh']
  ] as const) {
    program
      .command(`${name} <site>`)
      .description(`start ${kind === 'worker' ? 'a worker' : 'a C2 worker'} with the site's configured command (${script}), in its work directory`)
      .option('--host <alias>', "run it on this worker host of the site (default: the site's host)")
      .option('--yes', 'run it (without: show the exact command line)')
      .action(
        action(async (cmd, [site]) => {
          const core = cliCore(globals(cmd))
          const s = await siteOf(core, site)
          const host = cmd.opts<{ host?: string }>().host
          return previewThenRun(core, cmd, await call(core, 'siteops:previewRunWorker', s.id, { kind, ...(host !== undefined ? { host } : {}) }))
        })
      )
  }

  program
    .command('proving-check <site> <deadline>')
    .description('lotus-miner proving check --slow <deadline>: rows as they arrive; exit 1 if a sector is bad. Ctrl-C cancels')
    .action(
      action(async (cmd, [site, deadline]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = await siteOf(core, site)
        let id = ''
        const rows: ProvingCheckRow[] = []
        let finished: (state: ProvingCheckState) => void = () => undefined
        const ended = new Promise<ProvingCheckState>((r) => (finished = r))
        const off = core.events.on('siteops:provingCheck', (u) => {
          if (u.id !== id) return
          rows.push(...u.newRows)
          if (!o.json) printCheckRows(u.newRows)
          if (u.status !== 'running') void call(core, 'siteops:provingCheckGet', id).then(finished)
        })
        const onSigint = (): void => void call(core, 'siteops:provingCheckCancel', id).catch(() => undefined)
        try {
          const started = await call(core, 'siteops:provingCheckStart', s.id, String(deadline))
          id = started.id
          process.once('SIGINT', onSigint)
          if (!o.json) {
            process.stdout.write(`${started.host}: ${started.command}\n`)
            process.stdout.write(`checking ${started.expectedSectors ?? '?'} live sector(s) in ${started.partitions ?? '?'} partition(s) of deadline ${started.deadline}…\n`)
            process.stdout.write('deadline  partition  sector  status\n')
          }
          const final = await ended
          // What the health model makes of it (the window's finding): the bad sectors by Lotus's reason, with the remedy.
          const judged = final.status === 'done' && final.bad > 0 ? ((await call(core, 'health:findings', [s.id]))[0]?.findings ?? []).filter((f) => f.kind === 'proving-check') : []
          if (o.json) printJson({ ...final, findings: judged })
          else {
            process.stdout.write(`${final.status}: ${final.checked} checked, ${final.bad} bad, in ${Math.round(((final.endedAt ?? Date.now()) - final.startedAt) / 1000)} s\n`)
            if (final.error) process.stderr.write(`minerdesk: ${final.error.message}\n`)
            const lang = await cliLanguage(core)
            for (const f of judged) process.stdout.write(`\n${findingLines(lang, f, { site: s.id }).join('\n')}\n`)
          }
          if (final.status === 'cancelled') return EXIT.refused
          if (final.status === 'failed') return final.error ? exitCodeFor(final.error.code) : EXIT.failed
          return final.bad > 0 ? EXIT.failed : EXIT.ok
        } finally {
          off()
          process.off('SIGINT', onSigint)
        }
      })
    )

  program
    .command('net-peers <site>')
    .description('connected peers with their pubsub scores, and what is blocked (lotus net peers / net scores / net block list)')
    .action(
      action(async (cmd, [site]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = await siteOf(core, site)
        const info = await call(core, 'siteops:peers', s.id)
        if (o.json) return printJson(info)
        process.stdout.write(
          `${renderTable(info.peers, [
            { header: 'PEER', value: (p) => p.id },
            { header: 'SCORE', value: (p) => (p.score === null ? '-' : p.score.toFixed(6)), align: 'right' },
            { header: 'ADDRESSES', value: (p) => p.addrs.join(' ') }
          ])}\n`
        )
        process.stdout.write(`blocked peers: ${info.blocked.peers.join(' ') || '-'}\n`)
      })
    )

  program
    .command('block-peer <site> <peer>')
    .description('block a peer from connecting (lotus net block add peer <peer>)')
    .option('--yes', 'run it (without: show the exact API call)')
    .action(
      action(async (cmd, [site, peer]) => {
        const core = cliCore(globals(cmd))
        const s = await siteOf(core, site)
        return previewThenRun(core, cmd, await call(core, 'siteops:previewBlockPeer', s.id, String(peer)))
      })
    )

  program
    .command('sync-check-bad <site> <cid>')
    .description('why the daemon marked a block bad, or that it did not (lotus sync check-bad <cid>)')
    .action(
      action(async (cmd, [site, cid]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = await siteOf(core, site)
        const r = await call(core, 'siteops:syncCheckBad', s.id, String(cid))
        if (o.json) return printJson(r)
        // Lotus's CLI prints the reason, or that the block was not marked.
        process.stdout.write(`${r.reason || translate(await cliLanguage(core), 'findingsPanel.notMarkedBad')}\n`)
      })
    )

  program
    .command('sync-unmark-bad <site> [cid]')
    .description('clear the bad mark of a block so the daemon may sync a chain holding it (lotus sync unmark-bad <cid>, or --all)')
    .option('--all', 'clear every bad mark (lotus sync unmark-bad --all)')
    .option('--yes', 'run it (without: show the exact API call)')
    .action(
      action(async (cmd, [site, cid]) => {
        const all = cmd.opts<{ all?: boolean }>().all === true
        if (all === (cid !== undefined)) throw invalid('give a block CID or --all, not both and not neither', 'the CID is the one `findings` or `sync-check-bad` names')
        const core = cliCore(globals(cmd))
        const s = await siteOf(core, site)
        return previewThenRun(core, cmd, await call(core, 'siteops:previewUnmarkBad', s.id, all ? null : String(cid)))
      })
    )

  program
    .command('mpool-replace <site> <from> <nonce>')
    .description('replace a stuck local message: lotus mpool replace --auto --fee-limit <FIL> <from> <nonce>')
    .option('--fee-limit <FIL>', 'spend at most this much FIL on gas for the replacement, e.g. 0.5')
    .option('--max-fee <attoFIL>', "the runbook's older spelling, in attoFIL (1000000000000000000 = 1 FIL); converted to --fee-limit")
    .option('--yes', 'run it (without: show the exact command and the fee limit)')
    .action(
      action(async (cmd, [site, from, nonce]) => {
        const opts = cmd.opts<{ feeLimit?: string; maxFee?: string }>()
        let feeLimit = opts.feeLimit
        if (opts.maxFee !== undefined) {
          if (feeLimit !== undefined) throw invalid('give --fee-limit (FIL) or --max-fee (attoFIL), not both')
          if (!/^[0-9]{1,30}$/.test(opts.maxFee)) throw invalid(`--max-fee is a whole number of attoFIL, e.g. 1000000000000000000 (got ${JSON.stringify(opts.maxFee).slice(0, 40)})`)
          feeLimit = attoToFil(opts.maxFee)
        }
        if (feeLimit === undefined) throw invalid('a fee limit is required: --fee-limit <FIL> (or the runbook\'s --max-fee <attoFIL>)', 'e.g. --fee-limit 0.5; Lotus spends at most that much FIL on gas for the new message')
        const core = cliCore(globals(cmd))
        const s = await siteOf(core, site)
        return previewThenRun(core, cmd, await call(core, 'siteops:previewMpoolReplace', s.id, { from: String(from), nonce: String(nonce), feeLimit }))
      })
    )
}
