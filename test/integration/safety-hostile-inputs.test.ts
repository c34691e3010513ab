import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Argument, Command, Option } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  addressSchema,
  CHANNEL_NAMES,
  channels,
  deadlineIndexSchema,
  filAmountSchema,
  jobIdSchema,
  messageCidSchema,
  nonceSchema,
  peerIdSchema,
  portSchema,
  previewIdSchema,
  processFlagSchema,
  sectorFilePatternSchema,
  sectorListSchema,
  sectorNumberSchema,
  SITE_ID_RE,
  siteIdSchema,
  SSH_ALIAS_RE,
  sshAliasSchema,
  stateNameSchema,
  typedConfirmationSchema,
  uuidSchema,
  type ChannelName
} from '../../preload/contract'
import { dispatch } from '../../electron/core/runtime/dispatch'
import { startSimSites, type SimSites } from '../support/simSites'
import { startCore, type TestCore } from '../support/siteops'

/**
 * THE SAFETY TEST: hostile inputs — shell metacharacters, paths, option injection,
 * huge numbers, unicode, empty, NUL — thrown at EVERY channel of the IPC contract (enumerated
 * when the test runs, so every feature's channels are covered as they land) through `dispatch`
 * with the real handlers, and at every CLI subcommand (enumerated from the real program). Each
 * must be refused with `invalid-input` (CLI: exit 2 and a message), and nothing may have run on
 * the sites: no audit entry, the simulated sites' processes, sectors, block list and mpool
 * unchanged, and the marker file a shell injection would create never appears.
 *
 * How each argument is attacked: for every "slot" of a channel's argument tuple (each tuple
 * item, object property, array element, record key and value, at any depth) the other slots get
 * a valid example value and that slot gets each hostile value. A few slots take free text by
 * design (a display name, the operator's own start commands, a typed confirmation …): they are
 * listed in FREE_TEXT with the reason, and are not called with hostile values at all.
 */

const MARK_DIR = mkdtempSync(join(tmpdir(), 'md-safety-'))
const MARKER = join(MARK_DIR, 'pwned')

const INJECTION = [
  `; touch ${MARKER}`,
  `$(touch ${MARKER})`,
  `\`touch ${MARKER}\``,
  `| touch ${MARKER}`,
  `&& touch ${MARKER}`,
  `\ntouch ${MARKER}`,
  `'; touch ${MARKER}; '`,
  `"; touch ${MARKER}; "`,
  `1;touch\${IFS}${MARKER}`,
  `PC1:1$(touch ${MARKER})`
]
const PATHS = ['../../../../etc/passwd', '/etc/passwd', '~/.lotusminer/token', 'C:\\Windows\\system32', '*']
const OPTIONS = ['--really-do-it', '-9', '--help', `-oProxyCommand=touch ${MARKER}`, '--yes']
const NUMBERS_AS_TEXT = ['99999999999999999999999', '1e400', '0x10', '-1', '1.5', 'NaN', 'Infinity', ' 1', '1 ']
const UNICODE = ['Ｐｒｏｖｉｎｇ', '１２３', '١٢٣', '\u202e1', '🙂', 'ﬁ', 'e\u0301']
const EMPTY_AND_NUL = ['', ' ', '\0', 'a\0b', '\u0000--really-do-it', 'x'.repeat(100_000)]
/** Refused by every slot that is not free text by design. */
const ALWAYS_HOSTILE = [...INJECTION, ...PATHS, ...OPTIONS, ...UNICODE, ...EMPTY_AND_NUL]
const HOSTILE_STRINGS = [...ALWAYS_HOSTILE, ...NUMBERS_AS_TEXT]
/** IPC carries more than strings (Electron's structured clone): numbers and shapes out of range. */
const HOSTILE_VALUES: unknown[] = [NaN, Infinity, -Infinity, -1, 2 ** 64, Number.MAX_VALUE, 1.5, true, null, {}, [], [HOSTILE_STRINGS[0]]]

