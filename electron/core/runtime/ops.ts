import { randomUUID } from 'node:crypto'
import {
  MinerDeskError,
  toErrorInfo,
  type ErrorInfo,
  type MutationOutcome,
  type MutationPreview,
  type MutationStep,
  type OpWarning,
  type StepOutcome
} from '../../../preload/contract'
import type { AuditInput, AuditLog } from '../audit/auditLog'
import type { EventBus } from './eventBus'

/**
 * Previews of changes and their one-shot execution (preview → confirm → audit → run).
 * A preview holds the exact steps shown to the operator and the function that performs them;
 * executing it checks the confirmation, writes each step to the audit log before and after it
 * runs, and forgets the preview, so the same change can never run twice from one confirmation.
 */
export const PREVIEW_TTL_MS = 10 * 60 * 1000

/** What an executor may do for each step: run it (audited) and report its output. */
export interface StepRunner {
  /** Runs step `index` (as previewed): audit 'started', then 'ok' or 'error' with the output. */
  run(index: number, fn: () => Promise<string | void>): Promise<string>
  /** Marks a step as not needed (e.g. no job to abort); audited as such. */
  skip(index: number, reason: string): void
  /** Extra result data for the outcome. */
  data(values: MutationOutcome['data']): void
}

export type Executor = (steps: StepRunner) => Promise<void>

interface Pending {
  preview: MutationPreview
  execute: Executor
  auditDetail?: string
}

export interface PreviewInput {
  site: string
  action: string
  params?: Record<string, string | number>
  steps: MutationStep[]
  warnings?: OpWarning[]
  /** Destructive changes: the operator must type this value. */
  typeToConfirm?: string
  /** Written with each step's `started` audit entry (e.g. that the operator overrode a safety refusal). */
  auditDetail?: string
  execute: Executor
}

/** Asked before a change is previewed and before it runs (read-only sites, another operator's restart). */
export interface OpsGuard {
  /** Throws when the site must not be changed at all. */
  assertWritable(siteId: string, what: string): void
  /** Throws when this change must not run now. */
  checkMutation(siteId: string, action: string): Promise<void>
}

export class OpsRegistry {
  private readonly pending = new Map<string, Pending>()
  private guard: OpsGuard | null = null

  constructor(
    private readonly audit: AuditLog,
    private readonly events: EventBus,
    private readonly now: () => number = Date.now
  ) {}

  setGuard(guard: OpsGuard): void {
    this.guard = guard
  }

  preview(input: PreviewInput): MutationPreview {
    this.sweep()
    this.guard?.assertWritable(input.site, input.action)
    if (input.steps.length === 0) throw new MinerDeskError({ code: 'invalid-input', message: 'nothing to do' })
    const preview: MutationPreview = {
      id: randomUUID(),
      site: input.site,
      action: input.action,
      params: input.params ?? {},
      steps: input.steps,
      warnings: input.warnings ?? [],
      confirm: input.typeToConfirm !== undefined ? { kind: 'type', expected: input.typeToConfirm } : { kind: 'click' },
      expiresAt: this.now() + PREVIEW_TTL_MS
    }
    this.pending.set(preview.id, { preview, execute: input.execute, ...(input.auditDetail ? { auditDetail: input.auditDetail } : {}) })
    return preview
  }

  cancel(id: string): void {
    this.pending.delete(id)
  }

  get(id: string): MutationPreview | null {
    return this.pending.get(id)?.preview ?? null
  }

