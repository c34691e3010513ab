import { readdirSync, readFileSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import SSHConfig, { LineType, type Line } from 'ssh-config'
import { configError, errorMessage } from './errors'

/**
 * Reading OpenSSH config files: parsing (the `ssh-config` package), `Include` targets
 * (relative to ~/.ssh, `~`, glob(3) wildcards, sorted), and a flat view of the directives.
 */

/** One directive as OpenSSH sees it: lowercased keyword, its arguments, where it came from. */
export interface ConfigDirective {
  keyword: string
  args: string[]
  file: string
}

/** A node of a parsed file: a directive, or a Host/Match line with the directives under it. */
export interface ConfigNode extends ConfigDirective {
  children?: ConfigNode[]
}

export const MAX_INCLUDE_DEPTH = 16

function argsOf(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value]
  if (Array.isArray(value)) return value.map((v: { val: string }) => v.val)
  return []
}

function toNodes(lines: readonly Line[], file: string): ConfigNode[] {
  const out: ConfigNode[] = []
  for (const line of lines) {
    if (line.type !== LineType.DIRECTIVE) continue
    const node: ConfigNode = { keyword: line.param.toLowerCase(), args: argsOf(line.value), file }
    if ('config' in line && line.config) node.children = toNodes(line.config, file)
    out.push(node)
  }
  return out
}

/** Reads and parses one file; `missingOk` is for Include targets (OpenSSH skips absent ones). */
export function readConfigFile(path: string, cache: Map<string, ConfigNode[] | null>, missingOk = false): ConfigNode[] | null {
  const hit = cache.get(path)
  if (hit !== undefined) return hit
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (missingOk && code === 'ENOENT') {
      cache.set(path, null)
      return null
    }
    if (code === 'ENOENT') throw configError(`SSH config file ${path} does not exist`, 'Choose another SSH config file in Settings, or create it.')
    throw configError(`cannot read SSH config file ${path}: ${errorMessage(err)}`)
  }
  let nodes: ConfigNode[]
  try {
    nodes = toNodes(SSHConfig.parse(text), path)
  } catch (err) {
    throw configError(`cannot parse SSH config file ${path}: ${errorMessage(err)}`)
  }
  cache.set(path, nodes)
  return nodes
}

const GLOB_CHARS = /[*?[]/

/** glob(3) for one path component: `*`, `?`, `[…]`; a leading dot is never matched by a wildcard. */
function componentRegExp(pattern: string): RegExp {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        let cls = pattern.slice(i + 1, end)
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`
        re += `[${cls.replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** Expands an absolute glob pattern to the existing paths it names, sorted as glob(3) sorts. */
export function globPaths(pattern: string): string[] {
  if (!GLOB_CHARS.test(pattern)) return [pattern]
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0)
  let bases = [parts[0] === '' ? '/' : '.']
  for (const part of parts.slice(1)) {
    const next: string[] = []
    for (const base of bases) {
      if (!GLOB_CHARS.test(part)) {
        next.push(join(base, part))
        continue
      }
      if (!isDir(base)) continue
      const re = componentRegExp(part)
      let names: string[]
      try {
        names = readdirSync(base)
      } catch {
        continue
      }
      for (const name of names.sort()) {
        if (name.startsWith('.') && !part.startsWith('.')) continue
        if (re.test(name)) next.push(join(base, name))
      }
    }
    bases = next
  }
  return bases
}

/** Include arguments → files, in order (relative ones are under ~/.ssh, as for a user config). */
export function includeTargets(args: readonly string[], home: string): string[] {
  const out: string[] = []
  for (const arg of args) {
    let p = arg
    if (p === '~' || p.startsWith('~/')) p = home + p.slice(1)
    if (!isAbsolute(p)) p = join(home, '.ssh', p)
    for (const f of globPaths(p)) if (!isDir(f)) out.push(f)
  }
  return out
}
