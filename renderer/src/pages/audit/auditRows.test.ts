import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '@contract'
import { actionKey, auditCsv, auditJson, auditRows, matchesSearch } from './auditRows'

const e = (time: string, result: AuditEntry['result'], o: Partial<AuditEntry> = {}): AuditEntry => ({ time: `2026-12-07T0${time}Z`, site: 'sh-01', operator: 'ops', via: 'electron', action: 'sector.remove', command: 'sh-01: Filecoin.SectorRemove [12]', result, ...o })

describe('audit rows', () => {
  it('join a start with its end, newest first; a refusal and an unfinished start stand alone', () => {
    const rows = auditRows([
      e('1:00:05', 'ok', { detail: 'removed' }),
      e('1:00:00', 'started'),
      e('2:00:00', 'refused', { action: 'job.abort', command: 'x', detail: 'read-only' }),
      e('3:00:00', 'started', { command: 'sh-01: Filecoin.SectorRemove [13]' }),
      e('4:00:00', 'started'),
      e('4:00:09', 'error', { detail: 'not found' })
    ])
    expect(rows.map((r) => [r.time.slice(11, 19), r.ended?.slice(11, 19) ?? null, r.result, r.detail ?? null, r.entries.length])).toEqual([
      ['04:00:00', '04:00:09', 'error', 'not found', 2],
      ['03:00:00', null, 'started', null, 1],
      ['02:00:00', null, 'refused', 'read-only', 1],
      ['01:00:00', '01:00:05', 'ok', 'removed', 2]
    ])
  })
  it('never join entries of another operator or seat', () => {
    const rows = auditRows([e('1:00:00', 'started'), e('1:00:01', 'ok', { operator: 'other' })])
    expect(rows.map((r) => r.result)).toEqual(['ok', 'started'])
  })
  it('name actions by key, old restart ids as the restart', () => {
    expect(actionKey('sector.update-state')).toBe('audit.actionName.sector/update-state')
    expect(actionKey('wizard.stop-miner.kill')).toBe('audit.actionName.restart/stop-miner/kill')
  })
  it('search every word in any field, the translated name included', () => {
    const [row] = auditRows([e('1:00:00', 'started'), e('1:00:01', 'ok')])
    expect(matchesSearch(row!, 'SectorRemove sh-01', '删除扇区')).toBe(true)
    expect(matchesSearch(row!, '删除', '删除扇区')).toBe(true)
    expect(matchesSearch(row!, 'abort', '删除扇区')).toBe(false)
  })
  it('export CSV with quotes doubled and JSON with the log entries', () => {
    const rows = auditRows([e('1:00:00', 'started', { command: 'say "hi", then' }), e('1:00:01', 'ok', { command: 'say "hi", then' })])
    const csv = auditCsv(rows).split('\r\n')
    expect(csv[0]).toBe('time,ended,site,operator,via,action,command,result,detail')
    expect(csv[1]).toBe('"2026-12-07T01:00:00Z","2026-12-07T01:00:01Z","sh-01","ops","electron","sector.remove","say ""hi"", then","ok",""')
    const json = JSON.parse(auditJson(rows)) as Array<{ entries: AuditEntry[] }>
    expect(json[0]!.entries.map((x) => x.result)).toEqual(['started', 'ok'])
  })
})
