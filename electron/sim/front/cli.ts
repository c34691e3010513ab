import { SCENARIOS } from '../common/siteConfig'
import { parseDirArgs, parseScenarioArgs, parseUpArgs, DEFAULT_SECTORS, DEFAULT_SPEED, MAX_SITES } from './args'
import { downSites, type DownResult } from './down'
import { SimUsageError } from './errors'
import { setScenarios } from './scenario'
import { closeInProcessSsh } from './sshFront'
import { formatStatus, siteStatus } from './status'
import { upSites, type UpResult } from './up'

/** `npm run sim -- up|down|status|scenario|help` (the simulator bundle's front-end commands). */

const HELP = `Simulated Lotus sites behind SSH.

  npm run sim -- up --dir DIR [--sites N] [--speed X] [--sectors M] [--scenario a,b]
                    [--deadlines 0,24] [--workers pc1=1,pc2=1,c2=1] [--ssh auto|openssh|ssh2] [--json]
      Creates and starts N sites (1..${MAX_SITES}, default 1) in DIR, one SSH server each on 127.0.0.1,
      and writes DIR/ssh_config (aliases site-1 … site-N), DIR/id_ed25519, DIR/known_hosts.
      --speed      chain clock and sealing speed factor (default ${DEFAULT_SPEED}: one 30 s epoch = ${30 / DEFAULT_SPEED} s)
      --sectors    sectors per site at start, mostly Proving (default ${DEFAULT_SECTORS})
      --scenario   failure scenarios for every site, or for one with site-N:NAME
                   (${SCENARIOS.join(', ')})
      --deadlines  WindowPoSt deadlines holding the initial sectors, or soon (the deadline
                   opening three after the one open at start: a WindowPoSt within minutes)
      --workers    worker processes per kind (default pc1,pc2,c2: one each)
      --ssh        OpenSSH sshd (default where usable) or the in-process ssh2 server
                   (env MDSIM_SSH); with ssh2 this command stays in the foreground
      --node, --node-env NAME=VALUE, --bundle   what the site shims run (default: this node and bundle)

  npm run sim -- down --dir DIR              stop every process of the sites in DIR
  npm run sim -- status --dir DIR [--json]   which processes run per site
  npm run sim -- scenario --dir DIR --site site-N --set a,b|none
      set a site's scenarios (sim.json); they apply when each process next starts
`

function err(line: string): void {
  process.stderr.write(`${line}\n`)
}

function summary(r: UpResult): string {
  const lines = [
    `${r.sites.length} simulated Lotus site${r.sites.length === 1 ? '' : 's'} up in ${r.dir} (${(r.timings.totalMs / 1000).toFixed(1)} s), ` +
      `SSH via ${r.sshMode === 'openssh' ? 'OpenSSH sshd' : 'the in-process ssh2 server'}, login ${r.user}:`
  ]
  for (const s of r.sites) {
    lines.push(
      `  ${s.alias.padEnd(8)} 127.0.0.1:${s.sshPort}  miner f0${s.config.minerId}  ${s.config.initialSectors} sectors  ` +
        `speed ${s.config.speed}x${s.config.scenarios.length ? `  scenarios ${s.config.scenarios.join(',')}` : ''}`
    )
  }
  const some = r.sites[1]?.alias ?? r.sites[0]?.alias ?? 'site-1'
  lines.push(
    '',
    'Try:',
    `  ssh -F ${r.sshConfigPath} ${some} lotus-miner sealing jobs`,
    `  ssh -F ${r.sshConfigPath} ${some} tail -n 20 miner.log`,
    `  npx minerdesk --ssh-config ${r.sshConfigPath} overview`,
    `  npm run sim -- status --dir ${r.dir}`,
    `  npm run sim -- down --dir ${r.dir}`
  )
  return lines.join('\n')
}

function downReport(r: DownResult): string {
  if (r.stopped.length === 0 && r.ssh2Host === null) return `Nothing was running in ${r.dir}.`
  const lines = [`Stopped ${r.stopped.length} process(es) in ${r.dir}:`]
  for (const p of r.stopped) {
    const site = p.site.startsWith(`${r.dir}/`) ? p.site.slice(r.dir.length + 1) : p.site
    lines.push(`  ${String(p.pid).padStart(7)}  ${site.padEnd(8)} ${p.what}${p.killed ? '  (did not stop on SIGTERM: killed)' : ''}`)
  }
  if (r.ssh2Host !== null) lines.push(`  and the ssh2 server${typeof r.ssh2Host === 'number' ? ` process ${r.ssh2Host}` : ''}`)
  return lines.join('\n')
}