/** Slots that take free text by design: never called with hostile values (see the reasons). */
const FREE_TEXT: Record<string, string> = {
  'settings:update.0.sshConfigPath': 'a local file path of the operator (checked to exist), never sent to a site',
  'sites:update.1.name': 'display name, shown only',
  'sites:update.1.group': 'display group, shown only',
  'sites:update.1.startCommands.daemon': "the operator's own shell snippet, shown in every preview before it runs",
  'sites:update.1.startCommands.miner': "the operator's own shell snippet, shown in every preview before it runs",
  'sites:update.1.startCommands.worker': "the operator's own shell snippet, shown in every preview before it runs",
  'sites:update.1.startCommands.workerC2': "the operator's own shell snippet, shown in every preview before it runs",
  'sites:update.1.expectedEnv.*': 'the environment value the running miner must have: compared, never run',
  'sites:add.0.name': 'display name, shown only',
  'sites:add.0.group': 'display group, shown only',
  'ssh:answerPassphrase.1': "the operator's key passphrase, given to the SSH key parser only",
  'ops:execute.1': 'the typed confirmation, compared with the expected value only',
  'restart:override.1': "the operator's reason for overriding a verdict, written to the audit log only"
}
const FREE_TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/^restart:\w+\.\d+\.expect(Miner|Daemon)Version$/, 'a version to expect after a restart: compared with the version Lotus reports, never sent to a site']
]
const freeText = (name: string): boolean => FREE_TEXT[name] !== undefined || FREE_TEXT_PATTERNS.some(([re]) => re.test(name))

/* ------------------------------------------------------------------ examples of valid values */

const PEER = '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'
const CID = 'bafy2bzacea3wsdh6y3a36tb3skempjoxqpuyompjbmfeyf34fi3uy6uue42v4'
const UUID = '0b5e1f0c-7d1e-4f6a-9c39-2a6f0e6b9d11'

const KNOWN = new Map<unknown, unknown>([
  [siteIdSchema, 'site-1'],
  [sectorNumberSchema, '1'],
  [sectorListSchema, ['1']],
  [stateNameSchema, 'Proving'],
  [jobIdSchema, 'deadbeef'],
  [uuidSchema, UUID],
  [previewIdSchema, UUID],
  [typedConfirmationSchema, null],
  [portSchema, '3456'],
  [processFlagSchema, 'PC1'],
  [peerIdSchema, PEER],
  [addressSchema, 'f01000'],
  [nonceSchema, '1'],
  [deadlineIndexSchema, '0'],
  [messageCidSchema, CID],
  [filAmountSchema, '0.5'],
  [sshAliasSchema, 'site-1'],
  [sectorFilePatternSchema, 's-t*']
])
const STRING_CANDIDATES = ['site-1', 'deadbeef', UUID, 'f01000', 'Proving', 'PC1', '0.5', '1', '1.36.2', 'v1.36.2', 'a few words', PEER, CID, 's-t*', '/tmp', 'a']
const NUMBER_CANDIDATES = [1, 0, 5, 10, 15, 60, 100, 3456]

type Def = Record<string, unknown> & { type: string }
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def
const ok = (s: unknown, v: unknown): boolean => (s as z.ZodType).safeParse(v).success

