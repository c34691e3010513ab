import { describe, expect, it } from 'vitest'
import { formatAge, formatBytes, formatDuration, formatFil, formatInt, parseDuration, shortUuid } from './format'
import { RUNBOOK_DURATIONS } from '@contract'

describe('formatDuration', () => {
  it('prints two significant units in Lotus notation', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(45)).toBe('45s')
    expect(formatDuration(125)).toBe('2m5s')
    expect(formatDuration(RUNBOOK_DURATIONS.PC1)).toBe('3h10m')
    expect(formatDuration(3600)).toBe('1h')
    expect(formatDuration(3601)).toBe('1h')
    expect(formatDuration(2 * 86400 + 4 * 3600 + 59)).toBe('2d4h')
    expect(formatDuration(-90)).toBe('-1m30s')
  })
})

describe('formatAge', () => {
  it('keeps seconds only while they matter', () => {
    expect(formatAge(12)).toBe('12s')
    expect(formatAge(599)).toBe('9m59s')
    expect(formatAge(42 * 60 + 2)).toBe('42m')
    expect(formatAge(95 * 60 + 59)).toBe('1h35m')
  })
})

describe('parseDuration', () => {
  it('reads what operators type', () => {
    expect(parseDuration('3h10m')).toBe(RUNBOOK_DURATIONS.PC1)
    expect(parseDuration('1h 15m')).toBe(RUNBOOK_DURATIONS.WaitSeed)
    expect(parseDuration('10s')).toBe(10)
    expect(parseDuration('90')).toBe(90)
    expect(parseDuration('2d')).toBe(172800)
    expect(parseDuration('15M')).toBe(900)
  })
  it('refuses the rest', () => {
    expect(parseDuration('')).toBeNull()
    expect(parseDuration('abc')).toBeNull()
    expect(parseDuration('3x')).toBeNull()
    expect(parseDuration('h')).toBeNull()
  })
  it('round-trips formatDuration for whole minutes', () => {
    for (const v of Object.values(RUNBOOK_DURATIONS)) expect(parseDuration(formatDuration(v))).toBe(v)
  })
})

describe('sizes and amounts', () => {
  it('prints binary sizes like Lotus', () => {
    expect(formatBytes(32 * 1024 ** 3)).toBe('32 GiB')
    expect(formatBytes(135080759296)).toBe('125.8 GiB')
    expect(formatBytes(512)).toBe('512 B')
  })
  it('converts attoFIL exactly', () => {
    expect(formatFil('1000000000000000000')).toBe('1 FIL')
    expect(formatFil('1500000000000000')).toBe('0.0015 FIL')
    expect(formatFil('0')).toBe('0 FIL')
    expect(formatFil('x')).toBe('x')
  })
  it('groups integers per locale and shortens uuids', () => {
    expect(formatInt(10000, 'en')).toBe('10,000')
    expect(formatInt(undefined, 'en')).toBe('—')
    expect(shortUuid('7a3b9c1d-0000-4000-8000-000000000000')).toBe('7a3b9c1d')
  })
})
