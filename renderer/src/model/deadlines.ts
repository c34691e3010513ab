import type { DeadlineRow, ProvingSnapshot } from '@contract'

/**
 * What each of the 48 deadlines of the current proving period looks like to an operator. The
 * chain keeps a deadline's proofs (PostSubmissions) only while its window is open: at the window's
 * end partitions without a proof become faulty and the record is cleared. So a deadline already
 * passed in this period with sectors and no faults was proven; the current one is proven once its
 * partitions all have a proof; the later ones are still due.
 */
export type DeadlineStatus = 'empty' | 'faulty' | 'proven' | 'proving' | 'due'

export interface DeadlineCell {
  index: number
  status: DeadlineStatus
  current: boolean
  /** The next deadline with sectors after the current one (the countdown's subject). */
  next: boolean
  row: DeadlineRow
}

export function deadlineStatus(row: DeadlineRow, currentIndex: number): DeadlineStatus {
  if (row.sectors === 0) return row.faults > 0 ? 'faulty' : 'empty'
  if (row.faults > 0) return 'faulty'
  if (row.index === currentIndex) return row.proven >= row.partitions ? 'proven' : 'proving'
  return row.index < currentIndex ? 'proven' : 'due'
}

export function deadlineCells(p: ProvingSnapshot): DeadlineCell[] {
  return p.deadlines.map((row) => ({
    index: row.index,
    status: deadlineStatus(row, p.deadlineIndex),
    current: row.index === p.deadlineIndex,
    next: p.nextWithSectors?.index === row.index,
    row
  }))
}

export const DEADLINE_STATUSES: DeadlineStatus[] = ['proven', 'proving', 'due', 'faulty', 'empty']
