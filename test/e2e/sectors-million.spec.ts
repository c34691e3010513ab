import type { SectorTable } from '../../preload/contract'
import { expect, test } from '../support/e2e/test'

/**
 * A site of 1,200,000 sectors (more rows than a browser can make one element tall at 32 px each):
 * the grid scales its scrollbar, so scrolling to the end shows the last sector, and the wheel
 * still moves the rows at their natural pace. The rows come from the fixture host (the speed of
 * a real million-sector site is `npm run bench -- --only sectors-1m`).
 */
const N = 1_200_000

function bigTable(): SectorTable {
  return {
    siteId: 'sh-01',
    takenAt: 0,
    tookMs: 900,
    minerId: 1234567,
    states: ['Proving', 'PreCommit1', 'ComputeProofFailed'],
    stateGroups: ['proving', 'sealing', 'failed'],
    // 0 … 1,199,989 Proving, except 600,000 (failed); the last ten in PreCommit1.
    runs: [0, 600_000, 0, 600_000, 1, 2, 600_001, N - 600_011, 0, N - 10, 10, 1],
    rows: N,
    details: [
      { n: 600_000, enteredAt: Date.now() - 3600_000, retries: 3, lastErr: 'Invalid vanilla proof generated', timing: null, stuck: false, targets: ['Committing', 'PreCommit1'] },
      ...Array.from({ length: 10 }, (_, i) => ({ n: N - 10 + i, enteredAt: Date.now() - 600_000, retries: 0, lastErr: '', timing: null, stuck: false, targets: ['PreCommit2'] }))
    ],
    jobs: {},
    targets: { all: ['Proving', 'Removing'] },
    durations: { AP: 120, PC1: 11400, PC2: 3600, WaitSeed: 4500, C1: 10, C2: 900, FIN: 600, GET: 1800 },
    stuckMultiple: 2,
    calls: { batches: 3, sectorsStatus: 11 },
    detailErrors: 0
  }
}

test('scrolls 1,200,000 sectors to the last one, and the wheel moves rows at their own pace', async ({ openApp, page }) => {
  await openApp({ hash: '#/site/sh-01/sectors', tweak: (d) => void (d.sectorTables['sh-01'] = bigTable()) })
  const grid = page.getByTestId('sectors-grid')
  await expect(grid).toHaveAttribute('data-rows', String(N))
  const body = page.getByTestId('sectors-grid-body')
  // Failed first, then sealing, then the Proving ones by number.
  await expect(page.getByTestId('sector-row').first()).toHaveAttribute('data-sector', '600000')
  expect(Number(await body.getAttribute('data-scale'))).toBeGreaterThan(1)
  expect(await body.evaluate((el) => el.scrollHeight)).toBeLessThan(10_000_000)

  // A wheel turn of 40 rows' height moves 40 rows, not 40 times the scale.
  const box = await body.evaluate((el) => el.getBoundingClientRect().toJSON() as { x: number; y: number })
  await page.mouse.move(box.x + 200, box.y + 100)
  await page.mouse.wheel(0, 32 * 40)
  const topRow = () =>
    body.evaluate((el) => {
      const b = el.getBoundingClientRect()
      const top = [...el.querySelectorAll('[data-testid="sector-row"]')].find((r) => r.getBoundingClientRect().bottom > b.top + 1)
      return Number(top?.getAttribute('data-sector'))
    })
  // 40 rows down the list: 600000, the ten PreCommit1 sectors, then Proving from 0.
  await expect.poll(topRow).toBe(29)

  // The end of the scrollbar is the end of the list.
  await body.evaluate((el) => {
    el.scrollTop = el.scrollHeight
    el.dispatchEvent(new Event('scroll'))
  })
  await expect
    .poll(() =>
      body.evaluate((el) => {
        const box = el.getBoundingClientRect()
        const rows = [...el.querySelectorAll('[data-testid="sector-row"]')].filter((r) => r.getBoundingClientRect().bottom <= box.bottom + 1)
        return Number(rows.at(-1)?.getAttribute('data-sector'))
      })
    )
    .toBe(N - 11)
  await expect(grid).toHaveAttribute('data-last-sector', String(N - 11))
})
