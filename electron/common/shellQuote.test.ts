import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { UnsafeArgumentError, buildCommandLine, buildShellSnippet, quoteArg, quoteArgv } from './shellQuote'

/** Runs a command line through a real /bin/sh and returns the argv the program received. */
function argvSeenBySh(line: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `${line}`], { encoding: 'utf8' })
  return JSON.parse(out) as string[]
}

const printArgs = ['node', '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '--']

describe('quoteArg', () => {
  it('leaves plain words alone', () => {
    expect(quoteArg('lotus-miner')).toBe('lotus-miner')
    expect(quoteArg('--really-do-it')).toBe('--really-do-it')
    expect(quoteArg('/data/path')).toBe('/data/path')
  })

  it('quotes everything else', () => {
    expect(quoteArg('')).toBe("''")
    expect(quoteArg('a b')).toBe("'a b'")
    expect(quoteArg("it's")).toBe("'it'\\''s'")
  })

  it('rejects NUL bytes', () => {
    expect(() => quoteArg('a\0b')).toThrow(UnsafeArgumentError)
  })

  const hostile = [
    '; rm -rf /', '$(id)', '`id`', "'; echo pwned; '", '"$HOME"', 'a\nb', '*', '~', '-rf', '|cat', '&&', '\\',
    '${IFS}', '扇区 1', "''''", '\'"\'"', '\t', '!event', '$((1+1))'
  ]
  it.each(hostile)('passes %j through sh as one literal word', (arg) => {
    expect(argvSeenBySh(quoteArgv([...printArgs, arg]))).toEqual([arg])
  })
})

describe('buildCommandLine', () => {
  it('adds cwd and env safely', () => {
    const line = buildCommandLine({ argv: ['lotus-miner', 'sectors', 'status', '12'], cwd: '/tmp', env: { LOTUS_MINER_PATH: '/x y' } })
    expect(line).toBe("cd /tmp && LOTUS_MINER_PATH='/x y' lotus-miner sectors status 12")
  })

  it('expands ~ from $HOME but nothing else', () => {
    const line = buildCommandLine({ argv: ['pwd'], cwd: '~/a b' })
    expect(line).toBe(`cd "$HOME"/'a b' && pwd`)
  })

  it('rejects invalid env names', () => {
    expect(() => buildCommandLine({ argv: ['x'], env: { 'A;B': '1' } })).toThrow(UnsafeArgumentError)
  })

  it('wraps operator snippets in sh -c', () => {
    expect(buildShellSnippet('nohup lotus daemon >> daemon.log 2>&1 &', '~')).toBe(
      `cd "$HOME" && sh -c 'nohup lotus daemon >> daemon.log 2>&1 &'`
    )
    expect(() => buildShellSnippet('  ')).toThrow(UnsafeArgumentError)
  })
})