  async execute(id: string, typed: string | null): Promise<MutationOutcome> {
    this.sweep()
    const p = this.pending.get(id)
    if (!p) {
      throw new MinerDeskError({
        code: 'mutation/not-confirmed',
        message: 'this change is no longer waiting for confirmation (already run, cancelled or expired)',
        hint: 'make the preview again and confirm it'
      })
    }
    const { preview } = p
    if (preview.confirm.kind === 'type' && (typed ?? '').trim() !== preview.confirm.expected) {
      // A wrong confirmation leaves the preview in place: the operator may type it again.
      throw new MinerDeskError({
        code: 'mutation/not-confirmed',
        message: `type ${preview.confirm.expected} to confirm`,
        params: { expected: preview.confirm.expected }
      })
    }
    this.pending.delete(id)
    if (this.guard) {
      try {
        await this.guard.checkMutation(preview.site, preview.action)
      } catch (err) {
        const e = toErrorInfo(err)
        await this.audit.record({ site: preview.site, action: preview.action, command: preview.steps.map((s) => `${s.host}: ${s.text}`).join(' ; '), result: 'refused', detail: e.message })
        throw err
      }
    }
    const steps: StepOutcome[] = preview.steps.map((step) => ({ step, status: 'pending' }))
    let data: MutationOutcome['data']
    const set = (index: number, patch: Partial<StepOutcome>): void => {
      const s = steps[index]
      if (!s) throw new MinerDeskError({ code: 'internal', message: `no step ${index}` })
      Object.assign(s, patch)
      this.events.emit('ops:progress', { id, index, status: s.status })
    }
    let auditFailure: MutationOutcome['auditFailure']
    const record = (input: Omit<AuditInput, 'site' | 'action'>) => this.audit.record({ site: preview.site, action: preview.action, ...input })
    const runner: StepRunner = {
      run: async (index, fn) => {
        const step = preview.steps[index]
        if (!step) throw new MinerDeskError({ code: 'internal', message: `no step ${index}` })
        // Once a step's end could not be audited, nothing more starts.
        if (auditFailure) throw new MinerDeskError(auditFailure.error)
        const command = `${step.host}: ${step.text}`
        set(index, { status: 'running' })
        try {
          await record({ command, result: 'started', ...(p.auditDetail ? { detail: p.auditDetail } : {}) })
        } catch (err) {
          // Not written down, not run: the audit entry comes first.
          set(index, { status: 'error', error: toErrorInfo(err) })
          throw err
        }
        let output: string
        try {
          output = ((await fn()) ?? '').trim()
        } catch (err) {
          const error: ErrorInfo = toErrorInfo(err)
          set(index, { status: 'error', error })
          try {
            await record({ command, result: 'error', detail: [error.message, error.details].filter(Boolean).join(': ').slice(0, 2000) })
          } catch (auditErr) {
            auditFailure = { step: index, error: toErrorInfo(auditErr) }
            set(index, { unaudited: true })
          }
          throw err
        }
        set(index, { status: 'ok', ...(output ? { output: output.slice(0, 20_000) } : {}) })
        try {
          await record({ command, result: 'ok', ...(output ? { detail: output.slice(0, 2000) } : {}) })
        } catch (auditErr) {
          auditFailure = { step: index, error: toErrorInfo(auditErr) }
          set(index, { unaudited: true })
          throw auditErr
        }
        return output
      },
      skip: (index, reason) => {
        set(index, { status: 'skipped', output: reason })
      },
      data: (values) => {
        data = { ...data, ...values }
      }
    }
    const extra = (): Partial<MutationOutcome> => ({ ...(data ? { data } : {}), ...(auditFailure ? { auditFailure } : {}) })
    try {
      await p.execute(runner)
    } catch (err) {
      const notRun = steps.filter((s) => s.status === 'pending')
      for (const s of notRun) {
        s.status = 'skipped'
        if (auditFailure) s.output = 'not started: the audit log cannot be written'
      }
      // Every step ran and only the end of the last one is missing from the audit log: the action is done.
      const done = auditFailure !== undefined && notRun.length === 0 && steps.every((s) => s.status === 'ok' || s.status === 'skipped')
      if (done) return { id, site: preview.site, action: preview.action, ok: true, steps, ...extra() }
      return { id, site: preview.site, action: preview.action, ok: false, steps, error: toErrorInfo(err), ...extra() }
    }
    return { id, site: preview.site, action: preview.action, ok: steps.every((s) => s.status === 'ok' || s.status === 'skipped'), steps, ...extra() }
  }

  private sweep(): void {
    const t = this.now()
    for (const [id, p] of this.pending) if (p.preview.expiresAt < t) this.pending.delete(id)
  }
}

/** One audited API step text: `Filecoin.SectorsUpdate [12,"Proving"]`. */
export function apiStepText(method: string, params: unknown[]): string {
  return `Filecoin.${method} ${JSON.stringify(params)}`
}
