import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import en from '../../../../../resources/locales/en.json'
import zh from '../../../../../resources/locales/zh-CN.json'
import { rollingFailureText } from './text'

async function tOf(lng: 'zh-CN' | 'en') {
  const i = i18next.createInstance()
  await i.init({ lng, resources: { en: { translation: en }, 'zh-CN': { translation: zh } }, interpolation: { escapeValue: false } })
  return i.t
}

describe('why a rolling restart stopped, in the reader\'s language', () => {
  const gone = { code: 'conflict' as const, message: 'lotus-miner is not running: it exited, or the start command did not start it', params: { gate: 'process-gone', role: 'lotus-miner' } }

  it('a gate failure is the gate\'s own key, not the core\'s English', async () => {
    const zhT = await tOf('zh-CN')
    const text = rollingFailureText(zhT, { siteId: 'site-2', step: 'startMiner', message: gone.message, error: gone }, () => '')
    expect(text).not.toContain('is not running')
    expect(text).toContain('lotus-miner')
    expect(rollingFailureText(await tOf('en'), { siteId: 'site-2', message: gone.message, error: gone }, () => '')).toBe(gone.message)
  })

  it('a verdict and a step waiting for a decision are said in Chinese', async () => {
    const zhT = await tOf('zh-CN')
    expect(rollingFailureText(zhT, { siteId: 's', message: 'not restarted: unsafe', verdict: { kind: 'unsafe' } as never }, () => '')).toBe(`未重启：${zhT('wizard.verdict.unsafe')}`)
    expect(rollingFailureText(zhT, { siteId: 's', message: 'waits', waitingAt: 'stopMiner' }, () => '')).toBe('在「停止 lotus-miner」等待决定（见该站点的重启页）')
  })
})