/** A valid value for a schema (or throws: then add the schema to KNOWN). */
function sample(s: unknown): unknown {
  if (KNOWN.has(s)) return KNOWN.get(s)
  const d = defOf(s)
  const tryAll = (cands: unknown[]): unknown => {
    for (const c of cands) if (ok(s, c)) return c
    throw new Error(`no example value for a ${d.type} schema`)
  }
  switch (d.type) {
    case 'optional':
    case 'default':
      return undefined
    case 'nullable':
      try {
        const v = sample(d.innerType)
        if (ok(s, v)) return v
      } catch {
        /* fall through */
      }
      return null
    case 'string':
      return tryAll(STRING_CANDIDATES)
    case 'number':
      return tryAll(NUMBER_CANDIDATES)
    case 'boolean':
      return false
    case 'enum':
      return Object.values(d.entries as Record<string, unknown>)[0]
    case 'literal':
      return (d.values as unknown[])[0]
    case 'tuple':
      return (d.items as unknown[]).map(sample)
    case 'array':
      return tryAll([[], [sample(d.element)]])
    case 'record':
      return {}
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(d.shape as Record<string, unknown>)) {
        const x = sample(v)
        if (x !== undefined) out[k] = x
      }
      return tryAll([out])
    }
    case 'union':
      for (const o of d.options as unknown[]) {
        try {
          const v = sample(o)
          if (ok(s, v)) return v
        } catch {
          /* next */
        }
      }
      throw new Error('no example value for a union')
    case 'pipe':
      return tryAll([sample(d.in)])
    default:
      throw new Error(`no example value for a ${d.type} schema`)
  }
}

/* ------------------------------------------------------------------ slots */

type Seg = string | number | { recordKey: true } | { recordValue: true }
interface Slot {
  path: Seg[]
  schema: unknown
}

function slots(s: unknown, path: Seg[] = []): Slot[] {
  const d = defOf(s)
  const here: Slot[] = path.length > 0 ? [{ path, schema: s }] : []
  switch (d.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return [...here, ...slots(d.innerType, path).filter((x) => x.path.length > path.length)]
    case 'pipe':
      return [...here, ...slots(d.in, path).filter((x) => x.path.length > path.length)]
    case 'tuple':
      return [...here, ...(d.items as unknown[]).flatMap((item, i) => slots(item, [...path, i]))]
    case 'object':
      return [...here, ...Object.entries(d.shape as Record<string, unknown>).flatMap(([k, v]) => slots(v, [...path, k]))]
    case 'array':
      return [...here, ...slots(d.element, [...path, 0])]
    case 'record':
      return [...here, { path: [...path, { recordKey: true }], schema: d.keyType }, ...slots(d.valueType, [...path, { recordValue: true }])]
    case 'union':
      // Attack the union as a whole; its object options' fields are attacked through the option that samples.
      return here
    default:
      return here
  }
}

function slotName(channel: string, path: Seg[]): string {
  return [channel, ...path.map((p) => (typeof p === 'object' ? ('recordKey' in p ? '(key)' : '*') : String(p)))].join('.')
}

/** Puts `value` at `path` inside a copy of `base`, making containers the path needs. */
function place(base: unknown, path: Seg[], value: unknown, schemaAt: (p: Seg[]) => unknown): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path as [Seg, ...Seg[]]
  if (typeof head === 'number') {
    const arr = Array.isArray(base) ? [...base] : []
    if (rest.length === 0) arr[head] = value
    else arr[head] = place(arr[head] ?? sample(schemaAt([head])), rest, value, (p) => schemaAt([head, ...p]))
    return arr
  }
  if (typeof head === 'object') {
    if ('recordKey' in head) return { [typeof value === 'string' ? value : String(value)]: sample(schemaAt([{ recordValue: true }])) }
    return { k: rest.length === 0 ? value : place(undefined, rest, value, (p) => schemaAt([head, ...p])) }
  }
  const obj = base && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {}
  obj[head] = rest.length === 0 ? value : place(obj[head] ?? sample(schemaAt([head])), rest, value, (p) => schemaAt([head, ...p]))
  return obj
}

function schemaAtPath(root: unknown, path: Seg[]): unknown {
  let s = root
  for (const seg of path) {
    let d = defOf(s)
    while (d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'pipe') {
      s = d.type === 'pipe' ? d.in : d.innerType
      d = defOf(s)
    }
    if (typeof seg === 'number') s = d.type === 'tuple' ? (d.items as unknown[])[seg] : d.element
    else if (typeof seg === 'object') s = 'recordKey' in seg ? d.keyType : d.valueType
    else s = (d.shape as Record<string, unknown>)[seg]
  }
  return s
}

