import { ENV_NAME_RE, MinerDeskError, type SiteConfig } from '../../../preload/contract'
import type { VerdictReason } from '../../../preload/contract/restart'
import type { SshHost } from '../ssh/types'

/**
 * Whether the site's start commands can do what the restart's gates will check, found out before
 * anything is stopped: the working directory exists, each command's program or script is there
 * (and a script executable), and a miner expected to run with an environment is started by
 * something that can set it. A restart that already knows it cannot bring the miner back
 * correctly must not stop a healthy one.
 */

export type StartRole = 'daemon' | 'miner'

/** One thing a start command needs on the site. `base`: the directory a relative path is taken from (null: the working directory). */
export interface StartNeed {
  role: StartRole
  /** script: a path that must be an executable file · file: a script given to a shell (must exist) · program: found on the login's PATH · dir: a `cd` target. */
  kind: 'script' | 'file' | 'program' | 'dir'
  path: string
  base: string | null
}

export interface StartCommandFacts {
  needs: StartNeed[]
  /** Runs `lotus-miner run` itself. */
  runsMinerDirectly: boolean
  /** Environment variables the snippet sets itself (assignments, export, env). */
  sets: string[]
}

const WRAPPERS = new Set(['nohup', 'exec', 'setsid', 'time', 'command', 'stdbuf'])
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh'])
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/

/**
 * Splits a shell snippet into simple commands of words (quotes and backslashes honoured,
 * redirections dropped with their targets). Words that the shell would expand ($, `, globs)
 * are kept as null: nothing is concluded from them.
 */
export function simpleCommands(snippet: string): Array<Array<string | null>> {
  const commands: Array<Array<string | null>> = [[]]
  let word = ''
  let inWord = false
  let dynamic = false
  let skipNext = false
  const end = () => {
    if (!inWord) return
    if (skipNext) skipNext = false
    else commands[commands.length - 1]!.push(dynamic ? null : word)
    word = ''
    inWord = false
    dynamic = false
  }
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i]!
    if (c === '\\' && i + 1 < snippet.length) {
      word += snippet[++i]
      inWord = true
    } else if (c === "'") {
      const close = snippet.indexOf("'", i + 1)
      word += snippet.slice(i + 1, close < 0 ? undefined : close)
      i = close < 0 ? snippet.length : close
      inWord = true
    } else if (c === '"') {
      let j = i + 1
      for (; j < snippet.length && snippet[j] !== '"'; j++) {
        if (snippet[j] === '\\' && j + 1 < snippet.length) j++
        if (snippet[j] === '$' || snippet[j] === '`') dynamic = true
        word += snippet[j]
      }
      i = j
      inWord = true
    } else if (c === ' ' || c === '\t') {
      end()
    } else if (c === '>' || c === '<') {
      // A redirection: `2>&1` is complete; `> file`, `>> file`, `< file` take the next word.
      const fd = inWord && /^\d+$/.test(word)
      if (fd) {
        word = ''
        inWord = false
      } else end()
      let j = i + 1
      if (snippet[j] === '>' || snippet[j] === '<') j++
      if (snippet[j] === '&') {
        j++
        while (j < snippet.length && /[\d-]/.test(snippet[j]!)) j++
      } else skipNext = true
      i = j - 1
    } else if (c === ';' || c === '|' || c === '&' || c === '\n') {
      end()
      skipNext = false
      if ((c === '&' || c === '|') && snippet[i + 1] === c) i++
      commands.push([])
    } else {
      if (c === '$' || c === '`' || c === '*' || c === '?' || (c === '~' && !inWord && i + 1 < snippet.length && snippet[i + 1] !== '/')) dynamic = true
      word += c
      inWord = true
    }
  }
  end()
  return commands.filter((cmd) => cmd.length > 0)
}

