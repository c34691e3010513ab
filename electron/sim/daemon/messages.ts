import type { Message, Signature, SignedMessage } from '../../../preload/contract/lotus/types'
import { goError } from '../common/rpcServer'
import { chainCid, checkAddress } from './ids'

/**
 * Messages on the wire: parsing a JSON `types.Message` with the unmarshal errors Go would give,
 * and their CIDs. A message's CID is a hash of its fields (Lotus hashes its CBOR); a BLS-signed
 * message has its unsigned CID, a secp256k1-signed one its own, as in Lotus.
 */

function bigIntField(v: unknown, name: string): string {
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v).toString()
  if (v === undefined || v === null || v === '') return '0'
  throw goError(`unmarshaling params for 'Message' (param: *types.Message): json: cannot unmarshal ${typeof v} into Go struct field Message.${name} of type big.Int`)
}

function intField(v: unknown, name: string, type: string): number {
  if (v === undefined || v === null) return 0
  if (typeof v === 'number' && Number.isInteger(v)) return v
  throw goError(`unmarshaling params for 'Message' (param: *types.Message): json: cannot unmarshal ${typeof v} into Go struct field Message.${name} of type ${type}`)
}

function addressField(v: unknown, name: string): string {
  if (v === undefined || v === null || v === '') return '<empty>'
  if (typeof v !== 'string') throw goError(`json: cannot unmarshal ${typeof v} into Go struct field Message.${name} of type address.Address`)
  const check = checkAddress(v)
  if (!check.ok) throw goError(`unmarshaling params: ${check.error}`)
  return v
}

/** A `types.Message` from JSON, with its CID recomputed (a client's `CID` field is ignored, as Go does). */
export function parseMessage(raw: unknown): Message {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw goError('json: cannot unmarshal into Go value of type types.Message')
  const m = raw as Record<string, unknown>
  const params = m.Params
  if (params !== undefined && params !== null && typeof params !== 'string') {
    throw goError('json: cannot unmarshal into Go struct field Message.Params of type []uint8')
  }
  const msg: Message = {
    Version: intField(m.Version, 'Version', 'uint64'),
    To: addressField(m.To, 'To'),
    From: addressField(m.From, 'From'),
    Nonce: intField(m.Nonce, 'Nonce', 'uint64'),
    Value: bigIntField(m.Value, 'Value'),
    GasLimit: intField(m.GasLimit, 'GasLimit', 'int64'),
    GasFeeCap: bigIntField(m.GasFeeCap, 'GasFeeCap'),
    GasPremium: bigIntField(m.GasPremium, 'GasPremium'),
    Method: intField(m.Method, 'Method', 'abi.MethodNum'),
    Params: params === undefined || params === '' ? null : (params as string | null),
    CID: { '/': '' }
  }
  msg.CID = { '/': messageCid(msg) }
  return msg
}

export function messageCid(m: Omit<Message, 'CID'> | Message): string {
  const fields = [m.Version, m.To, m.From, m.Nonce, m.Value, m.GasLimit, m.GasFeeCap, m.GasPremium, m.Method, m.Params]
  return chainCid(`msg:${JSON.stringify(fields)}`)
}

export function signedCid(msg: Message, sig: Signature): string {
  return sig.Type === 2 ? msg.CID['/'] : chainCid(`smsg:${msg.CID['/']}:${sig.Type}:${sig.Data}`)
}

export function parseSignedMessage(raw: unknown): SignedMessage {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw goError('json: cannot unmarshal into Go value of type types.SignedMessage')
  const r = raw as Record<string, unknown>
  const msg = parseMessage(r.Message)
  const s = (r.Signature ?? {}) as Record<string, unknown>
  const sig: Signature = {
    Type: typeof s.Type === 'number' ? s.Type : 0,
    Data: typeof s.Data === 'string' ? s.Data : ''
  }
  return { Message: msg, Signature: sig, CID: { '/': signedCid(msg, sig) } }
}

/** Copies a message with new fields and a recomputed CID. */
export function withFields(m: Message, patch: Partial<Omit<Message, 'CID'>>): Message {
  const out: Message = { ...m, ...patch, CID: { '/': '' } }
  out.CID = { '/': messageCid(out) }
  return out
}

/** Gas fee cap × limit + value: the funds a message needs (Message.RequiredFunds + Value). */
export function requiredFunds(m: Message): bigint {
  return BigInt(m.GasFeeCap) * BigInt(m.GasLimit) + BigInt(m.Value)
}
