import type { Command } from 'commander'
import { MinerDeskError, resolveSectorState, SECTOR_STATES, siteHealth, type SiteSnapshot } from '../../../preload/contract'
import { shortDuration } from '../../core/overview/format'
import { renderTable } from '../../core/util/textTable'
import { findingLines } from '../findingsText'
import { action, call, cliCore, cliLanguage, globals, printJson, siteOf, snapshotOf, EXIT, type ExitCode } from '../host'

/**
 * The read-only subcommands: sites, overview, jobs, workers, sectors, messages, deadlines. Each
 * reads what the window reads (the site's snapshot after a refresh, the sectors list), through
 * the same contract calls.
 */

const ago = (sec: number | null | undefined): string => (sec === null || sec === undefined ? '-' : shortDuration(sec))

/** Fails the command (exit 1) when the part a command shows could not be read at all. */
function requireUp(snap: SiteSnapshot, node: 'daemon' | 'miner'): void {
  if (snap.connection.state !== 'connected') {
    throw new MinerDeskError({ code: 'ssh/unreachable', message: `${snap.siteId}: ${snap.connection.state}${snap.connection.detail ? ` (${snap.connection.detail})` : ''}` })
  }
  const part = snap[node]
  if (!part.up) throw new MinerDeskError(part.error ?? { code: node === 'daemon' ? 'lotus/daemon-down' : 'lotus/miner-down', message: `${node} is not answering` })
}

/** The site's snapshot after a refresh, for a command that needs `node` answering. */
async function liveSnapshot(o: ReturnType<typeof globals>, name: unknown, node: 'daemon' | 'miner'): Promise<SiteSnapshot> {
  const core = cliCore(o)
  const snap = await snapshotOf(core, (await siteOf(core, name)).id)
  requireUp(snap, node)
  return snap
}