/**
 * Numbers written as text ("1e400", "0x10", "-1" …) are hostile where a number is expected; in a
 * name or id slot ("1e400" is a possible host name, "99999999" a possible job id prefix) they are
 * well-formed values, looked up like any other, so they are only sent to numeric slots.
 */
const NUMERIC_SCHEMAS = new Set<unknown>([sectorNumberSchema, nonceSchema, portSchema, deadlineIndexSchema, filAmountSchema])

/**
 * Slots holding a path on a site (a log file, a work directory): any file name is possible there,
 * but never one read as an option (`-9`, `--really-do-it`) nor one with NUL; those must be refused.
 */
const PATH_SLOTS = new Set(['sites:update.1.workDir', 'sites:update.1.restart.daemonLog', 'sites:update.1.restart.minerLog'])
const PATH_HOSTILE = [...OPTIONS, '', '\0', 'a\0b', '\u0000--really-do-it']

function unwrap(x: unknown): unknown {
  let s = x
  for (let d = defOf(s); d.type === 'optional' || d.type === 'default' || d.type === 'nullable'; d = defOf(s)) s = d.innerType
  return s
}

/** Hostile values for one slot: the hostile strings for its kind, and the non-strings its type does not take by nature. */
function hostileFor(schema: unknown, name: string, recordKey: boolean): unknown[] {
  if (PATH_SLOTS.has(name)) return PATH_HOSTILE
  const inner = unwrap(schema)
  const t = defOf(inner).type
  const numeric = t === 'number' || NUMERIC_SCHEMAS.has(inner)
  const strings = [...ALWAYS_HOSTILE, ...(numeric ? NUMBERS_AS_TEXT.filter((h) => !(h === '1.5' && ok(schema, h))) : [])]
  // Object keys are always text.
  if (recordKey) return strings
  const natural = (v: unknown): boolean =>
    (v === null && ok(schema, null)) ||
    (typeof v === 'boolean' && t === 'boolean') ||
    // A literal's own value is its only legitimate value (e.g. `{ override: true }`).
    (t === 'literal' && ok(inner, v)) ||
    (Array.isArray(v) && v.length === 0 && t === 'array') ||
    (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && (t === 'object' || t === 'record')) ||
    // A fraction is a legitimate value of a field that is not a whole number (e.g. stuckMultiple).
    (v === 1.5 && ok(schema, 1.5))
  return [...strings, ...HOSTILE_VALUES.filter((v) => !natural(v))]
}

/* ------------------------------------------------------------------ the sites' state */

interface SiteState {
  workers: string[]
  processes: string[]
  sectors: number[]
  summary: Record<string, number>
  blocked: unknown
  pending: string[]
}

/** PIDs of every simulated Lotus process of a site (by its HOME), read locally from /proc. */
function lotusProcs(home: string): string[] {
  const out: string[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ')
      if (!/lotus(-miner|-worker)? (daemon|run)/.test(cmd)) continue
      if (!readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`HOME=${home}`)) continue
      out.push(`${name} ${cmd.trim()}`)
    } catch {
      // gone meanwhile
    }
  }
  return out.sort()
}

async function ownPending(sim: SimSites, alias: string): Promise<string[]> {
  const own = new Set((await sim.rpc<string[] | null>(alias, 'daemon', 'WalletList')) ?? [])
  const pending = (await sim.rpc<{ Message: { From: string }; CID: { '/': string } }[] | null>(alias, 'daemon', 'MpoolPending', [[]])) ?? []
  return pending.filter((m) => own.has(m.Message.From)).map((m) => m.CID['/']).sort()
}

