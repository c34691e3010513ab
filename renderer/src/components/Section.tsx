import { Card } from 'antd'
import type { ReactNode } from 'react'

/** A titled panel of a page: flat, thin border, no decoration. */
export function Section({ title, extra, children, testId }: { title: ReactNode; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card size="small" title={title} extra={extra} className="md-section" data-testid={testId}>
      {children}
    </Card>
  )
}
