import { quoteArg } from '../../common/shellQuote'
import type { SimSiteConfig, WorkerSpec } from '../common/siteConfig'
import { SITE_ENV } from '../common/siteConfig'
import { TASK_SECONDS } from '../miner/durations'
import type { SiteLayout } from './layout'

/**
 * The shell files of a site: the `lotus*` shims on its PATH, the login script sshd runs as
 * ForceCommand, and the runbook's start scripts in HOME (runbook §5, §6), written the way an
 * operator writes them.
 */

export const PROGRAMS = ['lotus', 'lotus-miner', 'lotus-worker'] as const

function envPrefix(cfg: SimSiteConfig): string {
  const parts = [`${SITE_ENV}=${quoteArg(cfg.root)}`]
  for (const [k, v] of Object.entries(cfg.nodeEnv ?? {})) parts.push(`${k}=${quoteArg(v)}`)
  return parts.join(' ')
}

/** `bin/<program>`: runs the simulator bundle as that program, with the site baked in. */
export function shimScript(cfg: SimSiteConfig, program: (typeof PROGRAMS)[number]): string {
  return `#!/bin/sh\n${envPrefix(cfg)} exec ${quoteArg(cfg.node)} ${quoteArg(cfg.bundle)} ${program} "$@"\n`
}

/**
 * `login.sh`: what every SSH session (and `up` itself) runs — the site's HOME, PATH and
 * MDSIM_SITE, then the client's command through /bin/sh, or an interactive shell.
 */
export function loginScript(cfg: SimSiteConfig, layout: SiteLayout): string {
  return [
    '#!/bin/sh',
    `# Login environment of the simulated Lotus site ${cfg.name}: sshd runs this as ForceCommand.`,
    `${SITE_ENV}=${quoteArg(cfg.root)}`,
    `HOME=${quoteArg(cfg.home)}`,
    `PATH=${quoteArg(layout.bin)}:"$PATH"`,
    `export ${SITE_ENV} HOME PATH`,
    'cd "$HOME" || exit 1',
    'if [ -n "$SSH_ORIGINAL_COMMAND" ]; then',
    '  exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"',
    'fi',
    'exec /bin/sh -i',
    ''
  ].join('\n')
}

/** Proof and log settings every sealing box of the runbook exports (docs/lotus.md "Processes, environment and start-up logs"). */
function proofsEnv(cfg: SimSiteConfig, multicoreSdr: boolean): string[] {
  const lines = [
    'export FIL_PROOFS_PARAMETER_CACHE=/var/tmp/filecoin-proof-parameters',
    'export FIL_PROOFS_PARENT_CACHE=/var/tmp/filecoin-parents',
    'export FIL_PROOFS_MAXIMIZE_CACHING=1',
    'export FIL_PROOFS_USE_GPU_COLUMN_BUILDER=1',
    'export FIL_PROOFS_USE_GPU_TREE_BUILDER=1'
  ]
  if (multicoreSdr) lines.push('export FIL_PROOFS_USE_MULTICORE_SDR=1')
  lines.push('export RUST_LOG=info', 'export RUST_BACKTRACE=full', `export TMPDIR=${quoteArg(`${cfg.home}/tmp`)}`)
  return lines
}

/** `runminer.sh` (runbook §5/§6): environment, then `nohup lotus-miner run >> miner.log 2>&1 &`. */
export function runMinerScript(cfg: SimSiteConfig): string {
  return [
    '#!/bin/sh',
    '# Start the miner. Check miner.log afterwards: it has started well only after',
    '# "winning PoSt warmup successful" (runbook §6).',
    `cd ${quoteArg(cfg.home)} || exit 1`,
    '',
    `export LOTUS_PATH=${quoteArg(`${cfg.home}/.lotus`)}`,
    `export LOTUS_MINER_PATH=${quoteArg(`${cfg.home}/.lotusminer`)}`,
    ...proofsEnv(cfg, false),
    '',
    'nohup lotus-miner run >> miner.log 2>&1 &',
    ''
  ].join('\n')
}