/** With the in-process ssh2 server, `up` keeps serving until `down` (SIGTERM) or Ctrl-C. */
function serveForeground(dir: string): Promise<number> {
  return new Promise((resolve) => {
    const stop = (sig: NodeJS.Signals): void => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      void (async () => {
        if (sig === 'SIGINT') {
          err('\nStopping the sites…')
          const r = await downSites(dir).catch((e: unknown) => {
            err(e instanceof Error ? e.message : String(e))
            return null
          })
          if (r) process.stdout.write(`${downReport(r)}\n`)
        } else await closeInProcessSsh(dir)
        resolve(0)
      })()
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}

async function up(argv: string[]): Promise<number> {
  const args = parseUpArgs(argv)
  const bundle = args.bundle ?? process.argv[1]
  if (!bundle) throw new SimUsageError('cannot tell which simulator bundle to run; pass --bundle')
  // Ctrl-C while sites start: stop what has started instead of leaving half a run behind.
  const interrupted = (): void => {
    err('\nInterrupted: stopping what was started…')
    void downSites(args.dir, { graceMs: 3000 })
      .catch(() => undefined)
      .finally(() => process.exit(130))
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  let result: UpResult
  try {
    result = await upSites({
      dir: args.dir,
      sites: args.sites,
      speed: args.speed,
      sectors: args.sectors,
      scenarios: args.scenarios,
      siteScenarios: args.siteScenarios,
      ...(args.deadlines ? { deadlines: args.deadlines } : {}),
      workers: args.workers,
      ssh: args.ssh,
      ...(args.node ? { node: args.node } : {}),
      nodeEnv: args.nodeEnv,
      bundle,
      onProgress: (p) => err(p.site ? `[${p.site}] ${p.message}` : p.message)
    })
  } finally {
    process.off('SIGINT', interrupted)
    process.off('SIGTERM', interrupted)
  }
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${summary(result)}\n`)
  if (result.sshMode !== 'ssh2') return 0
  err(`\nThe SSH servers run inside this process (pid ${process.pid}): keep it running. Ctrl-C stops the sites; so does \`npm run sim -- down --dir ${result.dir}\`.`)
  return serveForeground(result.dir)
}

async function down(argv: string[]): Promise<number> {
  const { dir, json } = parseDirArgs(argv, 'down')
  const r = await downSites(dir, { onProgress: (m) => err(m) })
  process.stdout.write(json ? `${JSON.stringify(r, null, 2)}\n` : `${downReport(r)}\n`)
  return 0
}

function status(argv: string[]): number {
  const { dir, json } = parseDirArgs(argv, 'status')
  const s = siteStatus(dir)
  process.stdout.write(json ? `${JSON.stringify(s, null, 2)}\n` : `${formatStatus(s)}\n`)
  return 0
}

function scenario(argv: string[]): number {
  const a = parseScenarioArgs(argv)
  const r = setScenarios(a.dir, a.site, a.set)
  process.stdout.write(
    `${a.site}: scenarios ${r.before.join(',') || '(none)'} -> ${r.after.join(',') || '(none)'} in ${r.simJson}\n` +
      'Each process picks the change up when it next starts.\n'
  )
  return 0
}

export async function simFrontCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'up':
        return await up(rest)
      case 'down':
        return await down(rest)
      case 'status':
        return status(rest)
      case 'scenario':
        return scenario(rest)
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP)
        return command === undefined ? 2 : 0
      default:
        err(`sim: unknown command ${JSON.stringify(command)}\n`)
        process.stderr.write(HELP)
        return 2
    }
  } catch (e) {
    if (e instanceof SimUsageError) {
      err(`sim ${command}: ${e.message}`)
      return 2
    }
    err(`sim ${command}: ${e instanceof Error ? e.message : String(e)}`)
    if (process.env.MDSIM_DEBUG && e instanceof Error && e.stack) err(e.stack)
    return 1
  }
}
