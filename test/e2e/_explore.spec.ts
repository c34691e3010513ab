import { test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { englishProse, overflows } from '../support/e2e/screenChecks'

const URL_ = readFileSync('.scratch/url', 'utf8').trim()
// STEPS: "#hash" | "click:testid" | "clickfirst:testid" | "wait:ms" | "look:name" | "shot:name"
const STEPS = (process.env.STEPS ?? '').split(',').filter(Boolean)
test('explore', async ({ page }) => {
  test.setTimeout(900_000)
  await page.setViewportSize({ width: Number(process.env.W ?? 1440), height: Number(process.env.H ?? 900) })
  await page.goto(URL_)
  await page.waitForTimeout(2000)
  for (const s of STEPS) {
    const [k, v = ''] = s.startsWith('#') ? ['hash', s] : s.split(/:(.*)/s)
    if (k === 'hash') { await page.evaluate((x) => (location.hash = x), v); await page.waitForTimeout(2500) }
    else if (k === 'click') { await page.getByTestId(v).first().click(); await page.waitForTimeout(1500) }
    else if (k === 'wait') await page.waitForTimeout(Number(v))
    else if (k === 'shot') await page.screenshot({ path: `.scratch/shots/x-${v}.png`, fullPage: true })
    else if (k === 'look') {
      const hits = await englishProse(page)
      const words = new Map<string, string>()
      for (const x of hits) if (!words.has(x.word)) words.set(x.word, `${x.where} :: ${x.text}`)
      console.log(`\n== ${v}: ${hits.length} hits`)
      for (const [w, c] of words) if (!/^(demo-a|demo-b|Demo)$/.test(w)) console.log(`  ${w}  ←  ${c}`)
      const o = await overflows(page)
      if (o.length) console.log('  OVERFLOW', JSON.stringify(o))
    }
  }
})
