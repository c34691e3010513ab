import type { RawData } from 'ws'
import { shapeProblem } from '../core/util/shape'

/**
 * A WebSocket frame from a page, checked before anything acts on it: JSON text, an object
 * `{t: 'call', id, channel, args}` with a whole-number id, a short string channel and a list of
 * arguments of bounded depth. What fails gets an answer when it carries a usable id.
 */
export type ParsedFrame =
  | { ok: true; frame: { id: number; channel: string; args: unknown[] } }
  | { ok: false; id: number | null; message: string }

const MAX_CHANNEL_CHARS = 100

export function parseClientFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, id: null, message: 'binary frames are not part of the protocol' }
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8')
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return { ok: false, id: null, message: 'a frame that is not JSON' }
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, id: null, message: 'a frame that is not an object' }
  const f = v as Record<string, unknown>
  const id = typeof f['id'] === 'number' && Number.isSafeInteger(f['id']) && f['id'] >= 0 ? f['id'] : null
  if (f['t'] !== 'call') return { ok: false, id, message: 'a frame that is not a call' }
  if (id === null) return { ok: false, id: null, message: 'a call without a whole-number id' }
  const channel = f['channel']
  if (typeof channel !== 'string' || channel.length === 0 || channel.length > MAX_CHANNEL_CHARS) return { ok: false, id, message: 'a call without a channel name' }
  const args = f['args']
  if (!Array.isArray(args)) return { ok: false, id, message: `invalid arguments for ${channel}: expected a list of arguments` }
  const problem = shapeProblem(args)
  if (problem) return { ok: false, id, message: `invalid arguments for ${channel}: ${problem}` }
  return { ok: true, frame: { id, channel, args } }
}
