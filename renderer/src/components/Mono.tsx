import type { ReactNode } from 'react'

/** Sector ids, addresses, epochs, CIDs, peer ids, job ids and commands: always monospace. */
export function Mono({ children, title, testId }: { children?: ReactNode; title?: string; testId?: string }) {
  return (
    <span className="md-mono" title={title} data-testid={testId}>
      {children}
    </span>
  )
}
