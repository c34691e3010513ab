/**
 * OpenSSH's host pattern language (match.c): `*` matches any run of characters, `?` exactly one,
 * everything else itself; a leading `!` negates. Used by ssh_config `Host`/`Match host` and by
 * known_hosts host fields.
 */

const cache = new Map<string, RegExp>()

function toRegExp(pattern: string): RegExp {
  let re = cache.get(pattern)
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]')
    re = new RegExp(`^${body}$`)
    if (cache.size > 500) cache.clear()
    cache.set(pattern, re)
  }
  return re
}

/** One pattern without negation (OpenSSH match_pattern). */
export function matchPattern(value: string, pattern: string): boolean {
  return toRegExp(pattern).test(value)
}

/**
 * A comma-separated list with optional `!` negation (OpenSSH match_pattern_list):
 * -1 when a negated pattern matches (the whole list is a non-match), 1 when a positive one does,
 * 0 otherwise. `lower` lowercases the patterns, as OpenSSH does for host names.
 */
export function matchPatternList(value: string, list: string, lower = false): -1 | 0 | 1 {
  let got: 0 | 1 = 0
  for (const raw of list.split(',')) {
    const item = lower ? raw.toLowerCase() : raw
    const negated = item.startsWith('!')
    const pattern = negated ? item.slice(1) : item
    if (pattern === '') continue
    if (matchPattern(value, pattern)) {
      if (negated) return -1
      got = 1
    }
  }
  return got
}

/** Host names compare case-insensitively (OpenSSH match_hostname). */
export function matchHostList(host: string, list: string): -1 | 0 | 1 {
  return matchPatternList(host.toLowerCase(), list, true)
}

/** An ssh_config `Host` line: whitespace-separated patterns, any negated match excludes. */
export function matchHostLine(host: string, patterns: readonly string[]): boolean {
  let matched = false
  for (const p of patterns) {
    const negated = p.startsWith('!')
    const pattern = negated ? p.slice(1) : p
    if (!matchPattern(host, pattern)) continue
    if (negated) return false
    matched = true
  }
  return matched
}

/** True when the pattern names exactly one host (no wildcard, no negation). */
export function isConcretePattern(p: string): boolean {
  return p !== '' && !p.startsWith('!') && !/[*?]/.test(p)
}