async function siteState(sim: SimSites, alias: string): Promise<SiteState> {
  const summary = await sim.rpc<Record<string, number>>(alias, 'miner', 'SectorsSummary')
  const stats = await sim.rpc<Record<string, { Info: { Hostname: string } }>>(alias, 'miner', 'WorkerStats')
  return {
    workers: Object.values(stats).map((w) => w.Info.Hostname).sort(),
    processes: lotusProcs(sim.site(alias).config.home),
    sectors: ((await sim.rpc<number[] | null>(alias, 'miner', 'SectorsList')) ?? []).sort((a, b) => a - b),
    summary,
    blocked: await sim.rpc(alias, 'daemon', 'NetBlockList'),
    // The site's own messages: other senders' traffic comes and goes with every epoch.
    pending: await ownPending(sim, alias)
  }
}

/* ------------------------------------------------------------------ the test */

let sim: SimSites
let t: TestCore
const before: Record<string, SiteState> = {}

beforeAll(async () => {
  // Speed 1: nothing moves by itself during the test (a PC1 takes 3 h 10 min), so any change is ours.
  sim = await startSimSites({ sites: 2, sectors: 12, speed: 1, scenarios: ['stuck-message'] })
  t = startCore(sim)
  for (const s of sim.sites) before[s.alias] = await siteState(sim, s.alias)
})

afterAll(async () => {
  await t?.close()
  await sim?.down()
  rmSync(MARK_DIR, { recursive: true, force: true })
})

async function nothingRan(): Promise<void> {
  expect(existsSync(MARKER)).toBe(false)
  expect(t.audit()).toEqual([])
  for (const s of sim.sites) expect(await siteState(sim, s.alias)).toEqual(before[s.alias])
}

describe('hostile inputs through the IPC contract (every channel, real handlers)', () => {
  it('every channel refuses hostile values in every argument slot with invalid-input', async () => {
    const failures: string[] = []
    let calls = 0
    for (const channel of CHANNEL_NAMES) {
      const schema = channels[channel].args
      let baseline: unknown[]
      try {
        baseline = sample(schema) as unknown[]
      } catch (e) {
        failures.push(`${channel}: ${(e as Error).message}`)
        continue
      }
      if (!ok(schema, baseline)) {
        failures.push(`${channel}: the example arguments ${JSON.stringify(baseline)} are not valid: add an example for its schema`)
        continue
      }
      const expectRefused = async (args: unknown, what: string): Promise<void> => {
        calls++
        const r = await dispatch(t.core.handlers, channel as ChannelName, args, { via: 'web' })
        // Refused by the contract's schema, or by the handler's own checks — with a message.
        if (r.ok || r.error.code !== 'invalid-input') failures.push(`${what}: ${r.ok ? 'ACCEPTED' : `${r.error.code} ${r.error.message.slice(0, 80)}`}`)
        else if (r.error.message.trim() === '') failures.push(`${what}: no message`)
      }
      // One argument too many (an option smuggled in).
      await expectRefused([...baseline, '--really-do-it'], `${channel} + extra argument`)
      for (const slot of slots(schema)) {
        const name = slotName(channel, slot.path)
        if (freeText(name)) continue
        const last = slot.path[slot.path.length - 1]
        for (const h of hostileFor(slot.schema, name, typeof last === 'object' && 'recordKey' in last)) {
          const args = place(baseline, slot.path, h, (p) => schemaAtPath(schema, p))
          await expectRefused(args, `${name} = ${JSON.stringify(h)?.slice(0, 40)}`)
        }
      }
    }
    expect(failures).toEqual([])
    expect(calls).toBeGreaterThan(1000)
    await nothingRan()
  }, 120_000)
})

/* ------------------------------------------------------------------ the CLI */

interface CliRun {
  code: number
  out: string
  err: string
}

