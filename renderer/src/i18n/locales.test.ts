import { describe, expect, it } from 'vitest'
import { CONNECTION_STATES, DEMO_STEPS, FINDING_KINDS, TARGET_REFUSALS, type ErrorCode, type FindingAction } from '@contract'
import zhCN from '../../../resources/locales/zh-CN.json'
import en from '../../../resources/locales/en.json'

type Tree = { [k: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

const zh = flatten(zhCN as Tree)
const eng = flatten(en as Tree)
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort()
// Only the markup Trans renders (<mono>); other angle brackets are literal text such as <alias>.
const tags = (s: string) => [...s.matchAll(/<(mono)>/g)].map((m) => m[1]).sort()

// Exhaustive by type: adding an action kind or an error code to the contract fails compilation here until listed.
const ACTION_KINDS: Record<FindingAction['kind'], true> = {
  abort: true, 'update-state': true, remove: true, runworker: true, killw: true, wps: true, 'proving-check': true, 'mpool-replace': true,
  'sync-check-bad': true, 'sync-unmark-bad': true, status: true, 'read-logs': true, restart: true
}
const ERROR_CODES: Record<ErrorCode, true> = {
  'invalid-input': true, 'not-found': true, conflict: true, cancelled: true, internal: true, 'ssh/config': true,
  'ssh/unreachable': true, 'ssh/auth-failed': true, 'ssh/passphrase-needed': true, 'ssh/host-key-unknown': true,
  'ssh/host-key-changed': true, 'ssh/host-key-rejected': true, 'ssh/timeout': true, 'ssh/command-failed': true,
  'lotus/daemon-down': true, 'lotus/miner-down': true, 'lotus/no-api-info': true, 'lotus/unauthorized': true,
  'lotus/permission': true, 'lotus/method-missing': true, 'lotus/version-too-old': true, 'lotus/rpc': true,
  'lotus/bad-response': true, 'mutation/not-confirmed': true, 'mutation/refused': true, 'host/disconnected': true,
  'exporter/listen-failed': true, 'audit/write-failed': true, 'storage/write-failed': true, 'site/locked': true,
  'site/read-only': true
}

describe('locale files', () => {
  it('have the same keys in zh-CN and English (English plurals as _one and _other, Chinese has only _other)', () => {
    const onlyZh = [...zh.keys()].filter((k) => !eng.has(k))
    const onlyEn = [...eng.keys()].filter((k) => !zh.has(k) && !(k.endsWith('_one') && zh.has(k.replace(/_one$/, '_other'))))
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] })
    for (const k of eng.keys()) if (k.endsWith('_other')) expect(eng.has(k.replace(/_other$/, '_one')), k).toBe(true)
  })
  it('never use a plural key without its plural forms', () => {
    // A plain key next to a plural one would be shown for every count in one of the languages.
    for (const k of [...zh.keys(), ...eng.keys()]) if (/_(one|other)$/.test(k)) expect(zh.has(k.replace(/_(one|other)$/, '')), k).toBe(false)
  })
  it('use the same placeholders and markup in both languages', () => {
    for (const [k, v] of zh) {
      const e = eng.get(k) ?? ''
      expect({ key: k, p: placeholders(v), t: tags(v) }).toEqual({ key: k, p: placeholders(e), t: tags(e) })
      if (k.endsWith('_other')) {
        const one = eng.get(k.replace(/_other$/, '_one')) ?? ''
        expect({ key: k, p: placeholders(v) }).toEqual({ key: k, p: placeholders(one) })
      }
    }
  })
  it('name every finding kind, remedy action and update-state refusal (the finding texts themselves are checked with the health model)', () => {
    for (const kind of FINDING_KINDS) expect([...zh.keys()].some((k) => k.startsWith(`findings.${kind}.`)), kind).toBe(true)
    for (const a of Object.keys(ACTION_KINDS)) expect(zh.has(`findingsPanel.action.${a}`), a).toBe(true)
    for (const r of TARGET_REFUSALS) expect(zh.has(`sectors.refusal.${r}`), r).toBe(true)
  })
  it('translate every error code with a hint, and every connection state and demo step', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      expect(zh.has(`errors.${code}`), code).toBe(true)
      expect(zh.has(`errorHints.${code}`), code).toBe(true)
    }
    for (const s of CONNECTION_STATES) expect(zh.has(`connection.${s}`), s).toBe(true)
    for (const s of DEMO_STEPS) expect(zh.has(`demo.step.${s}`), s).toBe(true)
  })
  it('never translate Lotus names', () => {
    for (const name of ['lotus-miner', 'lotus daemon', 'WaitSeed', 'PC1']) {
      for (const [k, v] of zh) if (eng.get(k)?.includes(name)) expect(v, k).toContain(name)
    }
  })
})
