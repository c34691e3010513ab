import { attoToFil, MinerDeskError, type MutationPreview, type OpWarning } from '../../../preload/contract'
import type { Discovery } from '../lotus/discover'
import { fullCalls } from '../lotus/fullApi'
import type { ServiceContext } from '../runtime/context'
import { buildCommandLine, type RemoteCommand } from '../../common/shellQuote'

/**
 * Replace a stuck local message: `lotus mpool replace --auto --fee-limit <FIL> <from> <nonce>`,
 * run by the site's own `lotus` over SSH.
 *
 * Why Lotus's command and not its API sequence (ChainHead → MpoolPending → MpoolGetConfig →
 * GasEstimateMessageGas → RBF and CapGasFee → WalletSignMessage → MpoolPush): the repricing
 * rules (the replace-by-fee minimum, how the fee cap is capped by the limit, the default max fee)
 * live in Lotus and have changed between releases; the command always applies the rules of the
 * Lotus the site runs, signs in that node's wallet, and is exactly what the runbook does (with
 * today's flag name: `--max-fee` in attoFIL became `--fee-limit` in FIL in v1.11.2). MinerDesk
 * checks beforehand what the command would fail on — the message is pending, its sender is in
 * the node's wallet — and shows the current gas and the fee limit in FIL.
 */

export function replaceCommand(from: string, nonce: number, feeLimit: string, d: Discovery | null): RemoteCommand {
  const env: Record<string, string> = {}
  if (d?.daemon.ok && d.daemon.endpoint.source === 'repo') env.LOTUS_PATH = d.daemon.endpoint.repoPath
  return { argv: ['lotus', 'mpool', 'replace', '--auto', '--fee-limit', feeLimit, from, String(nonce)], ...(Object.keys(env).length ? { env } : {}) }
}

/** Lotus compares addresses, not strings: `t0…` and `f0…` are the same address. */
export function sameAddress(a: string, b: string): boolean {
  return a.slice(1) === b.slice(1) && /^[ft]$/.test(a[0] ?? '') && /^[ft]$/.test(b[0] ?? '')
}

/** `new message cid:  bafy…` (afmt.Println puts two spaces). */
export function parseNewCid(stdout: string): string | null {
  return /new message cid:\s+(\S+)/.exec(stdout)?.[1] ?? null
}

/** messagepool.ComputeRBF: old premium × ratio/100 + 1 (ratio 1.25 in MpoolConfig is 125 in Lotus's config). */
export function minimumReplacementPremium(oldPremium: string, ratio: number): bigint {
  return (BigInt(oldPremium) * BigInt(Math.round(ratio * 100))) / 100n + 1n
}

export async function previewMpoolReplace(ctx: ServiceContext, siteId: string, input: { from: string; nonce: number; feeLimit: string }): Promise<MutationPreview> {
  const { config, lotus, host } = ctx.sites.get(siteId)
  const d = await lotus.ensureEndpoints()
  if (!d.daemon.ok) throw new MinerDeskError(d.daemon.error)
  const [pending, wallets, mpoolCfg] = await lotus.full.batch([fullCalls.mpoolPending([]), fullCalls.walletList(), fullCalls.mpoolGetConfig()] as const)
  if (!pending.ok) throw new MinerDeskError(pending.error)
  const found = pending.value.find((m) => sameAddress(m.Message.From, input.from) && m.Message.Nonce === input.nonce)
  if (!found) {
    throw new MinerDeskError({
      code: 'not-found',
      message: `no pending message found from ${input.from} with nonce ${input.nonce}`,
      hint: 'it may have landed already; list the local pending messages again (lotus mpool pending --local)'
    })
  }
  const m = found.Message
  if (wallets.ok && !wallets.value.some((w) => sameAddress(w, m.From))) {
    throw new MinerDeskError({
      code: 'mutation/refused',
      message: `${m.From} is not in the wallet of ${siteId}'s node: Lotus could not sign a replacement`,
      hint: 'only local messages (lotus mpool pending --local) can be replaced here'
    })
  }
  const cmd = replaceCommand(input.from, input.nonce, input.feeLimit, d)
  const line = buildCommandLine(cmd)
  const currentMax = attoToFil((BigInt(m.GasFeeCap) * BigInt(m.GasLimit)).toString())
  const rbf = mpoolCfg.ok ? minimumReplacementPremium(m.GasPremium, mpoolCfg.value.ReplaceByFeeRatio).toString() : null
  const gas = { premium: m.GasPremium, feeCap: m.GasFeeCap, gasLimit: m.GasLimit, max: currentMax }
  const warnings: OpWarning[] = [
    { key: 'feeLimit', params: { fee: input.feeLimit }, text: `The replacement may spend up to ${input.feeLimit} FIL on gas (--fee-limit ${input.feeLimit}).` },
    rbf
      ? { key: 'currentGasRbf', params: { ...gas, rbf }, text: `Now: premium ${m.GasPremium}, fee cap ${m.GasFeeCap} attoFIL/gas, gas limit ${m.GasLimit}: at most ${currentMax} FIL. Lotus raises the premium to at least ${rbf} attoFIL/gas (replace-by-fee).` }
      : { key: 'currentGas', params: gas, text: `Now: premium ${m.GasPremium}, fee cap ${m.GasFeeCap} attoFIL/gas, gas limit ${m.GasLimit}: at most ${currentMax} FIL.` }
  ]
  return ctx.ops.preview({
    site: siteId,
    action: 'mpool.replace',
    params: { from: m.From, nonce: m.Nonce, feeLimit: input.feeLimit, cid: found.CID['/'], currentMaxFee: currentMax },
    steps: [{ kind: 'command', host: config.alias, text: line }],
    warnings,
    execute: async (s) => {
      await s.run(0, async () => {
        const r = await host.exec(cmd, { timeoutMs: 120_000 })
        const out = `${r.stdout}${r.stderr}`.trim()
        if (r.code !== 0) {
          const last = r.stderr.trim().split('\n').pop() ?? ''
          throw new MinerDeskError({ code: 'ssh/command-failed', message: `lotus mpool replace exited with ${r.code ?? r.signal ?? 'no status'}${last ? `: ${last}` : ''}`, details: out.slice(-4000) })
        }
        const cid = parseNewCid(r.stdout)
        if (cid) s.data({ newCid: cid, oldCid: found.CID['/'] })
        return out
      })
    }
  })
}
