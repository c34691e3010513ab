import { MinerDeskError, STALE_LOCK_SEC, type SiteLock } from '../../../preload/contract'
import type { SshHost } from '../ssh/types'

/**
 * The restart lock on the site host: a directory `~/.minerdesk/restart.lock` of the SSH login,
 * created with `mkdir` (atomic: of two operators, exactly one creates it), holding who took it
 * (operator, machine, process, run, the holder's name for the site), when, and a heartbeat the
 * holder refreshes while its run lasts. One lock per login: sites that share a login restart
 * one at a time. The script is fixed; every value reaches it as a positional argument.
 */
const LOCK_SCRIPT = `set -u
d="$HOME/.minerdesk"; l="$d/restart.lock"
printf 'now %s\\n' "$(date +%s)"
info() {
  printf 'since %s\\n' "$(cat "$l/since" 2>/dev/null)"
  printf 'heartbeat %s\\n' "$(cat "$l/heartbeat" 2>/dev/null)"
  printf 'token %s\\n' "$(cat "$l/token" 2>/dev/null)"
  printf 'owner %s\\n' "$(cat "$l/owner" 2>/dev/null)"
}
put() { printf '%s\\n' "$2" > "$l/.$1.tmp" && mv -f "$l/.$1.tmp" "$l/$1"; }
# A lock just created by another operator gets its files a moment after its mkdir: wait for them
# (a few seconds at most) so the refusal can say who holds it.
settle() { n=0; while [ -d "$l" ] && [ ! -s "$l/owner" ] && [ $n -lt 3 ]; do sleep 1; n=$((n+1)); done; }
mine() { [ -f "$l/token" ] && [ "$(cat "$l/token")" = "$1" ]; }
case "$1" in
acquire)
  umask 077; mkdir -p "$d" || exit 5
  if mkdir "$l" 2>/dev/null; then
    put since "$(date +%s)"; put heartbeat "$(date +%s)"; put token "$2"; put owner "$3"
    echo 'state acquired'; info; exit 0
  fi
  if mine "$2"; then put heartbeat "$(date +%s)"; put owner "$3"; echo 'state acquired'; info; exit 0; fi
  settle; echo 'state held'; info; exit 3 ;;
heartbeat)
  if mine "$2"; then put heartbeat "$(date +%s)"; echo 'state held'; info; exit 0; fi
  echo 'state lost'; [ -d "$l" ] && info; exit 4 ;;
release)
  if mine "$2"; then rm -rf "$l"; echo 'state released'; exit 0; fi
  echo 'state lost'; [ -d "$l" ] && info; exit 4 ;;
status)
  if [ -d "$l" ]; then settle; echo 'state held'; info; else echo 'state free'; fi; exit 0 ;;
break)
  [ -d "$l" ] || { echo 'state free'; exit 0; }
  t=$(cat "$l/token" 2>/dev/null); h=$(cat "$l/heartbeat" 2>/dev/null); [ -n "$h" ] || h=0
  if [ "$t" != "$2" ]; then echo 'state held'; info; exit 3; fi
  if [ $(( $(date +%s) - h )) -lt "$3" ]; then echo 'state fresh'; info; exit 3; fi
  rm -rf "$l"; echo 'state broken'; info; exit 0 ;;
esac
echo "unknown verb $1" >&2; exit 2`

export type LockVerb = 'acquire' | 'heartbeat' | 'release' | 'status' | 'break'
export type LockState = 'free' | 'held' | 'acquired' | 'released' | 'lost' | 'fresh' | 'broken'

export interface LockOwner {
  operator: string
  machine: string
  pid: number
  run: string
  site: string
  via: string
}

export interface LockAnswer {
  state: LockState
  /** The site host's clock (s) when it answered. */
  now: number
  token: string
  since: number
  heartbeat: number
  owner: Partial<LockOwner> | null
}

const TOKEN_RE = /^[A-Za-z0-9-]{1,64}$/

