import { describe, expect, it } from 'vitest'
import { MinerDeskError, toErrorInfo } from './errors'

/** An error that crossed a transport (a plain object) keeps its code, whichever it is. */
describe('toErrorInfo', () => {
  it('keeps the team codes of an error received over the wire', () => {
    for (const code of ['site/read-only', 'site/locked', 'exporter/listen-failed', 'mutation/refused'] as const) {
      const wire = JSON.parse(JSON.stringify(new MinerDeskError({ code, message: 'm', hint: 'h' }).toInfo())) as unknown
      expect(toErrorInfo(wire)).toMatchObject({ code, message: 'm', hint: 'h' })
    }
  })

  it('turns an unknown code into internal, keeping its message', () => {
    expect(toErrorInfo({ code: 'nope/never', message: 'm' })).toEqual({ code: 'internal', message: 'm' })
    expect(toErrorInfo('plain')).toEqual({ code: 'internal', message: 'plain' })
  })
})
