import {
  channels,
  isChannelName,
  MinerDeskError,
  toErrorInfo,
  type ChannelName,
  type Result
} from '../../../preload/contract'
import { redactDeep } from '../util/redact'
import { describeValue, shapeProblem } from '../util/shape'
import type { CallContext, Handlers } from './handlers'

/**
 * The single entry point every host uses for a contract call: checks the channel name, validates
 * the argument tuple with the contract's zod schema, runs the handler, and wraps the outcome in
 * the wire envelope. Nothing reaches a handler unvalidated, whichever transport carried it: input
 * of any shape (nested a million levels, wrong types) is an `invalid-input` result, never a throw.
 * Results and errors leave through the one redaction (util/redact): no token reaches a window,
 * the browser or the CLI's output.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawArgs: unknown, ctx: CallContext): Promise<Result<unknown>> {
  try {
    return redactDeep(await call(handlers, channel, rawArgs, ctx))
  } catch (err) {
    // Validation itself failed on something unforeseen: still an answer, never a rejection.
    return { ok: false, error: redactDeep(toErrorInfo(err)) }
  }
}

async function call(handlers: Handlers, channel: unknown, rawArgs: unknown, ctx: CallContext): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    return { ok: false, error: { code: 'invalid-input', message: `unknown call ${describeValue(channel)}` } }
  }
  if (!Array.isArray(rawArgs)) {
    return { ok: false, error: { code: 'invalid-input', message: `invalid arguments for ${channel}: expected a list of arguments` } }
  }
  const problem = shapeProblem(rawArgs)
  if (problem) return { ok: false, error: { code: 'invalid-input', message: `invalid arguments for ${channel}: ${problem}` } }
  const schema = channels[channel].args
  const parsed = schema.safeParse(rawArgs)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    const where = first && first.path.length > 0 ? ` (argument ${first.path.join('.')})` : ''
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message: `invalid arguments for ${channel}${where}: ${first?.message ?? 'rejected'}`,
        details: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')
      }
    }
  }
  try {
    const handler = handlers[channel] as (args: unknown, ctx: CallContext) => Promise<unknown>
    const value = await handler(parsed.data, ctx)
    return { ok: true, value: value === undefined ? null : value }
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) }
  }
}

/** Calls a handler in-process (CLI) and throws MinerDeskError on failure. */
export async function callDirect<C extends ChannelName>(handlers: Handlers, channel: C, args: unknown[], ctx: CallContext): Promise<unknown> {
  const res = await dispatch(handlers, channel, args, ctx)
  if (!res.ok) throw new MinerDeskError(res.error)
  return res.value
}
