import { configError } from './errors'

/**
 * Expansion of `~`, `${VAR}` and `%x` tokens in ssh_config values, as OpenSSH does for
 * IdentityFile and UserKnownHostsFile (ssh_config(5) "TOKENS" and "ENVIRONMENT VARIABLES").
 */

export type TokenMap = Readonly<Record<string, string>>

/** `%%` → `%`, `%x` → tokens[x]; an unknown token is a config error, as in OpenSSH. */
export function expandPercent(value: string, tokens: TokenMap, what: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c !== '%') {
      out += c
      continue
    }
    const t = value[i + 1]
    if (t === undefined) throw configError(`${what}: a lone "%" at the end of ${JSON.stringify(value)}`)
    i++
    if (t === '%') out += '%'
    else if (Object.prototype.hasOwnProperty.call(tokens, t)) out += tokens[t]
    else throw configError(`${what}: unknown token %${t} in ${JSON.stringify(value)}`)
  }
  return out
}

/** `~` and `~/…` → the local home directory. */
export function expandTilde(value: string, home: string, localUser: string, what: string): string {
  if (value === '~') return home
  if (value.startsWith('~/')) return `${home}${value.slice(1)}`
  if (value.startsWith('~')) {
    const slash = value.indexOf('/')
    const name = slash < 0 ? value.slice(1) : value.slice(1, slash)
    if (name === localUser) return home + (slash < 0 ? '' : value.slice(slash))
    throw configError(`${what}: "~${name}" refers to another user's home, which MinerDesk does not look up`)
  }
  return value
}

/** `${NAME}` → the local environment variable (unset is a config error, as in OpenSSH). */
export function expandEnv(value: string, env: NodeJS.ProcessEnv, what: string): string {
  return value.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
    const v = env[name]
    if (v === undefined) throw configError(`${what}: environment variable \${${name}} is not set`)
    return v
  })
}

/** The full treatment for path-valued options: `~`, then `${VAR}`, then `%` tokens. */
export function expandPath(value: string, o: { home: string; localUser: string; env: NodeJS.ProcessEnv; tokens: TokenMap }, what: string): string {
  return expandPercent(expandEnv(expandTilde(value, o.home, o.localUser, what), o.env, what), o.tokens, what)
}
