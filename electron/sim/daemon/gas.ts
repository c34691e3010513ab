import type { Message, MessageSendSpec, MpoolConfig } from '../../../preload/contract/lotus/types'
import { goError } from '../common/rpcServer'
import type { ApplyResult } from './actor'
import { withFields } from './messages'

/**
 * Gas estimation as node/impl/full/gas.go does it: the gas limit from executing the message
 * (× GasLimitOverestimation), a premium from recent inclusions (never below MinGasPremium,
 * with ±0.5 % noise), a fee cap of the base fee grown for 20 blocks plus the premium, then the
 * total capped by MaxFee (0.07 FIL when unset).
 */

export const MIN_GAS_PREMIUM = 100_000n
export const BLOCK_GAS_LIMIT = 10_000_000_000
/** config.DefaultDefaultMaxFee: 0.07 FIL. */
export const DEFAULT_MAX_FEE = 70_000_000_000_000_000n

export const MPOOL_CONFIG: MpoolConfig = {
  PriorityAddrs: null,
  SizeLimitHigh: 30000,
  SizeLimitLow: 20000,
  ReplaceByFeeRatio: 1.25,
  PruneCooldown: 60_000_000_000,
  GasLimitOverestimation: 1.25
}

export interface GasContext {
  baseFee: bigint
  recentPremiums: bigint[]
  /** Runs the message against the head state without changing it. */
  execute: (msg: Message) => ApplyResult
  noise: () => number
}

function median(values: bigint[]): bigint {
  if (values.length === 0) return 0n
  const s = [...values].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
  const mid = Math.floor(s.length * 0.525)
  return s[Math.min(mid, s.length - 1)] as bigint
}

/** GasEstimateFeeCap: parent base fee × (1 + 1/8)^20, plus the premium. */
export function estimateFeeCap(baseFee: bigint, premium: bigint): bigint {
  const factor = BigInt(Math.floor(Math.pow(1 + 1 / 8, 20) * 256))
  return (baseFee * factor) / 256n + premium
}

export function capGasFee(msg: Message, spec: MessageSendSpec | null): Message {
  let maxFee = spec?.MaxFee ? BigInt(spec.MaxFee) : 0n
  if (maxFee === 0n) maxFee = DEFAULT_MAX_FEE
  const limit = BigInt(msg.GasLimit)
  let feeCap = BigInt(msg.GasFeeCap)
  if (limit > 0n && (spec?.MaximizeFeeCap || feeCap * limit > maxFee)) feeCap = maxFee / limit
  const premium = BigInt(msg.GasPremium) < feeCap ? BigInt(msg.GasPremium) : feeCap
  return withFields(msg, { GasFeeCap: feeCap.toString(), GasPremium: premium.toString() })
}

export function estimateMessageGas(msgIn: Message, spec: MessageSendSpec | null, ctx: GasContext): Message {
  if (msgIn.To === '<empty>') throw goError('message To address is undefined')
  if (msgIn.From === '<empty>') throw goError('message From address is undefined')
  let msg = msgIn
  if (msg.GasLimit === 0) {
    const res = ctx.execute(msg)
    if (res.exitCode !== 0) {
      throw goError(`estimating gas used: message execution failed: exit ${res.exitCode}, reason: ${res.reason ?? ''} (RetCode=${res.exitCode})`)
    }
    const limit = Math.min(Math.floor(res.gasUsed * MPOOL_CONFIG.GasLimitOverestimation), BLOCK_GAS_LIMIT)
    msg = withFields(msg, { GasLimit: limit })
  }
  if (BigInt(msg.GasPremium) === 0n) {
    let premium = median(ctx.recentPremiums)
    if (premium < MIN_GAS_PREMIUM) premium = MIN_GAS_PREMIUM
    const noise = 1 + ctx.noise() * 0.005
    premium = (premium * BigInt(Math.floor(noise * 2 ** 32) + 1)) / 2n ** 32n
    msg = withFields(msg, { GasPremium: premium.toString() })
  }
  if (BigInt(msg.GasFeeCap) === 0n) msg = withFields(msg, { GasFeeCap: estimateFeeCap(ctx.baseFee, BigInt(msg.GasPremium)).toString() })
  return capGasFee(msg, spec)
}