/** The argv of one lock operation (validated: the token is a run id). */
export function lockCommand(verb: LockVerb, token = '', owner: LockOwner | null = null, staleSec = STALE_LOCK_SEC): { argv: string[] } {
  if (token !== '' && !TOKEN_RE.test(token)) throw new MinerDeskError({ code: 'invalid-input', message: `not a lock token: ${JSON.stringify(token)}` })
  const extra = verb === 'acquire' ? [JSON.stringify(owner ?? {})] : verb === 'break' ? [String(Math.max(0, Math.floor(staleSec)))] : []
  return { argv: ['sh', '-c', LOCK_SCRIPT, 'sh', verb, token, ...extra] }
}

export function parseLockOutput(stdout: string): LockAnswer {
  const out: LockAnswer = { state: 'free', now: 0, token: '', since: 0, heartbeat: 0, owner: null }
  let seenState = false
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ')
    const key = sp < 0 ? line : line.slice(0, sp)
    const value = sp < 0 ? '' : line.slice(sp + 1)
    if (key === 'now') out.now = Number(value) || 0
    else if (key === 'state') {
      out.state = value as LockState
      seenState = true
    } else if (key === 'since') out.since = Number(value) || 0
    else if (key === 'heartbeat') out.heartbeat = Number(value) || 0
    else if (key === 'token') out.token = value
    else if (key === 'owner' && value) {
      try {
        const v = JSON.parse(value) as unknown
        if (v && typeof v === 'object') out.owner = v as Partial<LockOwner>
      } catch {
        out.owner = null
      }
    }
  }
  if (!seenState) throw new MinerDeskError({ code: 'ssh/command-failed', message: 'the restart lock did not answer', details: stdout.slice(0, 2000) })
  return out
}

export async function lockOp(host: SshHost, verb: LockVerb, token = '', owner: LockOwner | null = null, staleSec = STALE_LOCK_SEC): Promise<LockAnswer> {
  const r = await host.exec(lockCommand(verb, token, owner, staleSec), { timeoutMs: 20_000, maxOutputBytes: 64 * 1024 })
  if (r.code === 2 || r.code === 5 || r.code === null) {
    throw new MinerDeskError({ code: 'ssh/command-failed', message: `${host.alias}: the restart lock could not be ${verb === 'status' ? 'read' : 'written'} (~/.minerdesk/restart.lock)`, details: r.stderr.slice(0, 2000) })
  }
  return parseLockOutput(r.stdout)
}

/** The lock as the contract shows it (null when free); `mine` says whether this process holds it. */
export function describeLock(a: LockAnswer, isMine: (owner: Partial<LockOwner>, token: string) => boolean): SiteLock | null {
  if (a.state === 'free' || a.state === 'released' || a.state === 'broken') return null
  const o = a.owner ?? {}
  const beat = a.heartbeat || a.since
  return {
    operator: o.operator ?? '?',
    machine: o.machine ?? '?',
    pid: o.pid ?? 0,
    run: o.run ?? a.token,
    site: o.site ?? '',
    via: o.via ?? '',
    since: a.since * 1000,
    heartbeat: beat * 1000,
    stale: a.now - beat >= STALE_LOCK_SEC,
    mine: isMine(o, a.token)
  }
}

/** "restarted by X (machine, pid) since HH:MM" for error messages (English; the screens use i18n keys). */
export function holderText(l: SiteLock): string {
  const since = new Date(l.since).toISOString().replace('T', ' ').slice(0, 16)
  return `${l.operator} on ${l.machine} (pid ${l.pid}, via ${l.via || '?'}) since ${since} UTC`
}

export function lockedError(siteId: string, l: SiteLock, what: string): MinerDeskError {
  return new MinerDeskError({
    code: 'site/locked',
    message: `${siteId}: ${what} refused: the site is being restarted by ${holderText(l)}`,
    hint: l.stale
      ? `its heartbeat stopped ${Math.round((Date.now() - l.heartbeat) / 60000)} min ago: if that MinerDesk is gone, break the lock (minerdesk site-lock ${siteId} --break --yes, or the Restart tab)`
      : 'wait for that restart to end, or ask its operator',
    params: { operator: l.operator, machine: l.machine, since: l.since, pid: l.pid, run: l.run }
  })
}
