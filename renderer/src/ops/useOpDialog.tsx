import { useCallback, useState, type ReactNode } from 'react'
import { pollSiteNow } from '@renderer/stores/overview'
import { MutationDialog, type MutationRequest } from './MutationDialog'

/**
 * The jobs, workers, proving and chain tabs run their changes through the same preview →
 * confirm → run-once dialog as the sector actions. After a change the site is polled again so
 * the tables show its effect.
 */
export function useOpDialog(siteId: string): { open: (request: MutationRequest) => void; element: ReactNode } {
  const [dialog, setDialog] = useState<{ id: number; request: MutationRequest } | null>(null)
  const open = useCallback(
    (request: MutationRequest) =>
      setDialog({
        id: Date.now(),
        request: {
          ...request,
          onDone: (o) => {
            request.onDone?.(o)
            void pollSiteNow(siteId).catch(() => undefined)
          }
        }
      }),
    [siteId]
  )
  const element = dialog ? <MutationDialog key={dialog.id} request={dialog.request} onClose={() => setDialog(null)} /> : null
  return { open, element }
}

/** Key facts of a change, translated, above the exact steps of its preview. */
export function OpFacts({ items, testId }: { items: Array<{ label: ReactNode; value: ReactNode }>; testId?: string }) {
  return (
    <div className="md-kv-grid" data-testid={testId ?? 'op-facts'}>
      {items.map((it, i) => (
        <FactRow key={i} label={it.label} value={it.value} />
      ))}
    </div>
  )
}

function FactRow({ label, value }: { label: ReactNode; value: ReactNode }) {
  return (
    <>
      <span>{label}</span>
      <span>{value}</span>
    </>
  )
}
