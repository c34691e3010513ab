import type { RestartReportFile, RestartRun, RestartStepId } from '../../../preload/contract/restart'
import { shortDuration } from '../overview/format'
import { redactDeep } from '../util/redact'

/**
 * A restart run as a report a person reads (Markdown, also fine as plain text) or a script
 * reads (JSON: the run itself). Every step: start, end, what was run, what each gate saw, log
 * excerpts; the pre-check and the post-check; the site's state at the end.
 */

export const STEP_TITLE: Record<RestartStepId, string> = {
  precheck: 'Pre-check',
  stopMiner: 'Stop the miner',
  stopDaemon: 'Stop the daemon',
  startDaemon: 'Start the daemon and wait for sync',
  startMiner: 'Start the miner and confirm the warm-up',
  postcheck: 'Post-check'
}

const iso = (ms: number | undefined): string => (ms ? new Date(ms).toISOString() : '-')
const time = (ms: number): string => {
  const d = new Date(ms)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
}
const took = (a?: number, b?: number): string => (a && b ? `${((b - a) / 1000).toFixed(1)} s` : '-')
const cell = (s: string | number): string => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ')

function table(header: string[], rows: Array<Array<string | number>>): string[] {
  if (rows.length === 0) return []
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)]
}

function fence(lines: string[]): string[] {
  return ['```', ...lines.map((l) => l.replace(/```/g, "'''")), '```']
}

export function outcomeText(run: RestartRun): string {
  if (!run.result) return run.phase
  if (run.result.ok) return 'done: daemon and miner restarted'
  if (run.result.aborted) return `aborted at "${STEP_TITLE[run.result.failedStep ?? run.current]}"`
  return `failed at "${STEP_TITLE[run.result.failedStep ?? run.current]}": ${run.result.error?.message ?? ''}`
}

export function renderMarkdown(run: RestartRun): string {
  const out: string[] = []
  const end = run.result?.endedAt
  out.push(`# Restart of ${run.siteId} (${run.alias})`, '')
  out.push(`- Result: **${outcomeText(run)}**`)
  out.push(`- Run: ${run.id}, by ${run.operator} via ${run.via}`)
  out.push(`- Started: ${iso(run.createdAt)}; ended: ${iso(end)}; took ${end ? shortDuration((end - run.createdAt) / 1000) : '-'}`)
  if (run.result?.site) out.push(`- The site at the end: ${run.result.site.text}`)
  if (run.override) out.push(`- Pre-check verdict overridden at ${iso(run.override.at)}: "${run.override.verdict}" — acknowledgement: "${run.override.note}"`)
  for (const i of run.interruptions) out.push(`- MinerDesk stopped during "${STEP_TITLE[i.step]}" (last saved ${iso(i.at)}); ${i.resumedAt ? `taken up again ${iso(i.resumedAt)}` : 'not taken up again'}`)
  if (run.knownWorkers) out.push(`- Another attempt after a restart that did not succeed: workers expected back as before the first attempt (run ${run.knownWorkers.firstRun}, ${iso(run.knownWorkers.at)}): ${run.knownWorkers.workers.join(', ') || '-'}`)
  if (run.options.expectMinerVersion || run.options.expectDaemonVersion) out.push(`- Expected versions: miner ${run.options.expectMinerVersion ?? 'as before'}, daemon ${run.options.expectDaemonVersion ?? 'as before'}`)
  if (run.result?.error?.details) out.push('', 'Error detail:', ...fence(run.result.error.details.split('\n')))
  out.push('')

  const p = run.precheck
  if (p) {
    out.push('## Pre-check', '')
    out.push(`- Daemon: ${p.daemon.up ? `up, ${p.daemon.version ?? '?'}` : 'down'} (pid ${p.daemon.pids.join(' ') || '-'}, repo ${p.daemon.repo})`)
    out.push(`- Miner: ${p.miner.up ? `up, ${p.miner.version ?? '?'}${p.miner.actor ? `, ${p.miner.actor}` : ''}` : 'down'} (pid ${p.miner.pids.join(' ') || '-'}, repo ${p.miner.repo})`)
    out.push(`- Chain: height ${p.chain.height ?? '-'}, ${p.chain.behindEpochs ?? '-'} epoch(s) behind, block time ${p.chain.blockDelay ?? '-'} s`)
    out.push(`- Verdict: **${p.verdict.text}** (expected restart ${shortDuration(p.verdict.restartSec)}, ${p.verdict.restartSource}; ${p.verdict.restartEpochs} epochs with margin)`)
    for (const w of p.warnings) out.push(`- Note: ${w.text}`)
    if (p.proving) {
      out.push('', `Proving: epoch ${p.proving.currentEpoch}, deadline ${p.proving.deadlineIndex} (open ${p.proving.open}–${p.proving.close})`, '')
      out.push(...table(['deadline', 'opens', 'challenge', 'partitions', 'sectors', 'proven', ''], p.proving.deadlines.map((d) => [d.index, time(d.openAt).slice(0, 8), d.challengeEpoch, d.partitions, d.sectors, d.proven, d.current ? '(current)' : ''])))
    }
    out.push('', `Sealing jobs: ${p.jobs.length}`, '')
    out.push(...table(['id', 'sector', 'task', 'worker', 'state', 'on restart'], p.jobs.map((j) => [j.id.slice(0, 8), j.sector, j.task, j.hostname, j.state, j.effect])))
    out.push('', `Local pending messages: ${p.messages.length}`, '')
    out.push(...table(['cid', 'from', 'nonce', 'method', 'waiting'], p.messages.map((m) => [m.cid, m.from, m.nonce, m.method, shortDuration(m.ageSec)])))
    out.push('', `Workers: ${p.workers.join(', ') || '-'}`, '')
    out.push(`Expected environment of the miner: ${p.env.rows.length === 0 ? 'none configured' : p.env.readable ? (p.env.ok ? 'as expected' : 'differs now') : 'not readable'}`, '')
    out.push(...table(['variable', 'expected', 'running miner now', ''], p.env.rows.map((r) => [r.name, r.expected, r.actual ?? '(not set)', r.ok ? 'ok' : 'DIFFERS'])))
    out.push('', 'Commands of the sequence:', '', ...fence(p.commands.map((c) => `${c.host}: ${c.text}`)), '')
  }

  run.steps.forEach((s, i) => {
    if (s.id === 'precheck' && s.observations.length === 0) return
    out.push(`## ${i}. ${STEP_TITLE[s.id]} — ${s.status}`, '')
    out.push(`- Start: ${iso(s.startedAt)}; end: ${iso(s.endedAt)}; took ${took(s.startedAt, s.endedAt)}`)
    for (const c of s.commands) {
      out.push(`- Ran (${c.kind}): \`${c.host}: ${c.text}\` — ${c.status}${c.endedAt ? ` (${took(c.at, c.endedAt)})` : ''}${c.error ? `: ${c.error.message}` : ''}`)
      if (c.output) out.push(...fence(c.output.split('\n').slice(0, 20)).map((l) => `  ${l}`))
    }
    if (s.sync) out.push(`- Sync at the end: height ${s.sync.height}, ${s.sync.behindEpochs} epoch(s) behind, ${s.sync.ratePerSec ?? '-'} epochs/s`)
    if (s.observations.length > 0) {
      out.push('- Gate:')
      if (s.droppedObservations) out.push(`  - (${s.droppedObservations} progress line(s) left out)`)
      for (const o of s.observations) out.push(`  - ${time(o.at)} ${o.tone === 'critical' ? '**' : ''}${o.text}${o.tone === 'critical' ? '**' : ''}`)
    }
    if (s.error) out.push(`- Error: ${s.error.message}${s.error.hint ? ` — ${s.error.hint}` : ''}`)
    for (const e of s.excerpts) out.push(`- Log excerpt (${e.file}):`, ...fence(e.lines))
    out.push('')
  })

  const a = run.after
  if (a) {
    out.push('## After the restart', '')
    out.push(`- Workers: ${a.workers.join(', ') || '-'}${a.busyWorkers.length ? ` (finishing a task first: ${a.busyWorkers.join(', ')})` : ''}`)
    out.push(`- Jobs: ${a.jobs.running} running, ${a.jobs.retWait} ret-wait, ${a.jobs.queued} queued`)
    out.push(`- Faults: ${a.faults}; local pending messages: ${a.messages.length}`)
    if (a.proving) {
      out.push('', `Proving: epoch ${a.proving.currentEpoch}, deadline ${a.proving.deadlineIndex}`, '')
      out.push(...table(['deadline', 'opens', 'partitions', 'sectors', 'proven', ''], a.proving.deadlines.map((d) => [d.index, time(d.openAt).slice(0, 8), d.partitions, d.sectors, d.proven, d.current ? '(current)' : ''])))
    }
    out.push('')
  }
  return `${out.join('\n')}\n`
}

/** The run as a file to save; what it holds passes the one redaction first (no token in an export). */
export function reportFile(raw: RestartRun, format: 'json' | 'markdown'): RestartReportFile {
  const run = redactDeep(raw)
  const stamp = new Date(run.createdAt).toISOString().replace(/[:.]/g, '-').slice(0, 19)
  const base = `minerdesk-restart-${run.siteId}-${stamp}`
  if (format === 'json') return { filename: `${base}.json`, mime: 'application/json', content: `${JSON.stringify(run, null, 2)}\n` }
  return { filename: `${base}.md`, mime: 'text/markdown', content: renderMarkdown(run) }
}
