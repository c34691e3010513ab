import { z } from 'zod'

/**
 * Validation of every value that can reach a site: sector numbers, state names, job ids, ports,
 * process flags, peer ids, addresses, nonces, deadlines, FIL amounts. The IPC contract, the
 * browser host and the CLI all use these, so a typo or a hostile string is refused with a
 * clear message before anything runs. Values are checked for shape here; whether a sector or
 * job exists is checked against the site by the operation itself.
 */

/** Lotus sector numbers are uint64 capped at MaxSectorNumber (2^63-1); JS keeps exact integers only to 2^53-1. */
export const MAX_SECTOR_NUMBER = Number.MAX_SAFE_INTEGER

const DIGITS = /^(0|[1-9][0-9]{0,15})$/

/** Accepts a number or a decimal string (CLI input); rejects signs, spaces, exponents, fractions. */
export function parseSectorNumber(input: unknown): number {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input : ''
  if (!DIGITS.test(text)) throw new Error(`not a sector number: ${JSON.stringify(String(input)).slice(0, 40)} (expected digits, e.g. 1024)`)
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n > MAX_SECTOR_NUMBER) throw new Error(`sector number too large: ${text}`)
  return n
}

export const sectorNumberSchema = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    try {
      return parseSectorNumber(v)
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message })
      return z.NEVER
    }
  })

export const sectorListSchema = z.array(sectorNumberSchema).min(1).max(10_000)

/** A state name as Lotus spells it (the check against the 63 states is done by the operation). */
export const stateNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,40}$/, 'not a sector state name')

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** A sealing job's call id: the full UUID, or a prefix of at least 8 hex digits as `sealing jobs` shows it. */
export const jobIdSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => UUID.test(s) || /^[0-9a-f]{8}[0-9a-f-]{0,28}$/.test(s), 'not a job id (8+ hex digits of the call UUID, as sealing jobs prints it)')

export const uuidSchema = z.string().regex(UUID, 'not a UUID')

/** Letters, digits and `_ . @ % + = : , -`, starting with a letter, digit or `_`. */
export const SSH_ALIAS_RE = /^[A-Za-z0-9_][A-Za-z0-9_.@%+=:,-]{0,254}$/

/**
 * An OpenSSH config `Host` alias (a site's, or a worker host's from the site's settings): a
 * host name or nickname, `user@host` at most — never a path, a pattern, or something that
 * starts with `-` and could be read as an ssh option.
 */
export const sshAliasSchema = z.string().regex(SSH_ALIAS_RE, 'not an SSH host alias (letters, digits and . _ @ : -, not starting with - or .)')

/**
 * A whole number in [min, max] given as a number or as plain decimal digits (CLI input). Unlike
 * z.coerce it refuses what Number() would quietly turn into a number: '' and [] (0), true (1),
 * ' 80', '0x50', '1e3'.
 */
function wholeNumber(min: number, max: number, what: string) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const t = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : '') : v
    const n = DIGITS.test(t) ? Number(t) : NaN
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a whole number from ${min} to ${max} (got ${JSON.stringify(String(v)).slice(0, 40)})` })
      return z.NEVER
    }
    return n
  })
}

export const portSchema = wholeNumber(1, 65535, 'a port')

/**
 * A process flag as killw.sh / wps.sh take it (e.g. `PC1:1`, `lotus-worker`, `name=pc1`): a
 * substring of the command line, letters, digits and `_ . : = @ / -`, at most 64. It starts with
 * a letter, digit or `_`, so it can never be taken for an option (`-9`, `--really-do-it`);
 * `name=pc1` finds `--name=pc1` all the same.
 */
export const processFlagSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.:=@/-]*$/, 'a process flag is letters, digits and _ . : = @ / -, not starting with - (e.g. PC1:1)')

/** libp2p peer ids: Ed25519 `12D3KooW…` or RSA `Qm…`, base58btc. */
export const peerIdSchema = z
  .string()
  .regex(/^(12D3KooW[1-9A-HJ-NP-Za-km-z]{44}|Qm[1-9A-HJ-NP-Za-km-z]{44})$/, 'not a libp2p peer id (12D3KooW… or Qm…)')

/** Filecoin addresses: f0 ID, f1 secp256k1, f2 actor, f3 BLS, f4 delegated (mainnet `f` or testnet `t`). */
export const addressSchema = z
  .string()
  .regex(
    /^[ft](0(0|[1-9][0-9]{0,19})|1[a-z2-7]{39}|2[a-z2-7]{39}|3[a-z2-7]{84}|4(0|[1-9][0-9]{0,19})f[a-z2-7]{1,100})$/,
    'not a Filecoin address (f0…, f1…, f2…, f3…, f4…)'
  )

export const nonceSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const t = String(v)
  if (!DIGITS.test(t) || !Number.isSafeInteger(Number(t))) {
    ctx.addIssue({ code: 'custom', message: `not a nonce: ${JSON.stringify(t).slice(0, 40)}` })
    return z.NEVER
  }
  return Number(t)
})

export const deadlineIndexSchema = wholeNumber(0, 47, 'a deadline index')

/** Message CIDs (CIDv1 dag-cbor blake2b-256), as Lotus prints them. */
/** A block header CID (Blake2b-256 dag-cbor, as `lotus sync check-bad` takes it). */
export const blockCidSchema = z.string().regex(/^bafy2bzace[a-z2-7]{49,52}$/, 'not a block CID (bafy2bzace…)')

export const messageCidSchema = z.string().regex(/^bafy2bzace[a-z2-7]{49,52}$/, 'not a message CID (bafy2bzace…)')

/** A FIL amount as `--fee-limit` takes it: decimal, at most 18 fractional digits, capped. */
export const MAX_FEE_LIMIT_FIL = 10
export const filAmountSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,8})(\.[0-9]{1,18})?$/, 'a FIL amount is a decimal like 0.5')
  .refine((s) => Number(s) > 0 && Number(s) <= MAX_FEE_LIMIT_FIL, `the fee limit must be above 0 and at most ${MAX_FEE_LIMIT_FIL} FIL`)

/** attoFIL → FIL string without losing precision (for previews of the runbook's --max-fee). */
export function attoToFil(atto: string): string {
  if (!/^[0-9]+$/.test(atto)) throw new Error(`not an attoFIL amount: ${atto}`)
  const padded = atto.padStart(19, '0')
  const whole = padded.slice(0, -18).replace(/^0+(?=\d)/, '')
  const frac = padded.slice(-18).replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : whole
}

/**
 * What findsector.sh takes: a sector number (`36`), a sector file name (`s-t01000-36`) or a glob
 * over sector file names made of digits, `*` and `?` (`s-t*`, `s-t01000-3?`). It always starts
 * with `s-t`, so it can only ever match sector files.
 */
export const sectorFilePatternSchema = z
  .string()
  .max(64)
  .refine((s) => DIGITS.test(s) || /^s-t[0-9*?]*(-[0-9*?]*)?$/.test(s), 'a sector number, or a sector file name or pattern like s-t* / s-t01000-36')