/** What a start command needs on the site and whether it can set the miner's environment. */
export function startCommandFacts(role: StartRole, snippet: string): StartCommandFacts {
  const needs: StartNeed[] = []
  const sets: string[] = []
  let runsMinerDirectly = false
  let base: string | null = null
  for (const words of simpleCommands(snippet)) {
    let i = 0
    // Leading assignments and wrappers (`FOO=1 nohup env BAR=2 lotus-miner run`).
    for (;;) {
      const w = words[i]
      if (w === undefined) break
      if (w === null) break
      const a = ASSIGNMENT.exec(w)
      if (a) {
        sets.push(a[1]!)
        i++
      } else if (WRAPPERS.has(w)) i++
      else if (w === 'env') {
        i++
        while (typeof words[i] === 'string' && (words[i] as string).startsWith('-')) i++
      } else if (w === 'nice') {
        i++
        if (words[i] === '-n') i += 2
      } else break
    }
    const program = words[i]
    if (program === undefined || program === null) continue
    const arg = words[i + 1]
    if (program === 'export') {
      for (const w of words.slice(i + 1)) {
        const a = typeof w === 'string' ? ASSIGNMENT.exec(w) : null
        if (a) sets.push(a[1]!)
        else if (typeof w === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(w)) sets.push(w)
      }
      continue
    }
    if (program === 'cd') {
      if (typeof arg === 'string') {
        needs.push({ role, kind: 'dir', path: arg, base })
        base = arg.startsWith('/') || arg.startsWith('~') || base === null ? arg : `${base}/${arg}`
      }
      continue
    }
    if (SHELLS.has(program) && typeof arg === 'string' && !arg.startsWith('-')) {
      needs.push({ role, kind: 'file', path: arg, base })
      continue
    }
    if (program.includes('/')) needs.push({ role, kind: 'script', path: program, base })
    else needs.push({ role, kind: 'program', path: program, base: null })
    if (program.endsWith('lotus-miner') && arg === 'run') runsMinerDirectly = true
  }
  return { needs, runsMinerDirectly, sets }
}

const ROLE_NAME: Record<StartRole, string> = { daemon: 'lotus daemon', miner: 'lotus-miner' }

/**
 * Checks every need in one remote command: $1 the working directory, $2 the number of needs,
 * then (kind, path, base) per need, then the names of the expected environment. Prints
 * `W ok|missing` for the working directory, `N <index> ok|missing|noexec` per need and
 * `E <name> set|unset` per variable in the login's environment; `~` means the login's HOME.
 */
const CHECK_SCRIPT = [
  'home() { case $1 in "~") printf %s "$HOME";; "~/"*) printf %s "$HOME/${1#"~/"}";; *) printf %s "$1";; esac; }',
  'w=$(home "$1"); n=$2; shift 2',
  'if [ -d "$w" ]; then echo "W ok"; else echo "W missing"; fi',
  'i=0',
  'while [ "$i" -lt "$n" ]; do',
  '  k=$1; p=$(home "$2"); b=$3; shift 3',
  '  case $p in /*) f=$p;; *) if [ "$b" = "-" ]; then f=$w/$p; else b=$(home "$b"); case $b in /*) f=$b/$p;; *) f=$w/$b/$p;; esac; fi;; esac',
  '  case $k in',
  '    program) if command -v "$p" >/dev/null 2>&1; then r=ok; else r=missing; fi;;',
  '    dir) if [ -d "$f" ]; then r=ok; else r=missing; fi;;',
  '    file) if [ -f "$f" ]; then r=ok; else r=missing; fi;;',
  '    *) if [ ! -f "$f" ]; then r=missing; elif [ -x "$f" ]; then r=ok; else r=noexec; fi;;',
  '  esac',
  '  echo "N $i $r"; i=$((i+1))',
  'done',
  // Names are checked against ENV_NAME_RE by the settings schema before they get here.
  'for v in "$@"; do eval "if [ -n \\"\\${$v+x}\\" ]; then echo \\"E $v set\\"; else echo \\"E $v unset\\"; fi"; done'
].join('\n')

