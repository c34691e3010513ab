import { z } from 'zod'
import type { ErrorInfo } from './errors'

/**
 * Every change to a site is two calls: a preview (built and validated in main, showing the exact
 * remote command lines or API calls) and then `ops:execute` of that preview id, which runs
 * exactly what was shown — once. Destructive previews require the operator to type a value
 * (the sector number). Each step is written to the audit log; nothing is retried by itself.
 */
export interface MutationStep {
  /** `command`: a remote command line; `api`: a Lotus JSON-RPC call; `signal`: kill of exact PIDs. */
  kind: 'command' | 'api' | 'signal'
  /** SSH alias the step runs on. */
  host: string
  /** Exactly what runs: the command line, or `Filecoin.SectorsUpdate [12,"Proving"]`. */
  text: string
}

/**
 * A warning before a change: i18n `ops.warning.<key>` (a dotted key is a whole key another screen
 * also uses) filled with `params`; `text` is its English rendering (CLI).
 */
export interface OpWarning {
  key: string
  params: Record<string, string | number>
  text: string
}

export type MutationConfirm = { kind: 'click' } | { kind: 'type'; expected: string }

export interface MutationPreview {
  id: string
  site: string
  /** Stable action name (`sector.update-state`), also the audit log's action and an i18n key `ops.action.<action>`. */
  action: string
  /** Values for the action's i18n title. */
  params: Record<string, string | number>
  steps: MutationStep[]
  /** What the operator should weigh before confirming. */
  warnings: OpWarning[]
  confirm: MutationConfirm
  /** ms since epoch after which the preview can no longer be executed. */
  expiresAt: number
}

export type StepStatus = 'pending' | 'running' | 'ok' | 'error' | 'skipped'

export interface StepOutcome {
  step: MutationStep
  status: StepStatus
  /** Remote output or API result, trimmed. */
  output?: string
  error?: ErrorInfo
  /** The step ran, but the audit log could not record how it ended (see MutationOutcome.auditFailure). */
  unaudited?: true
}

export interface MutationOutcome {
  id: string
  site: string
  action: string
  ok: boolean
  steps: StepOutcome[]
  error?: ErrorInfo
  /** Result data of the action (e.g. the new sector number of a pledge). */
  data?: Record<string, string | number | boolean | null>
  /**
   * Set when a step had started (its "started" entry is in the audit log) but its end could not be
   * written (a full disk): the step RAN, whatever `ok` says about later steps, and must not be run
   * again. Later steps were not started.
   */
  auditFailure?: { step: number; error: ErrorInfo }
}

export interface MutationProgress {
  id: string
  index: number
  status: StepStatus
}

export const previewIdSchema = z.string().uuid('not a preview id')
export const typedConfirmationSchema = z.string().max(200).nullable()