/** Task switches of `lotus-worker run` for each kind of box (Lotus's defaults add fetch, C1, finalize…). */
export function workerTaskFlags(kind: WorkerSpec['kind']): string[] {
  const on = {
    pc1: ['addpiece', 'precommit1'],
    pc2: ['precommit2'],
    c2: ['commit']
  }[kind]
  const all = ['addpiece', 'precommit1', 'unseal', 'precommit2', 'commit', 'replica-update', 'prove-replica-update2', 'regen-sector-key']
  return all.map((t) => `--${t}=${on.includes(t) ? 'true' : 'false'}`)
}

const KIND_LABEL: Record<WorkerSpec['kind'], string> = {
  pc1: 'AddPiece + PreCommit1',
  pc2: 'PreCommit2',
  c2: 'Commit2'
}

function workerBlock(w: WorkerSpec): string[] {
  const argv = ['lotus-worker', 'run', '--name', w.name, '--listen', `127.0.0.1:${w.port}`, ...workerTaskFlags(w.kind)]
  return [
    `# ${w.name}: ${KIND_LABEL[w.kind]} (plus Lotus's default fetch / Commit1 / finalize tasks)`,
    `export LOTUS_WORKER_PATH=${quoteArg(w.repo)}`,
    `nohup ${argv.map(quoteArg).join(' ')} >> ${quoteArg(`worker-${w.name}.log`)} 2>&1 &`,
    ''
  ]
}

/** `runworker.sh` (sealing workers) or `runworkerC2.sh` (C2 workers). */
export function runWorkersScript(cfg: SimSiteConfig, which: 'sealing' | 'c2'): string {
  const workers = cfg.workers.filter((w) => (which === 'c2' ? w.kind === 'c2' : w.kind !== 'c2'))
  const lines = [
    '#!/bin/sh',
    which === 'c2' ? '# Start the C2 worker(s).' : '# Start the sealing workers (PC1 with AddPiece, PC2).',
    `cd ${quoteArg(cfg.home)} || exit 1`,
    '',
    '# Workers find the miner through MINER_API_INFO.',
    'export $(lotus-miner auth api-info --perm admin)',
    ...proofsEnv(cfg, which === 'sealing'),
    ''
  ]
  if (workers.length === 0) lines.push(`# No ${which === 'c2' ? 'C2' : 'sealing'} workers on this site.`, '')
  for (const w of workers) lines.push(...workerBlock(w))
  return lines.join('\n')
}

/** Sectors autopledge.sh keeps in AddPiece/PreCommit1. */
const PLEDGE_TARGET = 3

/**
 * `autopledge.sh` (runbook §5): keeps the pipeline busy by pledging a CC sector whenever fewer
 * than TARGET AddPiece/PreCommit1 jobs are queued or running, at most one per TARGETth of a PC1
 * (scaled by the speed). So the PC1s end one after another and the site's one PC2 worker (a PC2
 * is a third of a PC1) takes each as it comes; pledging as soon as a PC1 ends would keep them in
 * step for good, and every round would leave sectors queued for PC2 twice as long as a PC2.
 */
export function autopledgeScript(cfg: SimSiteConfig): string {
  const interval = Math.max(5, Math.round(TASK_SECONDS.PC1 / PLEDGE_TARGET / cfg.speed))
  return [
    '#!/bin/sh',
    '# Keep sectors sealing: pledge when fewer than TARGET AddPiece/PreCommit1 jobs are waiting or running,',
    '# one at a time, spaced so that PC1s end one after another.',
    `cd ${quoteArg(cfg.home)} || exit 1`,
    `TARGET=\${TARGET:-${PLEDGE_TARGET}}`,
    'while :; do',
    `  sleep ${interval}`,
    '  n=$(lotus-miner sealing jobs 2>/dev/null | awk \'$5 == "AP" || $5 == "PC1"\' | wc -l)',
    '  if [ "$n" -lt "$TARGET" ]; then lotus-miner sectors pledge; fi',
    'done',
    ''
  ].join('\n')
}