/** The reasons the site's start configuration would fail the restart's own gates (empty: none found). */
export async function startConfigProblems(host: SshHost, site: SiteConfig, signal?: AbortSignal): Promise<VerdictReason[]> {
  const roles: StartRole[] = ['daemon', 'miner']
  const facts = Object.fromEntries(roles.map((r) => [r, startCommandFacts(r, site.startCommands[r])])) as Record<StartRole, StartCommandFacts>
  const needs = roles.flatMap((r) => facts[r].needs)
  const expected = Object.keys(site.expectedEnv).filter((name) => ENV_NAME_RE.test(name))
  const args = needs.flatMap((n) => [n.kind, n.path, n.base ?? '-'])
  const res = await host.exec({ argv: ['sh', '-c', CHECK_SCRIPT, 'sh', site.workDir, String(needs.length), ...args, ...expected] }, { timeoutMs: 20_000, ...(signal ? { signal } : {}) })
  const lines = res.stdout.split('\n')
  const workDir = lines.find((l) => l.startsWith('W '))
  if (res.code !== 0 || !workDir) {
    throw new MinerDeskError({ code: 'ssh/command-failed', message: `could not check the start commands on ${host.alias} (exit ${res.code})`, details: res.stderr.trim().slice(0, 2000) })
  }
  const reasons: VerdictReason[] = []
  const dir = site.workDir
  if (workDir === 'W missing') {
    reasons.push({ code: 'workdir-missing', params: { dir }, text: `the working directory ${dir} does not exist on the site: the start commands run there (set it in the site's settings)` })
  }
  const result = new Map<number, string>()
  for (const l of lines) {
    const m = /^N (\d+) (\w+)$/.exec(l)
    if (m) result.set(Number(m[1]), m[2]!)
  }
  needs.forEach((n, i) => {
    const r = result.get(i)
    if (r === undefined || r === 'ok') return
    const role = ROLE_NAME[n.role]
    const where = n.base ?? dir
    if (workDir === 'W missing' && n.base === null && n.kind !== 'program' && !n.path.startsWith('/') && !n.path.startsWith('~')) return
    if (n.kind === 'program') {
      reasons.push({ code: 'start-program-missing', params: { role, program: n.path }, text: `${n.path}, which the ${role} start command runs, is not found on the SSH login's PATH (give its full path in the start command, or add it to the login's PATH)` })
    } else if (r === 'noexec') {
      reasons.push({ code: 'start-script-noexec', params: { role, script: n.path, dir: where }, text: `the ${role} start script ${n.path} in ${where} is not executable (chmod +x ${n.path})` })
    } else if (n.kind === 'dir') {
      reasons.push({ code: 'start-dir-missing', params: { role, dir: n.path }, text: `the directory ${n.path} that the ${role} start command changes to does not exist` })
    } else {
      reasons.push({ code: 'start-script-missing', params: { role, script: n.path, dir: where }, text: `the ${role} start script ${n.path} does not exist in ${where} (fix the start command in the site's settings)` })
    }
  })
  // A miner started directly gets only what the command sets and the login's environment has.
  const inLogin = new Set(lines.filter((l) => / set$/.test(l) && l.startsWith('E ')).map((l) => l.slice(2, -4)))
  const miner = facts.miner
  const unset = expected.filter((name) => !miner.sets.includes(name) && !inLogin.has(name))
  if (miner.runsMinerDirectly && unset.length > 0) {
    const names = unset.join(' ')
    reasons.push({
      code: 'start-sets-no-env',
      params: { n: unset.length, names, command: site.startCommands.miner },
      text: `the miner must run with ${names}, but its start command (${site.startCommands.miner}) starts lotus-miner without setting ${unset.length === 1 ? 'it' : 'them'} and the SSH login does not have ${unset.length === 1 ? 'it' : 'them'} either: the restart would fail its environment check with the miner already stopped (set the start command to the script that sets them, e.g. ./runminer.sh)`
    })
  }
  return reasons
}
