/** FIL amounts as Lotus prints and parses them (chain/types/fil.go). */

const PRECISION = 10n ** 18n

/** `types.FIL.String()`: decimal FIL with trailing zeros trimmed, then ` FIL` (`0 FIL`, `1.5 FIL`). */
export function formatFil(atto: bigint): string {
  return `${filUnitless(atto)} FIL`
}

export function filUnitless(atto: bigint): string {
  if (atto === 0n) return '0'
  const neg = atto < 0n
  const abs = neg ? -atto : atto
  const whole = abs / PRECISION
  const frac = (abs % PRECISION).toString().padStart(18, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`
}

/** `types.ParseFIL`: a decimal FIL amount with an optional `FIL` / `attoFIL` suffix. */
export function parseFil(s: string): bigint {
  const m = /^(-?[0-9.]*)(.*)$/.exec(s) as RegExpExecArray
  const num = m[1] as string
  const suffix = m[2] as string
  let atto = false
  if (suffix !== '') {
    const norm = suffix.trim().toLowerCase()
    if (norm === 'attofil' || norm === 'afil') atto = true
    else if (norm !== '' && norm !== 'fil') throw new Error(`unrecognized suffix: "${suffix}"`)
  }
  if (num.length > 50) throw new Error(`string length too large: ${num.length}`)
  const dm = /^(-?)(\d*)(?:\.(\d*))?$/.exec(num)
  if (!dm || (dm[2] === '' && (dm[3] ?? '') === '')) throw new Error(`failed to parse "${num}" as a decimal number`)
  const sign = dm[1] === '-' ? -1n : 1n
  const intPart = BigInt(dm[2] || '0')
  const fracDigits = (dm[3] ?? '').replace(/0+$/, '')
  const scale = atto ? 0 : 18
  if (fracDigits.length > scale) throw new Error(`invalid ${atto ? 'atto' : ''}FIL value: "${num}"`)
  const frac = fracDigits ? BigInt(fracDigits.padEnd(scale, '0')) : 0n
  return sign * (intPart * 10n ** BigInt(scale) + frac)
}

/** `types.BigFromString`: a base-10 integer (attoFIL amounts of gas flags). */
export function parseBigInt(s: string): bigint {
  if (!/^-?\d+$/.test(s)) throw new Error(`failed to parse string as a big int`)
  return BigInt(s)
}
