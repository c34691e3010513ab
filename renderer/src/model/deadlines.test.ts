import { describe, expect, it } from 'vitest'
import type { DeadlineRow, ProvingSnapshot } from '@contract'
import { deadlineCells } from './deadlines'

const row = (index: number, o: Partial<DeadlineRow> = {}): DeadlineRow => ({ index, openEpoch: index * 60, openAt: index * 1_800_000, partitions: 1, sectors: 10, faults: 0, recoveries: 0, proven: 0, current: false, ...o })

describe('deadlineCells', () => {
  it('reads a period as an operator does: passed without faults is proven, current proven once every partition has a proof', () => {
    const deadlines = Array.from({ length: 48 }, (_, i) => row(i, i % 2 ? { sectors: 0, partitions: 0 } : {}))
    deadlines[4] = row(4, { faults: 3 })
    deadlines[10] = row(10, { partitions: 2, proven: 1 })
    const p = { deadlineIndex: 10, nextWithSectors: { index: 12, openEpoch: 720, openAt: 0 }, deadlines } as unknown as ProvingSnapshot
    const cells = deadlineCells(p)
    expect(cells[0]!.status).toBe('proven')
    expect(cells[1]!.status).toBe('empty')
    expect(cells[4]!.status).toBe('faulty')
    expect(cells[10]).toMatchObject({ status: 'proving', current: true, next: false })
    expect(cells[12]).toMatchObject({ status: 'due', next: true })
    deadlines[10] = row(10, { partitions: 2, proven: 2 })
    expect(deadlineCells(p)[10]!.status).toBe('proven')
  })
})