export function registerReadCommands(program: Command): void {
  program
    .command('sites')
    .description('list the sites (configured in MinerDesk, or every alias of --ssh-config)')
    .action(
      action(async (cmd) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const sites = await call(core, 'sites:list')
        if (o.json) return printJson({ sites })
        if (sites.length === 0) {
          process.stdout.write('No sites. Add them in the MinerDesk app, or pass --ssh-config FILE.\n')
          return EXIT.ok
        }
        process.stdout.write(
          `${renderTable(sites, [
            { header: 'ID', value: (s) => s.id },
            { header: 'ALIAS', value: (s) => s.alias },
            { header: 'NAME', value: (s) => s.name },
            { header: 'GROUP', value: (s) => s.group || '-' },
            { header: 'POLL', value: (s) => `${s.pollIntervalSec}s`, align: 'right' }
          ])}\n`
        )
      })
    )

  program
    .command('overview [sites...]')
    .description('poll every site (or the named ones) once and show the key numbers and one line per finding; exit 1 if any site is down')
    .action(
      action(async (cmd, [names]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const wanted = (names as string[] | undefined)?.length ? await Promise.all((names as string[]).map((n) => siteOf(core, n))) : await call(core, 'sites:list')
        const snaps = await Promise.all(wanted.map((s) => snapshotOf(core, s.id)))
        const healthy = snaps.every((s) => s.connection.state === 'connected' && s.daemon.up && s.miner.up)
        if (o.json) {
          printJson({ sites: Object.fromEntries(snaps.map((s) => [s.siteId, s])) })
          return healthy ? EXIT.ok : EXIT.failed
        }
        const lang = await cliLanguage(core)
        process.stdout.write(
          `${renderTable(snaps, [
            { header: 'SITE', value: (s) => s.siteId },
            { header: 'HEALTH', value: (s) => siteHealth(s, s.connection) },
            { header: 'SSH', value: (s) => s.connection.state },
            { header: 'DAEMON', value: (s) => (s.daemon.up ? 'up' : 'down') },
            { header: 'HEIGHT', value: (s) => s.daemon.height, align: 'right' },
            { header: 'BEHIND', value: (s) => s.daemon.behindEpochs, align: 'right' },
            { header: 'PEERS', value: (s) => s.daemon.peers, align: 'right' },
            { header: 'MINER', value: (s) => (s.miner.up ? s.miner.actor ?? 'up' : 'down') },
            { header: 'SEALING', value: (s) => s.pipeline?.byGroup.sealing, align: 'right' },
            { header: 'FAILED', value: (s) => s.pipeline?.byGroup.failed, align: 'right' },
            { header: 'PROVING', value: (s) => s.pipeline?.byGroup.proving, align: 'right' },
            { header: 'JOBS', value: (s) => s.jobs?.total, align: 'right' },
            { header: 'WORKERS', value: (s) => (s.workers ? `${s.workers.online}/${s.workers.list.length}` : null), align: 'right' },
            { header: 'DEADLINE', value: (s) => s.proving?.deadlineIndex, align: 'right' },
            { header: 'FAULTS', value: (s) => s.proving?.faults, align: 'right' },
            { header: 'MSGS', value: (s) => s.messages?.count, align: 'right' },
            { header: 'FINDINGS', value: (s) => s.findings.length, align: 'right' }
          ])}\n`
        )
        // One line per finding; `minerdesk findings` gives cause, consequence and remedies.
        const findings = snaps.flatMap((s) => s.findings)
        if (findings.length > 0) {
          process.stdout.write('\n')
          for (const f of findings) process.stdout.write(`${findingLines(lang, f, { site: f.siteId, detail: false }).join('\n')}\n`)
        }
        return healthy ? EXIT.ok : EXIT.failed
      })
    )

  program
    .command('jobs <site>')
    .description('sealing jobs (the runbook\'s jobs.sh): TIME as Lotus shows it; IN STAGE, the time the sector has been in the stage the job works on, judged against the expected time (the same on every screen)')
    .action(
      action(async (cmd, [name]) => {
        const o = globals(cmd)
        const snap = await liveSnapshot(o, name, 'miner')
        const jobs = snap.jobs?.list ?? []
        if (o.json) return printJson({ site: snap.siteId, jobs })
        process.stdout.write(
          `${renderTable(jobs, [
            { header: 'ID', value: (j) => j.id.slice(0, 8) },
            { header: 'SECTOR', value: (j) => j.sector, align: 'right' },
            { header: 'WORKER', value: (j) => j.workerId.slice(0, 8) },
            { header: 'HOSTNAME', value: (j) => j.hostname },
            { header: 'TASK', value: (j) => j.task },
            { header: 'STATE', value: (j) => (j.state === 'assigned' ? `assigned(${j.runWait - 1})` : j.state) },
            { header: 'TIME', value: (j) => ago(j.elapsedSec), align: 'right' },
            { header: 'IN STAGE', value: (j) => ago(j.timing?.elapsedSec), align: 'right' },
            { header: 'EXPECTED', value: (j) => ago(j.timing?.expectedSec), align: 'right' },
            { header: '', value: (j) => (j.timing?.level === 'overdue' ? 'OVERDUE' : j.timing?.level === 'late' ? 'LATE' : '') }
          ])}\n`
        )
      })
    )

  program
    .command('workers <site>')
    .description('registered workers (the runbook\'s workers.sh)')
    .action(
      action(async (cmd, [name]) => {
        const o = globals(cmd)
        const snap = await liveSnapshot(o, name, 'miner')
        const workers = snap.workers?.list ?? []
        if (o.json) return printJson({ site: snap.siteId, workers })
        const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`
        process.stdout.write(
          `${renderTable(workers, [
            { header: 'WORKER', value: (w) => w.id.slice(0, 8) },
            { header: 'HOST', value: (w) => w.hostname },
            { header: 'STATE', value: (w) => (w.missing ? 'MISSING' : w.enabled ? 'enabled' : 'disabled') },
            { header: 'TASKS', value: (w) => w.tasks.join(',') },
            { header: 'CPU', value: (w) => `${w.cpuUse}/${w.cpus}`, align: 'right' },
            { header: 'RAM', value: (w) => `${gib(w.memUsed)}/${gib(w.memPhysical)}`, align: 'right' },
            { header: 'GPU', value: (w) => (w.gpus.length ? `${w.gpuUsed}/${w.gpus.length}` : '-'), align: 'right' },
            { header: 'RUNNING', value: (w) => Object.entries(w.taskCounts).map(([t, n]) => `${t}(${n})`).join(' ') || '-' }
          ])}\n`
        )
      })
    )

  program
    .command('sectors <site>')
    .option('--state <state>', 'only sectors in this state (Lotus name, e.g. PreCommit1; the runbook\'s spellings are accepted)')
    .description('sectors with their state')
    .action(
      action(async (cmd, [name]) => {
        const o = globals(cmd)
        const stateArg = cmd.opts<{ state?: string }>().state
        const core = cliCore(o)
        let state: string | null = null
        if (stateArg !== undefined) {
          state = resolveSectorState(stateArg)
          if (!state) {
            throw new MinerDeskError({ code: 'invalid-input', message: `"${stateArg}" is not a sector state`, hint: `states: ${SECTOR_STATES.join(', ')}` })
          }
        }
        const site = await siteOf(core, name)
        const table = await call(core, 'sectors:list', site.id)
        // The runs are [first, count, stateIndex] triples, ascending (see SectorTable).
        const summary: Record<string, number> = {}
        const rows: { sector: number; state: string }[] = []
        for (let i = 0; i + 2 < table.runs.length; i += 3) {
          const [first, count, si] = [table.runs[i]!, table.runs[i + 1]!, table.runs[i + 2]!]
          const name = table.states[si]!
          summary[name] = (summary[name] ?? 0) + count
          if (state && name !== state) continue
          for (let k = 0; k < count; k++) rows.push({ sector: first + k, state: name })
        }
        if (o.json) return printJson({ site: site.id, summary, sectors: rows })
        process.stdout.write(`${renderTable(rows, [
          { header: 'SECTOR', value: (r) => r.sector, align: 'right' },
          { header: 'STATE', value: (r) => r.state }
        ])}\n`)
      })
    )

  program
    .command('messages <site>')
    .description('local pending messages (lotus mpool pending --local), with how long each has waited')
    .action(
      action(async (cmd, [name]) => {
        const o = globals(cmd)
        const snap = await liveSnapshot(o, name, 'daemon')
        const list = snap.messages?.list ?? []
        if (o.json) return printJson({ site: snap.siteId, messages: list })
        process.stdout.write(
          `${renderTable(list, [
            { header: 'CID', value: (m) => m.cid },
            { header: 'FROM', value: (m) => m.from },
            { header: 'TO', value: (m) => m.to },
            { header: 'NONCE', value: (m) => m.nonce, align: 'right' },
            { header: 'METHOD', value: (m) => m.method, align: 'right' },
            { header: 'PREMIUM', value: (m) => m.gasPremium, align: 'right' },
            { header: 'FEECAP', value: (m) => m.gasFeeCap, align: 'right' },
            { header: 'WAITING', value: (m) => ago(m.ageSec), align: 'right' }
          ])}\n`
        )
      })
    )

  program
    .command('deadlines <site>')
    .description('WindowPoSt deadlines of the current proving period (lotus-miner proving deadlines)')
    .action(
      action(async (cmd, [name]): Promise<ExitCode | void> => {
        const o = globals(cmd)
        const snap = await liveSnapshot(o, name, 'daemon')
        const p = snap.proving
        if (!p) throw new MinerDeskError(snap.partErrors?.proving ?? { code: 'lotus/rpc', message: 'the proving state could not be read' })
        if (o.json) return printJson({ site: snap.siteId, proving: p })
        const time = (ms: number) => new Date(ms).toTimeString().slice(0, 8)
        process.stdout.write(`Miner: ${snap.miner.actor ?? '-'}   epoch ${p.currentEpoch}   deadline ${p.deadlineIndex}\n`)
        process.stdout.write(
          `${renderTable(p.deadlines, [
            { header: 'DEADLINE', value: (d) => d.index, align: 'right' },
            { header: 'OPEN', value: (d) => time(d.openAt) },
            { header: 'PARTITIONS', value: (d) => d.partitions, align: 'right' },
            { header: 'SECTORS', value: (d) => d.sectors, align: 'right' },
            { header: 'FAULTS', value: (d) => d.faults, align: 'right' },
            { header: 'RECOVERING', value: (d) => d.recoveries, align: 'right' },
            { header: 'PROVEN', value: (d) => d.proven, align: 'right' },
            { header: '', value: (d) => (d.current ? '(current)' : '') }
          ])}\n`
        )
      })
    )
}
