import type { Message, MessageSendSpec, MpoolConfig, SignedMessage, TipSet } from '../../../../preload/contract/lotus/types'
import { CliExit } from '../../common/cliOutput'
import { DEFAULT_MAX_FEE } from '../../daemon/gas'
import { checkAddress, isCidString } from '../../daemon/ids'
import { parseBigInt, parseFil } from '../../daemon/fil'
import { fullNodeClient } from './client'
import { helpText, type Command } from './framework'
import { goJson } from './goLog'

/** `lotus mpool pending` and `lotus mpool replace` (cli/mpool.go). */

type Repo = () => string | undefined

function address(s: string, what?: 'to' | 'from'): string {
  const c = checkAddress(s)
  if (!c.ok) throw new CliExit(1, what ? `given '${what}' address "${s}" was invalid: ${c.error}` : c.error)
  return s.replace(/^t/, 'f')
}

function wrap(prefix: string, e: unknown): CliExit {
  return new CliExit(1, `${prefix}: ${(e as Error).message}`)
}

function pendingCmd(repo: Repo): Command {
  return {
    name: 'pending',
    usage: 'Get pending messages',
    flags: [
      { names: ['local'], kind: 'bool', usage: 'print pending messages for addresses in local wallet only' },
      { names: ['cids'], kind: 'bool', usage: 'only print cids of messages in output' },
      { names: ['to'], kind: 'string', usage: 'return messages to a given address' },
      { names: ['from'], kind: 'string', usage: 'return messages from a given address' }
    ],
    action: async (ctx) => {
      const api = fullNodeClient(repo())
      const to = typeof ctx.flags.to === 'string' && ctx.flags.to !== '' ? address(ctx.flags.to, 'to') : null
      const from = typeof ctx.flags.from === 'string' && ctx.flags.from !== '' ? address(ctx.flags.from, 'from') : null
      let local: Set<string> | null = null
      if (ctx.flags.local === true) {
        try {
          local = new Set(await api.call<string[]>('WalletList'))
        } catch (e) {
          throw wrap('getting local addresses', e)
        }
      }
      const msgs = await api.call<SignedMessage[]>('MpoolPending', [[]])
      for (const m of msgs) {
        if (local && !local.has(m.Message.From)) continue
        if (to && m.Message.To !== to) continue
        if (from && m.Message.From !== from) continue
        process.stdout.write(ctx.flags.cids === true ? `${m.CID['/']}\n` : `${goJson(m, 2)}\n`)
      }
    }
  }
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b
}

/** messagepool.CapGasFee with the CLI's default max fee (0.07 FIL). */
function capGasFee(msg: Message, maxFeeIn: bigint | null): void {
  const maxFee = maxFeeIn && maxFeeIn !== 0n ? maxFeeIn : DEFAULT_MAX_FEE
  const limit = BigInt(msg.GasLimit)
  if (limit > 0n && BigInt(msg.GasFeeCap) * limit > maxFee) msg.GasFeeCap = (maxFee / limit).toString()
  if (BigInt(msg.GasPremium) > BigInt(msg.GasFeeCap)) msg.GasPremium = msg.GasFeeCap
}