/** The real program (electron/cli/main.ts's buildProgram), imported once without running a command. */
async function loadProgram(): Promise<() => Command> {
  const argv = process.argv
  process.argv = [argv[0] ?? 'node', 'minerdesk', '--version']
  const write = process.stdout.write
  process.stdout.write = (() => true) as typeof process.stdout.write
  try {
    const mod = (await import('../../electron/cli/main')) as { buildProgram: () => Command }
    await new Promise((r) => setTimeout(r, 50))
    return mod.buildProgram
  } finally {
    process.stdout.write = write
    process.argv = argv
    process.exitCode = undefined
  }
}

/** Runs one CLI invocation in this process, as `minerdesk …` would (exit code, stdout, stderr). */
async function runCli(build: () => Command, args: string[]): Promise<CliRun> {
  let out = ''
  let err = ''
  const ow = process.stdout.write
  const ew = process.stderr.write
  process.stdout.write = ((c: string | Uint8Array) => ((out += String(c)), true)) as typeof process.stdout.write
  process.stderr.write = ((c: string | Uint8Array) => ((err += String(c)), true)) as typeof process.stderr.write
  process.exitCode = undefined
  let code: number
  try {
    const program = build()
    program.configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) })
    await program.parseAsync(['node', 'minerdesk', '--ssh-config', sim.sshConfigPath, ...args])
    code = typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (e) {
    // main(): commander's own errors are usage errors (exit 2), help/version exit 0.
    const ce = e as { exitCode?: number; code?: string }
    if (typeof ce.exitCode !== 'number') throw e
    code = ce.exitCode === 0 ? 0 : 2
  } finally {
    process.stdout.write = ow
    process.stderr.write = ew
    process.exitCode = undefined
  }
  return { code, out, err }
}

/** Valid example values of CLI arguments and options, by their name in the usage line. */
const CLI_EXAMPLES: Record<string, string> = {
  site: 'site-1',
  sites: 'site-1',
  number: '1',
  sector: '1',
  sectors: '1',
  state: 'Proving',
  job: 'deadbeef',
  flag: 'PC1',
  deadline: '0',
  peer: PEER,
  cid: CID,
  from: 'f01000',
  nonce: '1',
  pattern: 's-t*',
  reservePort: '3456',
  alias: 'site-1',
  FIL: '0.5',
  attoFIL: '1000000000000000000',
  N: '1',
  n: '1',
  'site-or-run': 'site-1'
}
/** Options that take free text by design (not sent to a site). */
const CLI_FREE_TEXT = new Set([
  '--ssh-config', // a local file of the operator
  '--override-unsafe', // the operator's reason, written to the audit log only
  '--expect-version', // compared with the version Lotus reports
  '--expect-daemon-version' // compared with the version Lotus reports
])
/** Arguments that name a site or host: a well-formed name ("1e400") is not hostile there (it is looked up, exit 4). */
const CLI_NAME_ARGS = new Set(['site', 'sites', 'alias', '--host', 'site-or-run'])
/**
 * `--help` and `--yes` are commander's and MinerDesk's own flags wherever they appear on a command
 * line (help exits 0 showing the usage; --yes is the operator's confirmation): not injections.
 */
const CLI_HOSTILE = ALWAYS_HOSTILE.filter((h) => h !== '--help' && h !== '--yes' && !h.includes('\0'))
/** Arguments and options that take a number: numbers written oddly are hostile there too. */
const CLI_NUMERIC = new Set([
  'number', 'sector', 'sectors', 'deadline', 'nonce', 'reservePort', 'N', 'n',
  '--fee-limit', '--max-fee', '--target', '--interval',
  '--stop-timeout', '--term-wait', '--sync-timeout', '--warmup-timeout', '--postcheck-timeout'
])
/** Options every invocation of a command needs to get past its own required checks. */
const CLI_BASE_OPTIONS: Record<string, string[]> = { '--fee-limit': ['--fee-limit', '0.5'], '--target': ['--target', '1'] }

function allCommands(c: Command): Command[] {
  return c.commands.flatMap((x) => [x, ...allCommands(x)])
}

