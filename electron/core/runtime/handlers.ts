import type { ChannelArgs, ChannelName, ChannelResult, HostKind } from '../../../preload/contract'

/** Who is calling: which host carried the call (the audit log records it). */
export interface CallContext {
  via: HostKind | 'cli'
}

/** One implementation function per contract channel, with validated, typed arguments. */
export type Handlers = {
  [C in ChannelName]: (args: ChannelArgs<C>, ctx: CallContext) => Promise<ChannelResult<C>>
}