function replaceCmd(repo: Repo): Command {
  return {
    name: 'replace',
    usage: 'replace a message in the mempool',
    argsUsage: '<from> <nonce> | <message-cid>',
    flags: [
      { names: ['gas-feecap'], kind: 'string', usage: 'gas feecap for new message (burn and pay to miner, attoFIL/GasUnit)' },
      { names: ['gas-premium'], kind: 'string', usage: 'gas price for new message (pay to miner, attoFIL/GasUnit)' },
      { names: ['gas-limit'], kind: 'string', type: 'int', usage: 'gas limit for new message (GasUnit)', defaultText: '0' },
      { names: ['auto'], kind: 'bool', usage: 'automatically reprice the specified message' },
      {
        names: ['fee-limit'],
        kind: 'string',
        placeholder: 'max-fee',
        usage: 'Spend up to X FIL for this message in units of FIL. Previously when flag was max-fee units were in attoFIL. Applicable for auto mode'
      }
    ],
    action: async (ctx) => {
      const api = fullNodeClient(repo())
      let from: string
      let nonce: number
      if (ctx.args.length === 1) {
        const c = ctx.args[0] as string
        if (!isCidString(c)) throw new CliExit(1, 'selected encoding not supported')
        let m: Message
        try {
          m = await api.call<Message>('ChainGetMessage', [{ '/': c }])
        } catch (e) {
          throw wrap('could not find referenced message', e)
        }
        from = m.From
        nonce = m.Nonce
      } else if (ctx.args.length === 2) {
        from = address(ctx.args[0] as string)
        const n = ctx.args[1] as string
        if (!/^\d+$/.test(n)) throw new CliExit(1, `strconv.ParseUint: parsing "${n}": invalid syntax`)
        nonce = Number(n)
      } else {
        process.stdout.write(helpText(ctx.command, ctx.path))
        return 0
      }

      let head: TipSet
      try {
        head = await api.call<TipSet>('ChainHead')
      } catch (e) {
        throw wrap('getting chain head', e)
      }
      const pending = await api.call<SignedMessage[]>('MpoolPending', [head.Cids])
      const found = pending.find((p) => p.Message.From === from && p.Message.Nonce === nonce)
      if (!found) throw new CliExit(1, `no pending message found from ${from} with nonce ${nonce}`)
      const msg: Message = { ...found.Message }

      if (ctx.flags.auto === true) {
        let cfg: MpoolConfig
        try {
          cfg = await api.call<MpoolConfig>('MpoolGetConfig')
        } catch (e) {
          throw wrap('failed to lookup the message pool config', e)
        }
        const ratio = BigInt(Math.round(cfg.ReplaceByFeeRatio * 100))
        const defaultRbf = (BigInt(msg.GasPremium) * ratio) / 100n + 1n
        let spec: MessageSendSpec | null = null
        let maxFee: bigint | null = null
        if (ctx.isSet('fee-limit')) {
          try {
            maxFee = parseFil(String(ctx.flags['fee-limit']))
          } catch (e) {
            throw wrap('parsing max-spend', e)
          }
          spec = { MaxFee: maxFee.toString() }
        }
        msg.GasFeeCap = '0'
        msg.GasPremium = '0'
        let est: Message
        try {
          est = await api.call<Message>('GasEstimateMessageGas', [msg, spec, []])
        } catch (e) {
          throw wrap('failed to estimate gas values', e)
        }
        msg.GasPremium = max(BigInt(est.GasPremium), defaultRbf).toString()
        msg.GasFeeCap = max(BigInt(est.GasFeeCap), BigInt(msg.GasPremium)).toString()
        capGasFee(msg, maxFee)
      } else {
        if (ctx.isSet('gas-limit')) msg.GasLimit = Number(ctx.flags['gas-limit'])
        try {
          msg.GasPremium = parseBigInt(String(ctx.flags['gas-premium'] ?? '')).toString()
        } catch (e) {
          throw wrap('parsing gas-premium', e)
        }
        try {
          msg.GasFeeCap = parseBigInt(String(ctx.flags['gas-feecap'] ?? '')).toString()
        } catch (e) {
          throw wrap('parsing gas-feecap', e)
        }
      }

      let signed: SignedMessage
      try {
        signed = await api.call<SignedMessage>('WalletSignMessage', [msg.From, msg])
      } catch (e) {
        throw wrap('failed to sign message', e)
      }
      let cid: { '/': string }
      try {
        cid = await api.call<{ '/': string }>('MpoolPush', [signed])
      } catch (e) {
        throw wrap('failed to push new message to mempool', e)
      }
      process.stdout.write(`new message cid:  ${cid['/']}\n`)
    }
  }
}

const notSimulated = (name: string, usage: string): Command => ({ name, usage, notSimulated: true })

export function mpoolCommand(repo: Repo): Command {
  return {
    name: 'mpool',
    usage: 'Manage message pool',
    category: 'DEVELOPER',
    subcommands: [
      pendingCmd(repo),
      notSimulated('sub', 'Subscribe to mpool changes'),
      notSimulated('stat', 'print mempool stats'),
      replaceCmd(repo),
      notSimulated('find', 'find a message in the mempool'),
      notSimulated('config', 'get or set current mpool configuration'),
      notSimulated('gas-perf', 'Check gas performance of messages in mempool'),
      notSimulated('manage', '')
    ]
  }
}