function path(c: Command): string[] {
  const out: string[] = []
  for (let x: Command | null = c; x && x.parent; x = x.parent) out.unshift(x.name())
  return out
}

describe('hostile inputs through the CLI (every subcommand)', () => {
  it('every subcommand refuses hostile values in every argument and option with exit 2 and a message', async () => {
    const build = await loadProgram()
    const failures: string[] = []
    let runs = 0
    const commands = allCommands(build()).filter((c) => c.commands.length === 0)
    expect(commands.map((c) => c.name())).toEqual(expect.arrayContaining(['abort', 'wps', 'killw', 'runworker', 'runworker-c2', 'proving-check', 'block-peer', 'mpool-replace']))
    for (const cmd of commands) {
      const args = (cmd as unknown as { registeredArguments: Argument[] }).registeredArguments
      const opts = (cmd as unknown as { options: Option[] }).options
      const valueOpts = opts.filter((o) => (o.required || o.optional) && !CLI_FREE_TEXT.has(o.long ?? ''))
      const hasYes = opts.some((o) => o.long === '--yes')
      const example = (a: Argument): string => {
        const v = CLI_EXAMPLES[a.name()]
        if (v === undefined) throw new Error(`no CLI example for <${a.name()}> of ${path(cmd).join(' ')}: add one to CLI_EXAMPLES`)
        return v
      }
      const baseOpts = (except: string | undefined): string[] =>
        opts.flatMap((o) => (o.long && o.long !== except && CLI_BASE_OPTIONS[o.long] && !(except === '--max-fee' && o.long === '--fee-limit') ? CLI_BASE_OPTIONS[o.long]! : []))
      const variants: Array<{ what: string; argv: (h: string) => string[] }> = []
      args.forEach((a, i) => {
        if (!a.required && i > 0 && args.slice(0, i).every((b) => b.required)) {
          // optional trailing argument: attack it too
        }
        variants.push({
          what: `<${a.name()}>`,
          argv: (h) => [...path(cmd), ...args.map((b, j) => (j === i ? h : example(b))), ...baseOpts(undefined)]
        })
      })
      for (const o of valueOpts) {
        variants.push({
          what: o.long ?? o.flags,
          argv: (h) => [...path(cmd), ...args.filter((b) => b.required).map(example), ...baseOpts(o.long), `${o.long}=${h}`]
        })
      }
      // An option smuggled in after valid arguments.
      variants.push({ what: 'extra option', argv: (h) => [...path(cmd), ...args.filter((b) => b.required).map(example), ...baseOpts(undefined), h.startsWith('-') ? h : `--${h}`] })
      for (const v of variants) {
        const isName = CLI_NAME_ARGS.has(v.what.replace(/^<|>$/g, ''))
        // argv cannot carry NUL (the OS refuses it before minerdesk runs): those values are not tried here.
        const numeric = CLI_NUMERIC.has(v.what.replace(/^<|>$/g, ''))
        const values = v.what === 'extra option' ? ['--really-do-it', '-9'] : [...CLI_HOSTILE, ...(numeric ? NUMBERS_AS_TEXT.filter((h) => h !== '1.5' || v.what !== '--fee-limit') : [])]
        for (const h of values) {
          if (isName && (SITE_ID_RE.test(h) || SSH_ALIAS_RE.test(h))) continue
          const argv = [...v.argv(h), ...(hasYes ? ['--yes'] : [])]
          runs++
          const r = await runCli(build, argv)
          const name = `${path(cmd).join(' ')} ${v.what} = ${JSON.stringify(h).slice(0, 40)}`
          if (r.code !== 2) failures.push(`${name}: exit ${r.code} ${(r.err || r.out).split('\n')[0]?.slice(0, 120)}`)
          else if (r.err.trim() === '') failures.push(`${name}: exit 2 without a message`)
        }
      }
    }
    expect(failures).toEqual([])
    expect(runs).toBeGreaterThan(300)
    await nothingRan()
  }, 300_000)
})
